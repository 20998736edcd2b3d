package table

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteAtomicContext: a write cancelled part way fails with the
// context's error, removes its temporary file and leaves path as it was.
func TestWriteAtomicContext(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	err := WriteAtomicContext(ctx, path, func(w io.Writer) error {
		if _, err := w.Write([]byte("first chunk\n")); err != nil {
			return err
		}
		cancel()
		_, err := w.Write([]byte("second chunk\n"))
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Errorf("path holds %q, want it unchanged", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the directory, want 1 (no temporary file)", len(entries))
	}
	// A context cancelled after the last write still stops the rename.
	ctx, cancel = context.WithCancel(context.Background())
	err = WriteFileContext(ctx, filepath.Join(dir, "new.csv"), MustNew(NewFloat("x", []float64{1})))
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := WriteFileContext(ctx, filepath.Join(dir, "late.csv"), MustNew(NewFloat("x", []float64{1}))); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before the write: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "late.csv")); err == nil {
		t.Error("late.csv written after cancel")
	}
}
