// Command tracescan checks meeting recordings, before they are published, for
// marks that can trace them back to the person who recorded them.
package main

import (
	"os"
	"syscall"
)

func main() {
	// Tesseract's OpenMP threads thrash on small machines, and OpenMP reads
	// the limit only at process start: re-exec once with it set.
	if os.Getenv("OMP_THREAD_LIMIT") == "" {
		if exe, err := os.Executable(); err == nil {
			env := append(os.Environ(), "OMP_THREAD_LIMIT=1")
			_ = syscall.Exec(exe, os.Args, env) // on failure, carry on slower
		}
	}
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}
