package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"tracescan/ocr"
)

// TestStableStderrSurvivesTesseractInit writes lines while Tesseract
// engines start (each start points descriptor 2 at /dev/null for a moment)
// and checks that every line written to ocr.StableStderr arrives, while lines
// written to descriptor 2 itself are lost.
func TestStableStderrSurvivesTesseractInit(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved, err := syscall.Dup(2)
	if err != nil {
		t.Fatal(err)
	}
	// Descriptor 2 is the pipe for the test, as it would be a terminal.
	if err := syscall.Dup2(int(w.Fd()), 2); err != nil {
		t.Fatal(err)
	}
	restored := false
	restore := func() {
		if !restored {
			syscall.Dup2(saved, 2)
			syscall.Close(saved)
			restored = true
		}
	}
	defer restore()
	stable := ocr.StableStderr()
	fd2 := os.NewFile(2, "fd2")
	got := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(r)
		got <- b
	}()

	done := make(chan error)
	go func() {
		img := gocv.NewMatWithSize(32, 64, gocv.MatTypeCV8U)
		defer img.Close()
		img.SetTo(gocv.NewScalar(255, 0, 0, 0))
		for i := 0; i < 3; i++ {
			e, err := ocr.New(1)
			if err != nil {
				done <- err
				return
			}
			_, err = e.Read(img) // the engine starts at its first read
			e.Close()
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	n := 0
	for running := true; running; n++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			running = false
		default:
		}
		fmt.Fprintf(stable, "stable %d\n", n)
		fmt.Fprintf(fd2, "direct %d\n", n)
		time.Sleep(100 * time.Microsecond)
	}
	restore()
	stable.Close()
	w.Close()
	out := <-got
	stableN := bytes.Count(out, []byte("stable "))
	directN := bytes.Count(out, []byte("direct "))
	t.Logf("%d lines written each way: %d arrived through the duplicate, %d through descriptor 2", n, stableN, directN)
	if stableN != n {
		t.Errorf("%d of %d lines written to the duplicate were lost", n-stableN, n)
	}
	if directN == n {
		t.Skip("no line written to descriptor 2 was lost: the Tesseract binding no longer redirects it, and the test shows nothing")
	}
}
