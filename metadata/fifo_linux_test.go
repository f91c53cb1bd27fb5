//go:build linux

package metadata

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tracescan/media"
)

// A FIFO named like a side file must not block the scan: opening it for
// reading would wait for a writer forever.
func TestSideFileFIFOSkipped(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "chat.txt"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := New().Detect(ctx, &media.Info{Path: filepath.Join(dir, "clip.mp4")})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Detect blocked on a FIFO side file")
	}
}
