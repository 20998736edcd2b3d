//go:build linux || darwin

package bench

import (
	"os"
	"os/exec"
	"syscall"
)

// limitMemory caps the memory this process may commit (rlimitMemory:
// RLIMIT_DATA on Linux, which counts the writable mappings a Go heap
// grows by but not the address space reserved for thread stacks and
// malloc arenas; RLIMIT_AS elsewhere): an allocation past it fails and
// the Go runtime exits with "out of memory".
func limitMemory(n int64) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(rlimitMemory, &lim); err != nil {
		return err
	}
	lim.Cur = uint64(n)
	if lim.Max < lim.Cur {
		lim.Cur = lim.Max
	}
	return syscall.Setrlimit(rlimitMemory, &lim)
}

// peakRSS returns the peak resident set of a finished child, in bytes.
func peakRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return maxrssBytes(ru.Maxrss)
	}
	return 0
}

// isolate puts the child in its own process group so a kill reaches
// whatever it started.
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	setDeathSignal(cmd.SysProcAttr)
}

// kill ends the child's process group.
func kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
