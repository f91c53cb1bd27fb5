package ocr

import (
	"os"
	"syscall"
)

// StableStderr returns a duplicate of the standard error descriptor.
// Tesseract's initialisation points descriptor 2 at /dev/null for a moment
// (the Tesseract binding silences the library's messages that way), and
// whatever another goroutine writes then (another file's error line in a
// batch, a log line) would be lost. The duplicate is not redirected.
func StableStderr() *os.File {
	fd, err := syscall.Dup(int(os.Stderr.Fd()))
	if err != nil {
		return os.Stderr
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), "stderr")
}
