package audio

import (
	"math"
	"math/rand"
	"sort"
	"testing"
)

// The multiples of a period that is not a whole number of lags must all
// be found (fractional refinement), and a single strong lag (one repeated
// phrase) must not pass for a repeat at every multiple.
func TestPatchMultiples(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	noise := func() []float64 {
		z := make([]float64, 3000)
		for i := range z {
			z[i] = rng.NormFloat64()
		}
		return z
	}
	const lmin = 50
	loo := func(ts []float64) float64 {
		s := append([]float64(nil), ts...)
		sort.Float64s(s)
		return sumF(s[:len(s)-1]) / math.Sqrt(float64(len(s)-1))
	}

	// A weak repeat (z +2.5) at every multiple of 137.4 lags.
	z := noise()
	for h := 1; float64(h)*137.4 < 2999; h++ {
		z[int(math.Round(float64(h)*137.4))] += 2.5
	}
	m, sd := localMaxStats(z, lmin, 1)
	ts, per := multTerms(z, 137, len(z)-1, m, sd)
	if len(ts) != 21 || math.Abs(per-137.4) > 0.21 {
		t.Fatalf("%d multiples of %.1f, want 21 of 137.4", len(ts), per)
	}
	if c := sumF(ts) / math.Sqrt(float64(len(ts))); c < 6 || loo(ts) < patchLOO {
		t.Errorf("repeat at every multiple: combined %.1f, without the strongest %.1f", c, loo(ts))
	}
	if u, _ := multTerms(z, 211, len(z)-1, m, sd); sumF(u)/math.Sqrt(float64(len(u))) > 4 {
		t.Errorf("unrelated lag scores %.1f", sumF(u)/math.Sqrt(float64(len(u))))
	}

	// One strong coincidence at 2 x 137 and nothing else.
	z = noise()
	z[274] += 30
	m, sd = localMaxStats(z, lmin, 1)
	ts, _ = multTerms(z, 137, len(z)-1, m, sd)
	if l := loo(ts); l >= patchLOO {
		t.Errorf("single coincidence: score without it %.1f, want < %d", l, patchLOO)
	}
}
