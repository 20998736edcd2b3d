package bench

import "syscall"

// maxrssBytes converts rusage's ru_maxrss (KiB on Linux) to bytes.
func maxrssBytes(v int64) int64 { return v * 1024 }

// setDeathSignal kills the child when the runner dies (SIGKILL included),
// so a killed run leaves no cell running.
func setDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }

// rlimitMemory is the limit limitMemory sets.
const rlimitMemory = syscall.RLIMIT_DATA
