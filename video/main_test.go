package video

import (
	"os"
	"testing"

	"tracescan/ocr"
)

// TestMain runs the tests with Tesseract's thread limit in place (see
// ocr.LimitThreads).
func TestMain(m *testing.M) {
	ocr.LimitThreads()
	os.Exit(m.Run())
}
