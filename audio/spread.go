package audio

import (
	"math"
)

// SpreadScore is the best repeat found in one band of one channel by the
// whitened long-lag autocorrelation.
type SpreadScore struct {
	Channel string
	Band    bandDef
	PeriodS float64
	// Harm holds |R(kP)|^2 / sigma^2 for k = 1..3 (0 when out of range).
	Harm [3]float64
	// Stat is the sum of Harm: Gamma(k) under the null of no repeat.
	Stat float64
	// PAdj is the null p-value, Bonferroni-corrected over lags, bands and
	// channels.
	PAdj float64
	// Corr is the whitened correlation |R(P)| / R(0): the repeated part's
	// share of the band's flattened power.
	Corr float64
	// MinCorr is the smallest Corr the test could have detected here.
	MinCorr float64
	// Spread in (0,1]: near 1 when the repeat is spread over the whole
	// recording, near 1/Blocks when it sits in one place.
	Spread float64
	Blocks int
	// Content is the raw (unwhitened) correlation of the loud content at
	// the same period: high for music loops and replayed jingles.
	Content float64
	Curve   []float64 // |R(L)|/sigma, pooled, lags 0..maxLag
	CurveS  float64   // seconds spanned by Curve
}

// spreadMinPeriodS is the shortest period searched. Opus and AAC frame
// structures leave sharp whitened repeats at 0.1-0.15 s in silence and
// speech (measured), and a personal payload repeats far more slowly.
const spreadMinPeriodS = 0.25

// nTests is how many (band x channel) searches the Bonferroni factor covers.
const nTestsSpread = 8

func spreadScores(w *chanWorker, mid *chanWorker) []SpreadScore {
	var out []SpreadScore
	for _, b := range w.bands {
		s, ok := spreadBand(b)
		if !ok {
			continue
		}
		s.Channel = w.name
		s.Content = contentCorr(mid, s.PeriodS)
		out = append(out, s)
	}
	return out
}

func spreadBand(b *bandSynth) (SpreadScore, bool) {
	c := b.corr
	r0 := float64(real(c.sum[0]))
	if c.energy == 0 || r0 <= 0 {
		return SpreadScore{}, false
	}
	lmin := int(spreadMinPeriodS * b.rate)
	if lmin >= c.maxLag/2 {
		return SpreadScore{}, false
	}
	e := make([]float64, c.maxLag+1)
	for l := range e {
		e[l] = abs2(c.sum[l])
	}
	med, _ := medianMAD(e[lmin:])
	sigma2 := med / math.Ln2 // median of an Exp(s2) is s2 ln 2
	if sigma2 <= 0 {
		return SpreadScore{}, false
	}
	// Whitened speech and music keep some smooth correlation at short lags
	// (syllables, notes): normalise by the local level on log-spaced lag
	// segments, never below the global one, so only sharp peaks count.
	local := localLevel(e, lmin, sigma2)
	for l := range e {
		e[l] /= local[l]
	}
	best := SpreadScore{Band: b.def, Stat: -1}
	bestL := 0
	nl := 0
	for l := lmin; 2*l+2 <= c.maxLag; l++ {
		nl++
		h1, _ := localMax(e, l, 1)
		if h1 < 6 { // cheap pre-filter: no first-harmonic peak at all
			continue
		}
		h2, _ := localMax(e, 2*l, 2)
		h3 := 0.0
		if 3*l+3 <= c.maxLag {
			h3, _ = localMax(e, 3*l, 3)
		}
		if st := h1 + h2 + h3; st > best.Stat {
			best.Stat, best.Harm, bestL = st, [3]float64{h1, h2, h3}, l
		}
	}
	k := 2
	if 3*bestL+3 <= c.maxLag {
		k = 3
	}
	if bestL == 0 {
		best.Stat, best.PAdj = 0, 1
	} else {
		_, li := localMax(e, bestL, 1)
		bestL = li
		// Prefer the fundamental: a multiple of the true period scores
		// nearly as well when the period's own harmonics run out of range.
		for _, k := range []int{3, 2} {
			if l := (bestL + k/2) / k; l >= lmin {
				if v, lk := localMax(e, l, 1); v >= 0.5*best.Harm[0] && v >= 20 {
					bestL = lk
					break
				}
			}
		}
		// Local maxima over 3, 5, 7 lags: that many chances per harmonic.
		look := 15.0
		if k == 3 {
			look = 105
		}
		best.PAdj = clampP(gammaTail(k, best.Stat) * look * float64(nl) * nTestsSpread)
		best.PeriodS = float64(bestL) / b.rate
		best.Corr = math.Sqrt(e[bestL]*sigma2) / r0
		sq := float64(c.sumSq[bestL])
		if sq > 0 && c.nblocks > 0 {
			best.Spread = e[bestL] * sigma2 / (float64(c.nblocks) * sq)
		}
	}
	best.Blocks = c.nblocks
	// Smallest detectable: both first harmonics at the threshold statistic.
	best.MinCorr = math.Sqrt(spreadThreshold(nl)/2*sigma2) / r0
	curve := make([]float64, len(e))
	for l := range e {
		curve[l] = math.Sqrt(e[l])
	}
	best.Curve = poolMax(curve, 1600)
	best.CurveS = float64(c.maxLag) / b.rate
	return best, true
}

// spreadThreshold is the statistic at which PAdj reaches spreadAlpha for
// two harmonics (used to state what the scan could have found).
func spreadThreshold(nl int) float64 {
	lo, hi := 0.0, 400.0
	for i := 0; i < 60; i++ {
		m := (lo + hi) / 2
		if gammaTail(2, m)*15*float64(nl)*nTestsSpread > spreadAlpha {
			lo = m
		} else {
			hi = m
		}
	}
	return hi
}

// contentCorr is the largest raw correlation of the mid channel's content
// bands at lags P and 2P: a loud repeat (loop) has it near 1, a hidden mark
// at -30 dB near 0.
func contentCorr(mid *chanWorker, periodS float64) float64 {
	if periodS <= 0 {
		return 0
	}
	best := 0.0
	for _, b := range mid.content {
		c := b.corr
		r0 := float64(real(c.sum[0]))
		if r0 <= 0 {
			continue
		}
		for h := 1; h <= 2; h++ {
			l := int(math.Round(float64(h) * periodS * b.rate))
			if l+2 > c.maxLag {
				continue
			}
			for i := l - 2; i <= l+2; i++ {
				v := math.Sqrt(abs2(c.sum[i])) / r0
				best = math.Max(best, v)
			}
		}
	}
	return best
}

// localLevel returns per lag the larger of the global noise power and the
// median power (over ln 2) of its log-spaced lag segment (10 % wide).
func localLevel(e []float64, lmin int, global float64) []float64 {
	out := make([]float64, len(e))
	for l := 0; l < lmin && l < len(e); l++ {
		out[l] = global
	}
	for a := lmin; a < len(e); {
		b := min(len(e), max(a+32, a+a/10))
		med, _ := medianMAD(e[a:b])
		v := math.Max(global, med/math.Ln2)
		for l := a; l < b; l++ {
			out[l] = v
		}
		a = b
	}
	return out
}
