// Command tracescan checks meeting recordings, before they are published, for
// marks that can trace them back to the person who recorded them.
package main

import (
	"os"

	"tracescan/ocr"
)

func main() {
	ocr.LimitThreads()
	os.Exit(run(os.Args, os.Stdout, ocr.StableStderr()))
}
