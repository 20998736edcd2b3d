// Command rsswrap runs a command and writes its peak resident set, in
// bytes, to a file: rsswrap OUT COMMAND [ARG...]. Its exit status is the
// command's (128 + the signal when a signal ended it). TestHostile runs
// synthor through it because on Linux a child started from a large
// process (a test binary under the race detector) reports that process's
// peak as its own: exec records the peak of the memory it replaces, and
// os/exec starts a child sharing the parent's memory until it execs.
// Started from this small program, the child's peak is its own. A SIGTERM
// (the test's deadline) ends the command too.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: rsswrap OUT COMMAND [ARG...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "rsswrap:", err)
		os.Exit(2)
	}
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-term
		_ = cmd.Process.Kill()
	}()
	err := cmd.Wait()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		code = ee.ExitCode()
	case errors.As(err, &ee):
		code = 128
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code += int(ws.Signal())
		}
	case err != nil:
		fmt.Fprintln(os.Stderr, "rsswrap:", err)
		os.Exit(2)
	}
	if err := os.WriteFile(os.Args[1], []byte(strconv.FormatInt(peak(cmd.ProcessState), 10)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "rsswrap:", err)
		os.Exit(2)
	}
	os.Exit(code)
}
