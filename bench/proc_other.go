//go:build !linux && !darwin

package bench

import (
	"errors"
	"os"
	"os/exec"
)

func limitMemory(int64) error {
	return errors.New("limits.memory needs a unix system (RLIMIT_AS)")
}

func peakRSS(*os.ProcessState) int64 { return 0 }

func isolate(*exec.Cmd) {}

func kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
