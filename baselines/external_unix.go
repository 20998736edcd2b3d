//go:build unix

package baselines

import (
	"os/exec"
	"syscall"
)

// killGroup makes cmd run in its own process group and, on cancellation,
// kills the whole group, so that a wrapper script's children (a Python
// interpreter, say) do not outlive a timeout.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
