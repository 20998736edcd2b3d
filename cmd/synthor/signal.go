package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/settings"
)

// stopGrace is how long a command may take to stop after SIGINT or SIGTERM
// cancels its context; past it the process exits anyway.
const stopGrace = 800 * time.Millisecond

// stopper turns SIGINT, SIGTERM and SIGHUP into a cancelled context. The
// command then stops (its writes fail and remove their temporary files)
// and the process exits 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP: a
// closed terminal is handled as SIGTERM) with one line; when the
// command has not returned within stopGrace, or on a second signal, the
// process exits at once, first removing the temporary files of the outputs
// the command declared with track.
type stopper struct {
	stderr io.Writer
	exit   func(int)

	mu      sync.Mutex
	sig     os.Signal
	done    bool // an exit has been decided
	outputs []string
	kept    []string // files written in place that a stop keeps (the trace)
}

// stopped is the stopper of the running process: commands register their
// outputs on it (track).
var stopped = &stopper{stderr: os.Stderr, exit: os.Exit}

// watch returns a context cancelled by SIGINT, SIGTERM or SIGHUP.
func (s *stopper) watch(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		first := <-ch
		s.mu.Lock()
		s.sig = first
		s.mu.Unlock()
		cancel()
		select {
		case <-ch:
		case <-time.After(stopGrace):
		}
		s.finish(nil, true)
	}()
	return ctx
}

// track declares files the command writes through table.WriteAtomic, so
// that a forced exit can remove their temporary files.
func (s *stopper) track(paths ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range paths {
		if p != "" {
			s.outputs = append(s.outputs, p)
		}
	}
}

// keep declares files written in place as the command runs (the trace):
// the stop message names those that exist.
func (s *stopper) keep(paths ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range paths {
		if p != "" {
			s.kept = append(s.kept, p)
		}
	}
}

// finish prints the outcome of the command (err) or of a signal, and exits
// with its status. It acts once: a forced exit and the command's return
// may race.
func (s *stopper) finish(err error, forced bool) {
	s.mu.Lock()
	if s.done {
		s.mu.Unlock()
		select {} // the other caller exits
	}
	s.done = true
	sig := s.sig
	outputs, kept := s.outputs, s.kept
	s.mu.Unlock()
	if sig != nil && (err != nil || forced) {
		removeTemps(outputs)
		note := ""
		for _, k := range kept {
			if _, err := os.Stat(k); err == nil {
				note += "; " + k + " keeps what was done"
			}
		}
		fmt.Fprintf(s.stderr, "synthor: stopped by %s; no output written%s\n", signalName(sig), note)
		s.exit(signalStatus(sig))
		return
	}
	if err != nil {
		fmt.Fprintln(s.stderr, "synthor: "+message(err))
	}
	s.exit(exitCode(err))
}

// exitCode is the process status for the error a command returned: 0 for
// none, 2 for a usage error, a bad setting (a key or a value of a config
// file, --set or an environment variable) or an unknown name (method,
// dataset, split, metric group, format, key, column), 1 for any other
// failure.
func exitCode(err error) int {
	var u usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &u), settings.IsError(err), errors.Is(err, methods.ErrUnknown),
		errors.Is(err, datasets.ErrUnknown), errors.Is(err, datasets.ErrUnknownSplit):
		return 2
	}
	return 1
}

func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return "SIGINT"
}

// signalStatus is the shell convention: 128 + the signal number.
func signalStatus(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGINT)
}

// removeTemps removes the temporary files table.WriteAtomic makes beside
// each output ("." + base + ".tmp" + random digits).
func removeTemps(outputs []string) {
	for _, out := range outputs {
		dir, base := filepath.Split(out)
		if dir == "" {
			dir = "."
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		prefix := "." + base + ".tmp"
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), prefix) && !e.IsDir() {
				_ = os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
}
