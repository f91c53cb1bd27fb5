// Package fftest makes small media files for tests with the real ffmpeg.
package fftest

import (
	"os/exec"
	"testing"
)

// Run runs ffmpeg quietly with args and fails the test if it fails.
func Run(t testing.TB, args ...string) {
	t.Helper()
	cmd := exec.Command("ffmpeg", append([]string{"-nostdin", "-hide_banner", "-v", "error", "-y"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %v: %v\n%s", args, err, out)
	}
}
