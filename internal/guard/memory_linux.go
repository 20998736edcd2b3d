package guard

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// physicalMemory returns the machine's RAM, or the cgroup's memory limit
// when that is lower; 0 when unknown.
func physicalMemory() uint64 {
	var si syscall.Sysinfo_t
	var total uint64
	if err := syscall.Sysinfo(&si); err == nil {
		total = uint64(si.Totalram) * uint64(si.Unit)
	}
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
		if err == nil && n > 0 && (total == 0 || n < total) {
			total = n
		}
	}
	return total
}
