package datasets

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ulikunitz/xz"
)

// extract copies the named members of a package file into dir, each under
// its base name, and returns their paths by member. A Debian package is an
// ar archive whose data.tar.xz (or .gz) holds the files; an npm package is
// a gzip tar. A member that is missing, or an archive that ends early, is
// an error.
func extract(pkgFile, registry string, members []string, dir string) (map[string]string, error) {
	f, err := os.Open(pkgFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var tr *tar.Reader
	switch registry {
	case "apt":
		data, name, err := debData(f)
		if err != nil {
			return nil, err
		}
		var zr io.Reader
		switch {
		case strings.HasSuffix(name, ".xz"):
			if zr, err = xz.NewReader(data); err != nil {
				return nil, fmt.Errorf("%s: %w", name, archiveErr(err))
			}
		case strings.HasSuffix(name, ".gz"):
			if zr, err = gzip.NewReader(data); err != nil {
				return nil, fmt.Errorf("%s: %w", name, archiveErr(err))
			}
		default:
			return nil, fmt.Errorf("%s: compression is not supported (want .xz or .gz)", name)
		}
		tr = tar.NewReader(zr)
	case "npm":
		zr, err := gzip.NewReader(bufio.NewReader(f))
		if err != nil {
			return nil, archiveErr(err)
		}
		tr = tar.NewReader(zr)
	default:
		return nil, fmt.Errorf("unknown registry %q", registry)
	}
	want := make(map[string]bool, len(members))
	for _, m := range members {
		want[m] = true
	}
	out := make(map[string]string, len(members))
	for len(out) < len(members) {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, archiveErr(err)
		}
		name := strings.TrimPrefix(path.Clean(h.Name), "./")
		if !want[name] || h.Typeflag != tar.TypeReg {
			continue
		}
		dst := filepath.Join(dir, path.Base(name))
		if err := copyFile(dst, tr); err != nil {
			return nil, fmt.Errorf("%s: %w", name, archiveErr(err))
		}
		out[name] = dst
	}
	for _, m := range members {
		if out[m] == "" {
			return nil, fmt.Errorf("the package has no file %s", m)
		}
	}
	return out, nil
}

// archiveErr names a truncated archive as such.
func archiveErr(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errors.New("truncated archive (unexpected end of file)")
	}
	return err
}

func copyFile(dst string, r io.Reader) error {
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// debData finds the data.tar.* member of a Debian package (an ar archive:
// the magic "!<arch>\n", then per member a 60-byte header of name, date,
// owner, group, mode and decimal size, the data, and a padding byte to an
// even offset) and returns a reader over it and its name. The format is
// small and fixed, so it is read here rather than with a library.
func debData(r io.Reader) (io.Reader, string, error) {
	br := bufio.NewReader(r)
	const arMagic = "!<arch>\n"
	magic := make([]byte, len(arMagic))
	n, err := io.ReadFull(br, magic)
	if string(magic[:n]) != arMagic[:n] || n == 0 {
		return nil, "", errors.New("not a Debian package (no ar archive header)")
	}
	if err != nil {
		return nil, "", archiveErr(err)
	}
	hdr := make([]byte, 60)
	for {
		if _, err := io.ReadFull(br, hdr); err != nil {
			if err == io.EOF {
				return nil, "", errors.New("the Debian package has no data.tar member")
			}
			return nil, "", archiveErr(err)
		}
		if string(hdr[58:60]) != "`\n" {
			return nil, "", errors.New("corrupt ar member header in the Debian package")
		}
		name := strings.TrimSuffix(strings.TrimSpace(string(hdr[:16])), "/")
		size, err := strconv.ParseInt(strings.TrimSpace(string(hdr[48:58])), 10, 64)
		if err != nil || size < 0 {
			return nil, "", fmt.Errorf("ar member %q: bad size %q", name, bytes.TrimSpace(hdr[48:58]))
		}
		if strings.HasPrefix(name, "data.tar") {
			return &exactReader{r: io.LimitReader(br, size), left: size}, name, nil
		}
		if _, err := io.CopyN(io.Discard, br, size+size%2); err != nil {
			return nil, "", archiveErr(err)
		}
	}
}

// exactReader reports io.ErrUnexpectedEOF when the member ends before its
// declared size, so a truncated package is named as such.
type exactReader struct {
	r    io.Reader
	left int64
}

func (e *exactReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if err == io.EOF && e.left > 0 {
		return n, io.ErrUnexpectedEOF
	}
	return n, err
}
