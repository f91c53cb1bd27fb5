package audiodiff

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"math"
	"testing"

	"tracescan/media"
	"tracescan/report"
	"tracescan/samples/audiomarks"
)

func comparePair(t *testing.T, seed int64, sp audiomarks.PairSpec) (*Result, audiomarks.PairLabel, error) {
	t.Helper()
	ctx := context.Background()
	lb, err := audiomarks.GeneratePair(ctx, t.TempDir(), seed, sp)
	if err != nil {
		t.Fatalf("generating pair: %v", err)
	}
	a, err := media.Probe(ctx, lb.A)
	if err != nil {
		t.Fatal(err)
	}
	b, err := media.Probe(ctx, lb.B)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Compare(ctx, a, b, Options{MaxOffsetS: 30})
	return res, lb, err
}

// checkFindings verifies the contract between Flagged and the findings.
func checkFindings(t *testing.T, res *Result) {
	t.Helper()
	var diff, inconc int
	for _, f := range res.Findings {
		if f.Detector != "audiodiff" || f.Copy != "both" {
			t.Errorf("finding %q: detector %q copy %q", f.Title, f.Detector, f.Copy)
		}
		switch f.Kind {
		case report.KindCopyDifference:
			diff++
			if f.Severity != report.Medium || f.PValue == nil || f.FalsePositiveRate == nil || f.BandHz == nil ||
				f.TimeStart == nil || f.TimeEnd == nil || f.PeriodS == nil || f.ScoreMeaning == "" || f.Advice == "" {
				t.Errorf("incomplete copy_difference finding: %+v", f)
			}
		case report.KindInconclusive:
			inconc++
			if f.Severity != report.Info {
				t.Errorf("inconclusive finding with severity %v", f.Severity)
			}
		default:
			t.Errorf("unexpected finding kind %q", f.Kind)
		}
		for _, ev := range f.Images {
			if _, err := png.Decode(bytes.NewReader(ev.Data)); err != nil {
				t.Errorf("evidence %q is not a PNG: %v", ev.Caption, err)
			}
		}
	}
	if res.Flagged != (diff > 0) {
		t.Errorf("Flagged = %v with %d copy_difference findings", res.Flagged, diff)
	}
	if !res.Flagged && inconc != 1 {
		t.Errorf("not flagged: want exactly one inconclusive finding, got %d", inconc)
	}
}

func TestComparePairs(t *testing.T) {
	if testing.Short() {
		t.Skip("generates audio with espeak-ng and ffmpeg")
	}
	cases := []struct {
		name string
		seed int64
		spec audiomarks.PairSpec
		want bool
	}{
		{"pn -35 dB speech, aac vs mp3 44.1 kHz, drift", 11, audiomarks.PairSpec{Host: audiomarks.Speech, Mark: audiomarks.PN,
			StrengthDB: -35, PeriodS: 2.5, OffsetS: 3.7, DriftPPM: 800, RateB: 44100}, true},
		{"pn -40 dB music, mp3 vs wav, trimmed", 12, audiomarks.PairSpec{Host: audiomarks.Music, Mark: audiomarks.PN,
			StrengthDB: -40, PeriodS: 2, OffsetS: -2.2, DriftPPM: -400, VariantA: audiomarks.MP3128, VariantB: audiomarks.Plain}, true},
		{"patchwork -35 dB conversation, aac vs mp3", 13, audiomarks.PairSpec{Host: audiomarks.Conversation, Mark: audiomarks.Patchwork,
			StrengthDB: -35, PeriodS: 3, OffsetS: 5.1, DriftPPM: 300, DurationS: 90}, true},
		{"clean speech, aac vs mp3", 21, audiomarks.PairSpec{Host: audiomarks.Speech, OffsetS: 4.4, DriftPPM: -700, RateB: 44100}, false},
		{"looping music, aac vs mp3", 22, audiomarks.PairSpec{Host: audiomarks.Loop, OffsetS: 2.5, DriftPPM: 200}, false},
		{"noise, aac vs wav", 23, audiomarks.PairSpec{Host: audiomarks.Noise, OffsetS: -1.5, DriftPPM: 900, VariantB: audiomarks.Plain}, false},
		{"silence, aac vs mp3", 24, audiomarks.PairSpec{Host: audiomarks.Silence, OffsetS: -1}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.spec.DurationS == 0 {
				c.spec.DurationS = 40
			}
			res, lb, err := comparePair(t, c.seed, c.spec)
			if err != nil {
				t.Fatalf("Compare: %v", err)
			}
			checkFindings(t, res)
			if res.Flagged != c.want {
				t.Fatalf("Flagged = %v, want %v (stats %+v)", res.Flagged, c.want, res.Stats)
			}
			if c.spec.Host == audiomarks.Silence {
				return
			}
			// Alignment: offset within 1 ms (a loop only up to its
			// period), drift within 5 ppm.
			if d := math.Abs(res.OffsetS - c.spec.OffsetS); d > 1e-3 && c.spec.Host != audiomarks.Loop {
				t.Errorf("offset %.5f s, want %.5f (error %.2f ms)", res.OffsetS, c.spec.OffsetS, d*1e3)
			}
			if d := math.Abs(res.Drift - lb.Drift); d > 5e-6 {
				t.Errorf("drift %.1f ppm, want %.1f", res.Drift*1e6, lb.Drift*1e6)
			}
			if !c.want {
				return
			}
			// A payload repeating every P also repeats every 2P: accept a
			// small multiple, but at least one finding must give P itself.
			exact := false
			for _, f := range res.Findings {
				if f.PeriodS == nil {
					continue
				}
				k := math.Round(*f.PeriodS / c.spec.PeriodS)
				if k < 1 || k > 3 || math.Abs(*f.PeriodS-k*c.spec.PeriodS) > 0.05*k {
					t.Errorf("%s: period %.3f s, want a multiple of %.3f", f.Method, *f.PeriodS, c.spec.PeriodS)
				}
				exact = exact || k == 1
			}
			if !exact {
				t.Errorf("no finding gives the period %.3f s", c.spec.PeriodS)
			}
		})
	}
}

func TestDifferentMeetings(t *testing.T) {
	if testing.Short() {
		t.Skip("generates audio with espeak-ng and ffmpeg")
	}
	cases := []struct {
		name string
		seed int64
		host audiomarks.Host
	}{
		{"speech", 31, audiomarks.Speech},
		{"music", 32, audiomarks.Music},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res, _, err := comparePair(t, c.seed, audiomarks.PairSpec{Host: c.host, Different: true, DurationS: 30, OffsetS: 2})
			if !errors.Is(err, ErrNoAlignment) {
				t.Fatalf("err = %v (result %+v), want ErrNoAlignment", err, res)
			}
		})
	}
}

func TestFitLine(t *testing.T) {
	cases := []struct {
		name    string
		o, d    float64
		outlier bool
	}{
		{"no drift", 12.5, 0, false},
		{"drift", -3, 8e-4, false},
		{"drift with an outlier", 100, -5e-4, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ta, tb []float64
			for i := 0; i < 12; i++ {
				x := 5 + 10*float64(i)
				ta = append(ta, x)
				tb = append(tb, c.o+(1+c.d)*x)
			}
			if c.outlier {
				tb[4] += 0.5
			}
			m, ok := fitLine(ta, tb, 0.01, 0)
			if !ok || math.Abs(m.o-c.o) > 1e-6 || math.Abs(m.d-c.d) > 1e-9 {
				t.Errorf("fit = %+v, %v; want o=%g d=%g", m, ok, c.o, c.d)
			}
		})
	}
}

func TestInterpDelaysASine(t *testing.T) {
	const f = 6000.0
	x := make([]float32, 4000)
	for i := range x {
		x[i] = float32(math.Sin(2 * math.Pi * f * float64(i) / fineRate))
	}
	for _, frac := range []float64{0, 0.25, 0.5, 0.9} {
		var e, s float64
		for i := 100; i < 3900; i++ {
			p := float64(i) + frac
			want := math.Sin(2 * math.Pi * f * p / fineRate)
			d := float64(interp(x, p)) - want
			e += d * d
			s += want * want
		}
		if db := 10 * math.Log10(e/s); db > -40 {
			t.Errorf("fraction %.2f: interpolation error %.1f dB, want below -40 dB", frac, db)
		}
	}
}
