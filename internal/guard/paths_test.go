package guard

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckPaths(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(in, []byte("a,b\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.csv")
	if err := os.Link(in, hard); err != nil {
		t.Skip("no hard links here:", err)
	}
	soft := filepath.Join(dir, "soft.csv")
	if err := os.Symlink(in, soft); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	subLink := filepath.Join(dir, "sublink")
	if err := os.Symlink(sub, subLink); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	data := Path{"--data", in}
	cases := []struct {
		name string
		outs []Path
		same bool   // the error matches ErrSamePath
		want string // substring of the error; "" for none
	}{
		{"distinct", []Path{{"--out", filepath.Join(dir, "out.csv")}, {"--trace", filepath.Join(dir, "t.jsonl")}}, false, ""},
		{"same name", []Path{{"--out", in}}, true, "--out " + in + " is the same file as --data"},
		{"dot path", []Path{{"--out", filepath.Join(dir, ".", "sub", "..", "in.csv")}}, true, "same file as --data"},
		{"hard link", []Path{{"--out", hard}}, true, "same file as --data"},
		{"symbolic link", []Path{{"--out", soft}}, true, "same file as --data"},
		{"two new outputs", []Path{{"--out", filepath.Join(sub, "o.csv")}, {"--trace", filepath.Join(subLink, "o.csv")}}, true, "--out " + filepath.Join(sub, "o.csv") + " and --trace"},
		{"two existing outputs", []Path{{"--out", hard}, {"--trace", in}}, true, "same file"},
		{"missing directory", []Path{{"--out", filepath.Join(dir, "nowhere", "o.csv")}}, false, "does not exist"},
		{"directory not a directory", []Path{{"--out", filepath.Join(plain, "o.csv")}}, false, "is not a directory"},
		{"output is a directory", []Path{{"--out", sub}}, false, "is a directory"},
		{"trailing slash", []Path{{"--out", "newdir/"}}, false, "is a directory"},
		{"empty skipped", []Path{{"--trace", ""}}, false, ""},
		{"a device", []Path{{"--out", os.DevNull}}, false, "is not a regular file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ins := []Path{data, {"--schema", ""}, {"--config", filepath.Join(dir, "absent.yaml")}}
			err := CheckPaths(ins, c.outs)
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if errors.Is(err, ErrSamePath) != c.same {
				t.Errorf("errors.Is(err, ErrSamePath) = %v, want %v", !c.same, c.same)
			}
		})
	}
	// The probe leaves nothing behind.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".synthor-probe") {
			t.Errorf("probe file %s left", e.Name())
		}
	}
}

func TestCheckPathsUnwritable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes to any directory")
	}
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	err := CheckPaths(nil, []Path{{"--out", filepath.Join(ro, "o.csv")}})
	if err == nil || !strings.Contains(err.Error(), "is not writable") {
		t.Fatalf("error %v, want 'is not writable'", err)
	}
}

func TestCheckOutputDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.csv")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, dir, want string
	}{
		{"existing", dir, ""},
		{"to create", filepath.Join(dir, "a", "b"), ""},
		{"a file", file, "is a file; name a directory"},
		{"under a file", filepath.Join(file, "x"), "is a file, not a directory"},
		{"an input", dir, "is the same as --data"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ins []Path
			if c.name == "an input" {
				ins = []Path{{"--data", dir}}
			}
			err := CheckOutputDir(Path{"--out-dir", c.dir}, ins)
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}
