package audio

import (
	"math"
	"sort"
)

// EchoScore describes the strongest persistent cepstral peak at 0.3-5 ms.
type EchoScore struct {
	DelayMS float64
	// Z is the robust z of the peak's t statistic against the other
	// quefrencies (pitch and spectral shape move them all together).
	Z float64
	// PosFrac is the share of voiced frames where the peak is positive.
	PosFrac float64
	// Second is a second peak, and Switch the correlation over segments
	// between the two: echo hiding switches between two delays, so the
	// two peaks alternate (negative correlation); a room reflection
	// does not.
	SecondMS float64
	SecondZ  float64
	Switch   float64
	SwitchZ  float64
	Frames   int
	Curve    []float64 // z over quefrency
	Q1MS     float64
	Q2MS     float64
}

func echoScore(e *echoAcc, sr float64) *EchoScore {
	if e.frames < 50 {
		return nil
	}
	nq := len(e.sum)
	t := make([]float64, nq)
	n := float64(e.frames)
	for i := range t {
		m := e.sum[i] / n
		v := e.sumSq[i]/n - m*m
		if v <= 0 {
			continue
		}
		// Frames overlap by half: about n/2 independent ones.
		t[i] = m / math.Sqrt(v/(n/2))
	}
	med, mad := medianMAD(t)
	if mad <= 0 {
		return nil
	}
	z := make([]float64, nq)
	for i := range t {
		z[i] = (t[i] - med) / mad
	}
	es := &EchoScore{Frames: e.frames, Curve: z, Q1MS: 1000 * float64(e.q1) / sr, Q2MS: 1000 * float64(e.q2) / sr}
	// Peaks within 3 quefrencies of the range ends are not searched: the
	// local detrending is one-sided there.
	for i := 0; i < min(3, nq); i++ {
		z[i], z[nq-1-i] = 0, 0
	}
	b1 := argmax(z, -1)
	es.DelayMS = 1000 * float64(e.q1+b1) / sr
	es.Z = z[b1]
	es.PosFrac = float64(e.pos[b1]) / n
	// Echo hiding: among the strongest local maxima, the pair whose
	// per-segment values alternate most (most negative correlation).
	peaks := topPeaks(z, 6, 6)
	for i := 0; i < len(peaks); i++ {
		for j := i + 1; j < len(peaks); j++ {
			a, b := peaks[i], peaks[j]
			// Neighbouring quefrencies trade places whenever a peak
			// drifts; echo-hiding delays differ by a few tenths of a ms.
			if math.Abs(float64(b-a)) < 0.0003*sr {
				continue
			}
			r, rz := segCorr(e.segs, a, b)
			if rz < es.SwitchZ {
				if z[b] > z[a] {
					a, b = b, a
				}
				es.Switch, es.SwitchZ = r, rz
				es.DelayMS, es.Z, es.PosFrac = 1000*float64(e.q1+a)/sr, z[a], float64(e.pos[a])/n
				es.SecondMS, es.SecondZ = 1000*float64(e.q1+b)/sr, z[b]
			}
		}
	}
	return es
}

func argmax(z []float64, exclude int) int {
	best, bi := math.Inf(-1), -1
	for i, v := range z {
		if exclude >= 0 && i >= exclude-3 && i <= exclude+3 {
			continue
		}
		if v > best {
			best, bi = v, i
		}
	}
	return bi
}

// segCorr is the Pearson correlation across segments of two quefrencies'
// detrended cepstra, and its z (Fisher, about sqrt(n) r).
func segCorr(segs [][]float32, a, b int) (float64, float64) {
	n := float64(len(segs))
	if n < 20 {
		return 0, 0
	}
	var sa, sb, saa, sbb, sab float64
	for _, s := range segs {
		x, y := float64(s[a]), float64(s[b])
		sa += x
		sb += y
		saa += x * x
		sbb += y * y
		sab += x * y
	}
	cov := sab/n - sa*sb/n/n
	va, vb := saa/n-sa*sa/n/n, sbb/n-sb*sb/n/n
	if va <= 0 || vb <= 0 {
		return 0, 0
	}
	r := cov / math.Sqrt(va*vb)
	return r, math.Atanh(math.Max(-0.999999, math.Min(0.999999, r))) * math.Sqrt(n-3)
}

// topPeaks returns up to k indices of local maxima of z with z >= min,
// strongest first.
func topPeaks(z []float64, k int, minZ float64) []int {
	var idx []int
	for i := 1; i < len(z)-1; i++ {
		if z[i] >= minZ && z[i] >= z[i-1] && z[i] >= z[i+1] {
			idx = append(idx, i)
		}
	}
	sort.Slice(idx, func(a, b int) bool { return z[idx[a]] > z[idx[b]] })
	if len(idx) > k {
		idx = idx[:k]
	}
	return idx
}
