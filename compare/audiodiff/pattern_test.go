package audiodiff

import (
	"math"
	"math/rand"
	"testing"
)

// synthRatio builds the level ratio D and shared level L (bins x frames of
// patHop) of one analysis window.
//
// host: "speech" is unrelated from frame to frame; "beat" repeats a chord
// on every beat, bars with a slightly different tempo each; "loop" repeats
// one bar exactly. The codec error in D follows the host (a fixed gain per
// bin on the host's level) plus noise whose spread varies by bin and over
// time. markDB > 0 adds a keyed +-markDB band pattern that repeats every
// periodS (the difference of two copies' marks).
func synthRatio(rng *rand.Rand, host string, t0 int, markDB, periodS float64, key int64) (D, L [][]float64) {
	const nb, T = 100, 4400
	frameS := float64(patHop) / fineRate
	L = make([][]float64, nb)
	D = make([][]float64, nb)
	for k := range L {
		L[k] = make([]float64, T)
		D[k] = make([]float64, T)
	}
	// A host chord: a level per bin.
	chord := func() []float64 {
		c := make([]float64, nb)
		for k := range c {
			c[k] = 3 * rng.NormFloat64()
		}
		return c
	}
	switch host {
	case "speech":
		cur := chord()
		for t := 0; t < T; t++ {
			if rng.Intn(12) == 0 { // a new sound every ~0.1 s
				cur = chord()
			}
			for k := range L {
				L[k][t] = cur[k] + 0.5*rng.NormFloat64()
			}
		}
	case "beat", "loop":
		beatF := 0.55 / frameS
		chords := [][]float64{chord(), chord(), chord(), chord()}
		tilt := chord() // high notes fade faster than low ones
		bar := make([][]float64, int(4*beatF)+1)
		for i := range bar {
			bar[i] = chords[min(3, int(float64(i)/beatF))]
		}
		for t := 0; t < T; {
			tempo := 1.0
			if host == "beat" {
				tempo = 1 + 0.01*rng.NormFloat64()
			}
			n := int(float64(len(bar)) * tempo)
			for i := 0; i < n && t < T; i, t = i+1, t+1 {
				src := bar[min(len(bar)-1, int(float64(i)/tempo))]
				// The notes decay over the beat.
				decay := math.Mod(float64(i)/tempo, beatF) / beatF
				for k := range L {
					L[k][t] = src[k] - decay*(3+tilt[k])
				}
			}
		}
	}
	// Codec error: a gain per bin on the host's level, plus noise.
	gain := make([]float64, nb)
	spread := make([]float64, nb)
	for k := range gain {
		gain[k] = 0.02 * rng.NormFloat64()
		spread[k] = 0.05 + 0.25*rng.Float64()
	}
	krng := rand.New(rand.NewSource(key))
	perF := max(1, int(math.Round(periodS/(512.0/48000))))
	pat := make([][]float64, perF)
	for j := range pat {
		pat[j] = make([]float64, nb/2+1)
		for b := range pat[j] {
			pat[j][b] = float64(2*krng.Intn(2) - 1)
		}
	}
	m := markDB * math.Ln10 / 10 // +-dB in power, as a natural log
	loud := 1.0
	for t := 0; t < T; t++ {
		if t%50 == 0 {
			loud = math.Exp(0.7 * rng.NormFloat64())
		}
		j := int(float64(t0+t)*frameS/(512.0/48000)) % perF
		for k := range D {
			v := gain[k]*L[k][t] + spread[k]*loud*rng.NormFloat64()
			if markDB > 0 {
				v += m * pat[j][k/2]
			}
			D[k][t] = math.Max(-0.7, math.Min(0.7, v))
		}
	}
	centre(D)
	centre(L)
	return D, L
}

func TestPatternScan(t *testing.T) {
	cases := []struct {
		name    string
		host    string
		markDB  float64 // 0: no mark
		periodS float64
		want    bool
	}{
		{"weak mark, speech", "speech", 0.07, 2.37, true},
		{"weak mark, beat music", "beat", 0.07, 3.1, true},
		{"speech alone", "speech", 0, 0, false},
		{"beat music alone", "beat", 0, 0, false},
		{"exact loop alone", "loop", 0, 0, false},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(int64(100 + i)))
			var stats []*winStats
			for w := 0; w < 3; w++ {
				D, L := synthRatio(rng, c.host, w*5000, c.markDB, c.periodS, 77)
				st := &winStats{}
				st.acPat, st.acPatShared, st.patRows = patternStats(D, L)
				stats = append(stats, st)
			}
			h := patternRepeat(stats)
			if h.flags() != c.want {
				t.Fatalf("flagged = %v, want %v (score %.1f at %.2f s, p %.1e)", h.flags(), c.want, h.score, h.lagS, h.p)
			}
			if c.want {
				k := math.Round(h.lagS / c.periodS)
				if k != 1 || math.Abs(h.lagS-c.periodS) > 0.02*c.periodS {
					t.Errorf("period %.3f s, want %.3f", h.lagS, c.periodS)
				}
			}
			t.Logf("score %.1f at %.2f s", h.score, h.lagS)
		})
	}
}
