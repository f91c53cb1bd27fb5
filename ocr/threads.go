package ocr

import (
	"os"
	"syscall"
)

// LimitThreads re-executes the running program with OMP_THREAD_LIMIT=1 when
// that is not set. Tesseract's OpenMP threads thrash on small machines
// (several times slower on two cores), and OpenMP reads the limit only at
// process start. It returns when the limit is already set, or when the
// re-execution failed; then the program carries on, slower.
func LimitThreads() {
	if os.Getenv("OMP_THREAD_LIMIT") != "" {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	_ = syscall.Exec(exe, os.Args, append(os.Environ(), "OMP_THREAD_LIMIT=1"))
}
