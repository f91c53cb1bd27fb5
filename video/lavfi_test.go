package video

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"tracescan/media"
	"tracescan/report"
)

// TestLavfiNegatives runs the detector on moving synthetic content from
// ffmpeg's lavfi sources (test patterns with a running timer, a zooming
// fractal, bars with a moving box): none carries a watermark, and none may
// be reported as one.
func TestLavfiNegatives(t *testing.T) {
	t.Parallel()
	if os.Getenv("VIDEO_DEBUG") != "" {
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	}
	cases := []struct{ name, src, vf string }{
		{"testsrc2", "testsrc2=s=320x180:r=15:d=10", ""},
		{"testsrc", "testsrc=s=320x180:r=15:d=10", ""},
		{"mandelbrot", "mandelbrot=s=320x180:r=15", ""},
		{"smptebars_box", "smptebars=s=320x180:r=15:d=10", "drawbox=x='mod(t*40,280)':y=60:w=40:h=40:color=red:t=fill"},
		{"testsrc2_hd", "testsrc2=s=640x360:r=15:d=12", ""},
	}
	det := New(Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), tc.name+".mp4")
			args := []string{"-loglevel", "error", "-y", "-f", "lavfi", "-i", tc.src, "-t", "10"}
			if tc.vf != "" {
				args = append(args, "-vf", tc.vf)
			}
			args = append(args, "-c:v", "libx264", "-g", "30", "-pix_fmt", "yuv420p", out)
			if b, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
				t.Fatalf("ffmpeg: %v %s", err, b)
			}
			ctx := context.Background()
			info, err := media.Probe(ctx, out)
			if err != nil {
				t.Fatal(err)
			}
			fs, score, err := det.DetectWithScore(ctx, info)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("max overlay score %.2f", score)
			for _, f := range fs {
				t.Logf("%s %s score=%.2f text=%q", f.Kind, f.Severity, f.Score, f.Text)
				if f.Kind == report.KindVisibleWatermark {
					t.Errorf("visible_watermark on a negative: %q score %.2f", f.Text, f.Score)
				}
			}
		})
	}
}
