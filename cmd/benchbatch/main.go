// Command benchbatch measures batch scanning on a folder of generated short
// recordings: --jobs 1 against --jobs 2, and a first scan with the results
// store against an unchanged re-scan. It runs the real binary.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/tracescan", "tracescan binary")
	n := flag.Int("n", 200, "number of recordings")
	dir := flag.String("dir", "", "folder for the recordings (default: a temp folder, removed)")
	scanners := flag.String("scanners", "metadata,audio,video", "scanners to run")
	flag.Parse()
	if err := run(context.Background(), *bin, *n, *dir, *scanners); err != nil {
		slog.Error("benchbatch", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, bin string, n int, dir, scanners string) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "benchbatch-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	media := filepath.Join(dir, "recordings")
	if err := generate(ctx, media, n); err != nil {
		return err
	}
	timeScan := func(args ...string) (time.Duration, error) {
		start := time.Now()
		cmd := exec.CommandContext(ctx, bin, append([]string{"scan", "--quiet", "--scanners", scanners, "--format", "json", "-o", os.DevNull}, append(args, media)...)...)
		cmd.Stderr = os.Stderr
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok && (ee.ExitCode() == 1) {
			err = nil // findings are expected
		}
		return time.Since(start), err
	}
	j1, err := timeScan("--no-store", "--jobs", "1")
	if err != nil {
		return err
	}
	j2, err := timeScan("--no-store", "--jobs", "2")
	if err != nil {
		return err
	}
	db := filepath.Join(dir, "results.db")
	first, err := timeScan("--db", db, "--jobs", "2")
	if err != nil {
		return err
	}
	again, err := timeScan("--db", db, "--jobs", "2")
	if err != nil {
		return err
	}
	fmt.Printf("%d recordings (10 s, 320x180 H.264 + AAC), scanners %s\n", n, scanners)
	fmt.Printf("  --jobs 1:            %6.1f s\n", j1.Seconds())
	fmt.Printf("  --jobs 2:            %6.1f s   speed-up %.2fx\n", j2.Seconds(), j1.Seconds()/j2.Seconds())
	fmt.Printf("  first scan, store:   %6.1f s\n", first.Seconds())
	fmt.Printf("  unchanged re-scan:   %6.1f s   %.1f %% of the first\n", again.Seconds(), 100*again.Seconds()/first.Seconds())
	return nil
}

// generate writes n short recordings, a third of them with identifying tags.
func generate(ctx context.Context, dir string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := range n {
		args := []string{"-nostdin", "-v", "error", "-y",
			"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=s=320x180:r=15:d=10,hue=h=%d", i*7%360),
			"-f", "lavfi", "-i", fmt.Sprintf("sine=f=%d:d=10", 200+13*i),
			"-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-c:a", "aac", "-b:a", "64k", "-shortest"}
		if i%3 == 0 {
			args = append(args, "-metadata", fmt.Sprintf("artist=Speaker %d", i),
				"-metadata", fmt.Sprintf("comment=contact p%d@example.org", i))
		}
		args = append(args, filepath.Join(dir, fmt.Sprintf("meeting-%03d.mp4", i)))
		if out, err := exec.CommandContext(ctx, "ffmpeg", args...).CombinedOutput(); err != nil {
			return fmt.Errorf("ffmpeg: %w: %s", err, out)
		}
	}
	return nil
}
