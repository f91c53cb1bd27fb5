// Command benchvideo times the video scanner on a generated 10-minute 1080p30
// screen recording against ffmpeg decoding only its key frames, and reports
// the scanner's peak RSS and how many cores it kept busy.
//
//	OMP_THREAD_LIMIT=1 go run ./cmd/benchvideo
//
// The scan runs in a child process (this binary with -scan) so that its
// peak RSS is its own, not the generator's.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"time"

	"tracescan/media"
	"tracescan/ocr"
	"tracescan/samples/screenshare"
	"tracescan/video"
)

func main() {
	scan := flag.String("scan", "", "internal: scan this file and print the findings as JSON")
	minutes := flag.Float64("minutes", 10, "length of the generated recording")
	width := flag.Int("width", 1920, "frame width")
	height := flag.Int("height", 1080, "frame height")
	fps := flag.Int("fps", 30, "frame rate")
	keyint := flag.Float64("keyint", 4, "seconds between key frames")
	file := flag.String("file", "", "use this recording instead of generating one")
	keep := flag.Bool("keep", false, "keep the generated recording")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the scan (the Go process, not ffmpeg) to this file")
	noOCR := flag.Bool("noocr", false, "scan without reading text, to time the rest")
	flag.Parse()
	ctx := context.Background()
	if *scan != "" {
		if *cpuprofile != "" {
			pf, err := os.Create(*cpuprofile)
			if err != nil {
				fail(err)
			}
			if err := pprof.StartCPUProfile(pf); err != nil {
				fail(err)
			}
			defer pf.Close()
			defer pprof.StopCPUProfile()
		}
		if err := scanOne(ctx, *scan, *noOCR); err != nil {
			pprof.StopCPUProfile()
			fmt.Fprintln(os.Stderr, "benchvideo:", err)
			os.Exit(1)
		}
		return
	}
	ocr.LimitThreads()
	path := *file
	if path == "" {
		dir, err := os.MkdirTemp("", "benchvideo-")
		if err != nil {
			fail(err)
		}
		if !*keep {
			defer os.RemoveAll(dir)
		}
		t0 := time.Now()
		lbl, err := screenshare.GenerateLong(ctx, dir, 1, screenshare.LongSpec{
			Width: *width, Height: *height, FPS: *fps, Duration: *minutes * 60, KeyintS: *keyint,
			Overlay: &screenshare.Overlay{Text: "anna.schmidt@example.com", Layout: screenshare.LayoutTiled,
				Opacity: 0.15, Gray: 160, Font: "regular", SizePx: float64(*height) / 720 * 28},
		})
		if err != nil {
			fail(err)
		}
		path = lbl.Path
		fmt.Printf("generated %s (%.0f min %dx%d@%d, key frame every %.0f s) in %.1f s\n",
			filepath.Base(path), *minutes, *width, *height, *fps, *keyint, time.Since(t0).Seconds())
	}

	// Baseline: ffmpeg decoding the key frames only.
	t0 := time.Now()
	ff := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-skip_frame", "nokey", "-i", path, "-f", "null", "-")
	if out, err := ff.CombinedOutput(); err != nil {
		fail(fmt.Errorf("ffmpeg: %v: %s", err, out))
	}
	ffWall := time.Since(t0)
	ffRSS := ff.ProcessState.SysUsage().(*syscall.Rusage).Maxrss

	exe, err := os.Executable()
	if err != nil {
		fail(err)
	}
	t0 = time.Now()
	args := []string{"-scan", path}
	if *cpuprofile != "" {
		args = append(args, "-cpuprofile", *cpuprofile)
	}
	if *noOCR {
		args = append(args, "-noocr")
	}
	child := exec.Command(exe, args...)
	child.Stderr = os.Stderr
	out, err := child.Output()
	if err != nil {
		fail(fmt.Errorf("scan: %v", err))
	}
	wall := time.Since(t0)
	ru := child.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())

	fmt.Printf("ffmpeg -skip_frame nokey -f null: %6.2f s wall, peak RSS %4d MiB\n", ffWall.Seconds(), ffRSS/1024)
	fmt.Printf("video scan (tracescan):            %6.2f s wall, peak RSS %4d MiB, CPU %.2f s (%.2f cores busy)\n",
		wall.Seconds(), ru.Maxrss/1024, cpu.Seconds(), cpu.Seconds()/wall.Seconds())
	fmt.Printf("ratio scan/ffmpeg: %.2fx (floor: at most 2x); RSS floor: under 1024 MiB\n", wall.Seconds()/ffWall.Seconds())
	fmt.Printf("scan result: %s\n", out)
}

// scanOne runs the detector as tracescan would and prints a summary.
func scanOne(ctx context.Context, path string, noOCR bool) error {
	info, err := media.Probe(ctx, path)
	if err != nil {
		return err
	}
	fs, err := video.New(video.Options{NoOCR: noOCR}).Detect(ctx, info)
	if err != nil {
		return err
	}
	type short struct {
		Kind, Severity, Text, Layout string
	}
	var s []short
	for _, f := range fs {
		s = append(s, short{f.Kind, f.Severity.String(), f.Text, f.Layout})
	}
	return json.NewEncoder(os.Stdout).Encode(s)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchvideo:", err)
	os.Exit(1)
}
