// Command benchaudio times the audio scan of a long recording against a
// plain ffmpeg decode of the same file and reports peak memory.
//
//	go run ./cmd/benchaudio                 # makes (once) and scans $TMPDIR/tracescan-bench-60min.m4a
//	go run ./cmd/benchaudio FILE            # any recording
//	go run ./cmd/benchaudio -gen FILE       # only make the 60-min 48 kHz stereo AAC file
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"tracescan/audio"
	"tracescan/media"
)

func main() {
	gen := flag.String("gen", "", "generate a 60-minute 48 kHz stereo AAC test file at this path and exit")
	minutes := flag.Float64("min", 60, "minutes to generate")
	gonum := flag.Bool("gonum", false, "use the pure-Go FFT")
	noSeek := flag.Bool("noseek", false, "decode the whole file and skip to the analysis windows (the old way)")
	flag.Parse()
	ctx := context.Background()
	path := flag.Arg(0)
	if path == "" {
		path = filepath.Join(os.TempDir(), "tracescan-bench-60min.m4a")
		if _, err := os.Stat(path); err != nil {
			*gen = path
			fmt.Println("generating", path)
		}
	}
	if *gen != "" {
		// Pink noise plus a tone: realistic decode cost, no shortcut for
		// the analysis (every band has signal).
		d := fmt.Sprintf("%.0f", *minutes*60)
		cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-y",
			"-f", "lavfi", "-i", "anoisesrc=c=pink:a=0.1:r=48000:d="+d,
			"-f", "lavfi", "-i", "sine=f=440:r=48000:d="+d,
			"-filter_complex", "[0][1]amerge=inputs=2[a]", "-map", "[a]", "-c:a", "aac", "-b:a", "128k", *gen)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if *gen != path {
			return
		}
	}
	t0 := time.Now()
	dec := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-i", path, "-f", "f32le", "-y", "/dev/null")
	if err := dec.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "ffmpeg:", err)
		os.Exit(1)
	}
	decS := time.Since(t0).Seconds()
	info, err := media.Probe(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	t1 := time.Now()
	fs, err := audio.New(audio.Options{Gonum: *gonum, NoSeek: *noSeek}).Detect(ctx, info)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scanS := time.Since(t1).Seconds()
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("file %s, %.0f s of audio\n", path, info.Duration)
	fmt.Printf("ffmpeg decode to f32le: %.2f s\n", decS)
	fmt.Printf("audio scan:             %.2f s (%.2fx decode)\n", scanS, scanS/decS)
	fmt.Printf("peak RSS (this process, whole run): %.0f MB\n", float64(ru.Maxrss)/1024)
	fmt.Printf("floors: scan <= 3x decode: %v; RSS < 300 MB: %v\n", scanS <= 3*decS, ru.Maxrss < 300*1024)
	fmt.Printf("findings: %d\n", len(fs))
	for _, f := range fs {
		fmt.Printf("  %s %s %s\n", f.Severity, f.Kind, f.Title)
	}
}
