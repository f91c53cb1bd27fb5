package audiomarks

import (
	"bytes"
	"context"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

func probeDuration(t *testing.T, path string) float64 {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	d, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		t.Fatalf("duration %q: %v", out, err)
	}
	return d
}

func TestGenerateVariants(t *testing.T) {
	if testing.Short() {
		t.Skip("runs ffmpeg and espeak-ng")
	}
	ctx := context.Background()
	cases := []struct {
		spec Spec
		ext  string
	}{
		{Spec{Host: Speech, Mark: PN, StrengthDB: -30}, ".wav"},
		{Spec{Host: Conversation, Mark: Echo, StrengthDB: -14, Variant: AAC96}, ".m4a"},
		{Spec{Host: Music, Mark: Patchwork, StrengthDB: 1, Variant: MP3128}, ".mp3"},
		{Spec{Host: Noise, Mark: FSK, StrengthDB: -30, Variant: Opus32}, ".opus"},
		{Spec{Host: Loop, Variant: Resample16}, ".16k.wav"},
		{Spec{Host: Room, Mark: PN, StrengthDB: -30, Variant: SpeakerMic}, ".mic.wav"},
		{Spec{Host: HoldMusic}, ".wav"},
		{Spec{Host: Jingle, Stereo: true}, ".wav"},
		{Spec{Host: Silence}, ".wav"},
	}
	dir := t.TempDir()
	for i, c := range cases {
		c.spec.DurationS = 8
		lb, err := Generate(ctx, dir, int64(i), c.spec)
		if err != nil {
			t.Fatalf("%+v: %v", c.spec, err)
		}
		if !strings.HasSuffix(lb.Path, c.ext) {
			t.Errorf("%s: path %s, want suffix %s", lb.Name, lb.Path, c.ext)
		}
		if lb.Positive != (c.spec.Mark != "" && c.spec.Mark != None) {
			t.Errorf("%s: positive = %v", lb.Name, lb.Positive)
		}
		if lb.PeriodS < 1 || lb.PeriodS > 6 {
			t.Errorf("%s: period %.2f outside the seeded 1-6 s", lb.Name, lb.PeriodS)
		}
		if d := probeDuration(t, lb.Path); math.Abs(d-8) > 0.2 {
			t.Errorf("%s: duration %.2f s", lb.Name, d)
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	ctx := context.Background()
	spec := Spec{Host: Music, Mark: PN, StrengthDB: -30, DurationS: 5}
	a, err := Generate(ctx, t.TempDir(), 7, spec)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(ctx, t.TempDir(), 7, spec)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(a.Path)
	y, _ := os.ReadFile(b.Path)
	if !bytes.Equal(x, y) {
		t.Fatal("same seed and spec gave different files")
	}
}

// The embedders must put the mark at the requested level and repeat it.
func TestEmbedders(t *testing.T) {
	n := 6 * Rate
	host := func() []float32 { return noise(rand.New(rand.NewSource(1)), n, true, 0.05) }
	t.Run("pn level and period", func(t *testing.T) {
		h := host()
		x := append([]float32(nil), h...)
		embedPN(x, rand.New(rand.NewSource(2)), 1.5, 2000, 6000, -30)
		d := make([]float32, n)
		for i := range d {
			d[i] = x[i] - h[i]
		}
		if got := 20 * math.Log10(rms(d)/rms(h)); math.Abs(got+30) > 0.5 {
			t.Errorf("mark at %.2f dB, want -30", got)
		}
		p := int(1.5 * Rate)
		for i := 0; i+p < n; i += 9973 {
			if math.Abs(float64(d[i]-d[i+p])) > 1e-6 {
				t.Fatalf("mark does not repeat at %d", i)
			}
		}
	})
	t.Run("patchwork changes bins by about the requested dB", func(t *testing.T) {
		h := host()
		x := append([]float32(nil), h...)
		embedPatchwork(x, rand.New(rand.NewSource(3)), 2, 1, 1024)
		d := make([]float32, n)
		for i := range d {
			d[i] = x[i] - h[i]
		}
		// +-1 dB on a third of the spectrum is roughly -25 dB of change.
		if r := 20 * math.Log10(rms(d)/rms(h)); r > -15 || r < -40 {
			t.Errorf("patchwork change at %.1f dB re host", r)
		}
	})
	t.Run("echo adds a delayed copy", func(t *testing.T) {
		h := host()
		x := append([]float32(nil), h...)
		embedEcho(x, rand.New(rand.NewSource(4)), 2, -14)
		d := make([]float32, n)
		for i := range d {
			d[i] = x[i] - h[i]
		}
		if r := 20 * math.Log10(rms(d)/rms(h)); math.Abs(r+14) > 1.5 {
			t.Errorf("echo at %.1f dB, want about -14", r)
		}
	})
	t.Run("fsk stays in 18.5-20 kHz", func(t *testing.T) {
		x := make([]float32, n)
		embedFSK(x, rand.New(rand.NewSource(5)), 2, -30)
		// Zero crossings per second give the mean frequency.
		zc := 0
		for i := 1; i < n; i++ {
			if (x[i-1] < 0) != (x[i] < 0) {
				zc++
			}
		}
		f := float64(zc) / 2 / 6
		if f < 18400 || f > 20100 {
			t.Errorf("mean tone frequency %.0f Hz", f)
		}
	})
}
