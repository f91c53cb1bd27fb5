package audio

import (
	"context"
	"math"
	"math/rand"
	"strings"
	"testing"

	"tracescan/media"
	"tracescan/report"
	"tracescan/samples/audiomarks"
)

func scan(t *testing.T, seed int64, spec audiomarks.Spec) ([]report.Finding, *Result, audiomarks.Label) {
	t.Helper()
	ctx := context.Background()
	lb, err := audiomarks.Generate(ctx, t.TempDir(), seed, spec)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	info, err := media.Probe(ctx, lb.Path)
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	d := New(Options{})
	res, err := d.Analyze(ctx, info)
	if err != nil {
		t.Fatalf("analyze: %v", err)
	}
	return res.Findings(d.opt), res, lb
}

func kinds(fs []report.Finding) string {
	var k []string
	for _, f := range fs {
		k = append(k, f.Kind+"/"+f.Severity.String()+"/"+f.Method)
	}
	return strings.Join(k, " ")
}

// Positives: a known repeated mark must be found with the right period.
func TestDetectsMarks(t *testing.T) {
	if testing.Short() {
		t.Skip("generates audio")
	}
	cases := []struct {
		name   string
		seed   int64
		spec   audiomarks.Spec
		kind   string
		method string
		minSev report.Severity
	}{
		{"pn -30 dB speech", 11, audiomarks.Spec{Host: audiomarks.Speech, Mark: audiomarks.PN, StrengthDB: -30, PeriodS: 2.5, DurationS: 60},
			report.KindAudioWatermark, "spread_spectrum_autocorrelation", report.Medium},
		{"pn -30 dB music aac", 12, audiomarks.Spec{Host: audiomarks.Music, Mark: audiomarks.PN, StrengthDB: -30, PeriodS: 3, DurationS: 60, Variant: audiomarks.AAC96},
			report.KindAudioWatermark, "spread_spectrum_autocorrelation", report.Medium},
		{"pn -30 dB side only", 13, audiomarks.Spec{Host: audiomarks.Speech, Mark: audiomarks.PN, StrengthDB: -30, PeriodS: 4, DurationS: 60, Stereo: true, OneSide: true},
			report.KindAudioWatermark, "spread_spectrum_autocorrelation", report.Medium},
		{"fsk beacon", 14, audiomarks.Spec{Host: audiomarks.Speech, Mark: audiomarks.FSK, StrengthDB: -30, PeriodS: 2, DurationS: 30},
			report.KindUltrasonicBeacon, "fsk_beacon", report.Medium},
		{"patchwork +-1 dB noise", 15, audiomarks.Spec{Host: audiomarks.Noise, Mark: audiomarks.Patchwork, StrengthDB: 1, PeriodS: 3, DurationS: 90},
			report.KindAudioWatermark, "band_modulation_sign_repeat", report.Low},
		// Speech with pauses: the weakest host for band modulation.
		{"patchwork +-1 dB conversation", 16, audiomarks.Spec{Host: audiomarks.Conversation, Mark: audiomarks.Patchwork, StrengthDB: 1, PeriodS: 2.5, FrameN: 2048, DurationS: 120},
			report.KindAudioWatermark, "band_modulation_sign_repeat", report.Low},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs, _, lb := scan(t, c.seed, c.spec)
			for _, f := range fs {
				if f.Kind != c.kind || f.Method != c.method {
					continue
				}
				if f.Severity < c.minSev {
					t.Errorf("severity %s, want >= %s", f.Severity, c.minSev)
				}
				if f.PeriodS != nil && math.Abs(*f.PeriodS-lb.PeriodS) > 0.02*lb.PeriodS {
					t.Errorf("period %.3f s, embedded %.3f s", *f.PeriodS, lb.PeriodS)
				}
				if f.Advice == "" || (f.PValue == nil && f.FalsePositiveRate == nil) {
					t.Errorf("finding lacks advice or calibration: %+v", f)
				}
				return
			}
			t.Fatalf("no %s/%s finding; got %s", c.kind, c.method, kinds(fs))
		})
	}
}

// Hard negatives: repeats that are not marks, silence, noise, codecs.
func TestHardNegatives(t *testing.T) {
	if testing.Short() {
		t.Skip("generates audio")
	}
	cases := []struct {
		name string
		seed int64
		spec audiomarks.Spec
	}{
		{"music loop", 21, audiomarks.Spec{Host: audiomarks.Loop, DurationS: 60}},
		{"music loop mp3", 22, audiomarks.Spec{Host: audiomarks.Loop, DurationS: 60, Variant: audiomarks.MP3128}},
		{"hold music", 23, audiomarks.Spec{Host: audiomarks.HoldMusic, DurationS: 60}},
		{"jingle", 24, audiomarks.Spec{Host: audiomarks.Jingle, DurationS: 60}},
		{"silence", 25, audiomarks.Spec{Host: audiomarks.Silence, DurationS: 30}},
		{"room noise aac", 26, audiomarks.Spec{Host: audiomarks.Room, DurationS: 60, Variant: audiomarks.AAC96}},
		{"speech opus", 27, audiomarks.Spec{Host: audiomarks.Conversation, DurationS: 60, Variant: audiomarks.Opus32}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs, _, _ := scan(t, c.seed, c.spec)
			for _, f := range fs {
				if f.Severity >= report.Medium {
					t.Errorf("hard negative produced %s %s: %s", f.Severity, f.Kind, f.Title)
				}
			}
		})
	}
}

// A short clip gets the inconclusive note, and a clean one the absence
// note that says what could have been found.
func TestNotes(t *testing.T) {
	if testing.Short() {
		t.Skip("generates audio")
	}
	fs, _, _ := scan(t, 31, audiomarks.Spec{Host: audiomarks.Noise, DurationS: 20})
	var short, absent bool
	for _, f := range fs {
		if f.Kind != report.KindInconclusive {
			t.Errorf("unexpected finding on clean noise: %s %s", f.Kind, f.Title)
			continue
		}
		if strings.Contains(f.Title, "too short") {
			short = true
		}
		if strings.Contains(f.Text, "cannot be excluded") && strings.Contains(f.Text, "dB below") {
			absent = true
		}
	}
	if !short || !absent {
		t.Fatalf("want short-clip and absence notes, got %s", kinds(fs))
	}
}

// The whitening/band-synthesis path must be exact: a repeated white noise
// stream (no host) has whitened correlation near 1 at its period.
func TestLagCorrOnRepeat(t *testing.T) {
	c := newLagCorr(3000, 20000)
	s := newCorrScratch(false)
	defer s.Close()
	per := 1234
	pn := make([]complex64, per)
	rng := rand.New(rand.NewSource(5))
	for i := range pn {
		pn[i] = complex(float32(rng.NormFloat64()), float32(rng.NormFloat64()))
	}
	x := make([]complex64, 20000)
	for i := range x {
		x[i] = pn[i%per]
	}
	for i := 0; i < len(x); i += 777 {
		c.push(x[i:min(len(x), i+777)], s)
	}
	c.finish(s)
	r0 := real(c.sum[0])
	rp := abs2(c.sum[per])
	want := float64(len(x)-per) / float64(len(x))
	if got := math.Sqrt(rp) / float64(r0); math.Abs(got-want) > 0.02 {
		t.Fatalf("normalised R(P) = %.3f, want %.3f", got, want)
	}
	if got := math.Sqrt(abs2(c.sum[per+5])) / float64(r0); got > 0.1 {
		t.Fatalf("R off the period = %.3f", got)
	}
}

func TestOptimalSize(t *testing.T) {
	for _, c := range []struct{ in, want int }{{7, 8}, {97, 100}, {1025, 1080}, {2, 2}} {
		if got := optimalSize(c.in); got != c.want {
			t.Errorf("optimalSize(%d) = %d, want %d", c.in, got, c.want)
		}
	}
}
