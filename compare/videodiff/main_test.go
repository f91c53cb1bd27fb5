package videodiff

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// TestMain re-executes the test binary with OMP_THREAD_LIMIT=1 when it is
// not set: Tesseract's OpenMP threads thrash on two cores, and the limit
// must be in place before the process starts.
func TestMain(m *testing.M) {
	if os.Getenv("OMP_THREAD_LIMIT") == "" {
		exe, err := os.Executable()
		if err == nil {
			if exe, err = exec.LookPath(exe); err == nil {
				env := append(os.Environ(), "OMP_THREAD_LIMIT=1")
				// Exec only returns on failure; then run as we are.
				_ = syscall.Exec(exe, os.Args, env)
			}
		}
	}
	os.Exit(m.Run())
}
