//go:build !linux

package guard

// physicalMemory is unknown off Linux: DefaultLimit falls back to 8 GiB.
func physicalMemory() uint64 { return 0 }
