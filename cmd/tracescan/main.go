// Command tracescan checks meeting recordings, before they are published, for
// marks that can trace them back to the person who recorded them.
package main

import (
	"os"
	"syscall"

	"tracescan/ocr"
)

func main() {
	ocr.LimitThreads()
	os.Exit(run(os.Args, os.Stdout, stableStderr()))
}

// stableStderr returns a duplicate of the standard error descriptor.
// Tesseract's initialisation points descriptor 2 at /dev/null for a moment
// (the Tesseract binding silences the library's messages that way), and
// whatever another goroutine writes then (another file's error line in a
// batch, a log line) would be lost. The duplicate is not redirected.
func stableStderr() *os.File {
	fd, err := syscall.Dup(int(os.Stderr.Fd()))
	if err != nil {
		return os.Stderr
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), "stderr")
}
