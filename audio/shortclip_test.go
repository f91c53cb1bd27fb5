package audio

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"tracescan/media"
	"tracescan/report"
)

// A clip under beaconOnlyS runs only the beacon test, is cheap (batch
// scans of many short files) and still gets its inconclusive note.
func TestShortClipBeaconOnly(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "one.m4a")
	if out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=f=300:d=10:sample_rate=48000",
		"-ac", "2", "-c:a", "aac", p).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, out)
	}
	info, err := media.Probe(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	d := New(Options{})
	t0 := time.Now()
	res, err := d.Analyze(ctx, info)
	if err != nil {
		t.Fatal(err)
	}
	fs := res.Findings(d.opt)
	t.Logf("10-s clip: Analyze+Findings %v", time.Since(t0))
	if !res.BeaconOnly || len(res.Channels) != 1 || len(res.Spread) != 0 || len(res.Patch) != 0 || res.Echo != nil {
		t.Errorf("short clip ran more than the beacon test: %+v", res)
	}
	if res.Beacon == nil {
		t.Errorf("beacon test did not run")
	}
	if len(fs) == 0 || fs[0].Kind != report.KindInconclusive {
		t.Errorf("no inconclusive note first: %+v", fs)
	}
}

// Codec quantisation specks above 16 kHz in a quiet AAC clip are no beacon
// (a hard negative found on a 44.1 kHz sine).
func TestCodecSpecksAreNoBeacon(t *testing.T) {
	ctx := context.Background()
	for _, rate := range []string{"44100", "48000"} {
		p := filepath.Join(t.TempDir(), "sine.m4a")
		if out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=f=300:d=10:sample_rate="+rate,
			"-c:a", "aac", p).CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg: %v %s", err, out)
		}
		info, err := media.Probe(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := New(Options{}).Detect(ctx, info)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Kind == report.KindUltrasonicBeacon {
				t.Errorf("%s Hz AAC sine: %s", rate, f.Title)
			}
		}
	}
}
