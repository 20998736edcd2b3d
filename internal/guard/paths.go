package guard

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrSamePath matches (errors.Is) CheckPaths' errors about an output that
// is an input or another output: a usage error.
var ErrSamePath = errors.New("same file")

// samePath is an error that matches ErrSamePath without saying so.
type samePath struct{ msg string }

func (e samePath) Error() string        { return e.msg }
func (e samePath) Is(target error) bool { return target == ErrSamePath }

func samePathf(format string, a ...any) error { return samePath{fmt.Sprintf(format, a...)} }

// Path is a file a command reads or writes, with the flag that named it.
type Path struct {
	Flag string // "--out", "--data", ...
	Name string // as given; an empty Name is skipped
}

func (p Path) String() string { return p.Flag + " " + p.Name }

// CheckPaths returns an error when an output is the same file as an input
// (the same device and inode, so hard links, symbolic links and "./a" vs
// "a" are caught), when two outputs name the same file (for outputs that do
// not exist yet: the same resolved directory and base name), when an output
// is a directory or another file that is not regular (/dev/null), or when
// an output's directory is missing or not writable.
// It creates nothing that it leaves behind.
func CheckPaths(inputs, outputs []Path) error {
	type seen struct {
		p   Path
		key string
		st  os.FileInfo
	}
	var ins []seen
	for _, in := range inputs {
		if in.Name == "" {
			continue
		}
		st, err := os.Stat(in.Name)
		if err != nil {
			continue // the reader reports a missing input
		}
		ins = append(ins, seen{p: in, st: st})
	}
	var outs []seen
	for _, out := range outputs {
		if out.Name == "" {
			continue
		}
		key, st, err := outputKey(out)
		if err != nil {
			return err
		}
		for _, in := range ins {
			if st != nil && os.SameFile(st, in.st) {
				return samePathf("%s is the same file as %s: it would overwrite the input", out, in.p)
			}
		}
		for _, o := range outs {
			if key == o.key || (st != nil && o.st != nil && os.SameFile(st, o.st)) {
				return samePathf("%s and %s name the same file: one would overwrite the other", o.p, out)
			}
		}
		outs = append(outs, seen{p: out, key: key, st: st})
	}
	return nil
}

// outputKey resolves an output path to a key (absolute path with symbolic
// links of its directory, and of the file when it exists, resolved), and
// stats it when it exists. It checks that the directory exists and is
// writable.
func outputKey(out Path) (string, os.FileInfo, error) {
	if strings.HasSuffix(out.Name, "/") || strings.HasSuffix(out.Name, string(filepath.Separator)) {
		return "", nil, fmt.Errorf("%s is a directory; name a file", out)
	}
	abs, err := filepath.Abs(out.Name)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %v", out, err)
	}
	st, err := os.Stat(abs)
	switch {
	case err == nil && st.IsDir():
		return "", nil, fmt.Errorf("%s is a directory; name a file", out)
	case err == nil && !st.Mode().IsRegular():
		// The output is written to a temporary file renamed over it:
		// that would replace a device or a pipe.
		return "", nil, fmt.Errorf("%s is not a regular file (a device or a pipe); name a file", out)
	case err != nil:
		st = nil
	}
	dir, base := filepath.Split(abs)
	given := filepath.Dir(out.Name) // the directory as the user wrote it
	dst, err := os.Stat(filepath.Clean(dir))
	switch {
	case err != nil && errors.Is(err, os.ErrNotExist):
		return "", nil, fmt.Errorf("%s: directory %s does not exist", out, given)
	case err != nil:
		return "", nil, fmt.Errorf("%s: directory %s: %v", out, given, unwrapPath(err))
	case !dst.IsDir():
		return "", nil, fmt.Errorf("%s: %s is not a directory", out, given)
	}
	if err := probeWritable(dir); err != nil {
		return "", nil, fmt.Errorf("%s: directory %s is not writable: %v", out, given, err)
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	key := filepath.Join(dir, base)
	if st != nil {
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			key = real
		}
	}
	return key, st, nil
}

// probeWritable creates and removes a temporary file in dir: the only test
// that answers for permissions, ACLs, read-only mounts and quotas alike.
func probeWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".synthor-probe-*")
	if err != nil {
		return unwrapPath(err)
	}
	name := f.Name()
	_ = f.Close()
	return os.Remove(name)
}

// unwrapPath drops the operation and path of an *os.PathError, which the
// caller's message already names.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// CheckOutputDir checks a directory a command will write files into (a
// runner's output directory), before any work: it is not an input, nor a
// file; if it exists it is writable; if not, its nearest existing ancestor
// is a writable directory (the command creates the rest). The files the
// command will write in it should also go through CheckPaths, so that none
// overwrites an input.
func CheckOutputDir(dir Path, inputs []Path) error {
	if dir.Name == "" {
		return nil
	}
	abs, err := filepath.Abs(dir.Name)
	if err != nil {
		return fmt.Errorf("%s: %v", dir, err)
	}
	st, err := os.Stat(abs)
	if err == nil {
		if !st.IsDir() {
			return fmt.Errorf("%s is a file; name a directory", dir)
		}
		for _, in := range inputs {
			if in.Name == "" {
				continue
			}
			if ist, err := os.Stat(in.Name); err == nil && os.SameFile(st, ist) {
				return samePathf("%s is the same as %s", dir, in)
			}
		}
		if err := probeWritable(abs); err != nil {
			return fmt.Errorf("%s is not writable: %v", dir, err)
		}
		return nil
	}
	for p := filepath.Dir(abs); ; p = filepath.Dir(p) {
		st, err := os.Stat(p)
		switch {
		case err == nil && !st.IsDir():
			return fmt.Errorf("%s: %s is a file, not a directory", dir, p)
		case err == nil:
			if err := probeWritable(p); err != nil {
				return fmt.Errorf("%s: directory %s is not writable: %v", dir, p, err)
			}
			return nil
		case filepath.Dir(p) == p:
			return fmt.Errorf("%s: no parent directory exists", dir)
		}
	}
}
