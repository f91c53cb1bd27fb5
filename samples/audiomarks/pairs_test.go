package audiomarks

import (
	"context"
	"math"
	"strings"
	"testing"
)

func TestGeneratePair(t *testing.T) {
	if testing.Short() {
		t.Skip("runs ffmpeg and espeak-ng")
	}
	cases := []struct {
		name     string
		spec     PairSpec
		positive bool
		extA     string
		extB     string
	}{
		{"pn padded and drifting", PairSpec{Host: Speech, Mark: PN, StrengthDB: -35, OffsetS: 3, DriftPPM: 1000, RateB: 44100}, true, ".m4a", ".mp3"},
		{"patchwork trimmed", PairSpec{Host: Music, Mark: Patchwork, StrengthDB: -38, OffsetS: -2, VariantB: Plain}, true, ".m4a", ".wav"},
		{"clean", PairSpec{Host: Noise, OffsetS: 1, VariantA: MP3128, VariantB: AAC96}, false, ".mp3", ".m4a"},
		{"different meeting", PairSpec{Host: Music, Different: true, Mark: PN, StrengthDB: -35}, false, ".m4a", ".mp3"},
	}
	dir := t.TempDir()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.spec.DurationS = 10
			lb, err := GeneratePair(context.Background(), dir, int64(40+i), c.spec)
			if err != nil {
				t.Fatal(err)
			}
			if lb.Positive != c.positive {
				t.Errorf("Positive = %v, want %v", lb.Positive, c.positive)
			}
			if !strings.HasSuffix(lb.A, c.extA) || !strings.HasSuffix(lb.B, c.extB) {
				t.Errorf("paths %s, %s; want suffixes %s, %s", lb.A, lb.B, c.extA, c.extB)
			}
			if c.spec.Mark != "" && c.spec.Mark != None && math.Abs(lb.MarkDB-c.spec.StrengthDB) > 1.5 {
				t.Errorf("mark level %.1f dB, want %.1f", lb.MarkDB, c.spec.StrengthDB)
			}
			if c.spec.DriftPPM != 0 && math.Abs(lb.Drift*1e6-c.spec.DriftPPM) > 25 {
				t.Errorf("drift %.1f ppm, want about %.0f", lb.Drift*1e6, c.spec.DriftPPM)
			}
			// B lasts A's length, stretched by the drift, plus the offset.
			da, db := probeDuration(t, lb.A), probeDuration(t, lb.B)
			want := c.spec.DurationS*(1+lb.Drift) + c.spec.OffsetS
			if math.Abs(da-c.spec.DurationS) > 0.1 || math.Abs(db-want) > 0.1 {
				t.Errorf("durations %.3f and %.3f s, want %.1f and %.3f", da, db, c.spec.DurationS, want)
			}
		})
	}
}
