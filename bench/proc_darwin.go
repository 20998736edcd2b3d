package bench

import "syscall"

// maxrssBytes: ru_maxrss is in bytes on macOS.
func maxrssBytes(v int64) int64 { return v }

func setDeathSignal(*syscall.SysProcAttr) {}

const rlimitMemory = syscall.RLIMIT_AS
