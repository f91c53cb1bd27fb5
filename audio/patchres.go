package audio

import (
	"math"
	"sort"
)

// PatchScore is the best repeat of the residual sign pattern for one frame
// size of one channel.
type PatchScore struct {
	Channel string
	FrameN  int
	PeriodS float64
	Z1, Z2  float64 // robust z of the sign correlation at P and 2P
	// ZH is the combined score over P, 2P, 3P, normalised over all lags.
	ZH   float64
	PAdj float64
	Corr float64 // sign agreement excess at P: 2*P(agree)-1
	// Chunks is the fraction of eighths of the analysed span whose sign
	// agreement, summed over the multiples of P, is positive (a repeated
	// payload is everywhere).
	Chunks  float64
	SpanS   float64
	Content float64
	Curve   []float64
	CurveS  float64
	// Mult is the number of multiples of the period (P, 2P, ...) the
	// combined score used, ZLOO that score without its strongest multiple
	// and PosFrac the share of multiples that agree (standardised z > 0).
	Mult    int
	ZLOO    float64
	PosFrac float64
	// ZOdd and ZEven combine the odd (P, 3P ...) and even (2P, 4P ...)
	// multiples: for a period twice P only the even ones would agree.
	ZOdd, ZEven float64
}

const nTestsPatch = 8 // frame sizes x channels

const patchMinPeriodS = 1.0

// Minimum robust z at the period and at twice it.
const (
	patchZ1 = 3
	patchZ2 = 2
	// Minimum combined score without the strongest multiple.
	patchLOO = 4
)

func patchScores(w, mid *chanWorker) []PatchScore {
	var out []PatchScore
	for _, s := range w.pw.sizes {
		if p, ok := patchSize(s, w.pw.useCV); ok {
			p.Channel = w.name
			p.Content = contentCorr(mid, p.PeriodS)
			out = append(out, p)
		}
	}
	return out
}

// signs returns the per-bin residual signs after a short temporal
// high-pass (each frame minus the mean of its two neighbours): slow level
// changes are not a mark, and a longer running mean would leave its own
// correlation structure at lags of up to twice its length.
func (s *pwSize) signs() []int8 {
	nb := s.k2 - s.k1 + 1
	out := make([]int8, len(s.res))
	for t := 1; t < s.t-1; t++ {
		for k := 0; k < nb; k++ {
			c := s.res[t*nb+k]
			if c == 0 {
				continue // silence or no residual
			}
			v := 2*int(c) - int(s.res[(t-1)*nb+k]) - int(s.res[(t+1)*nb+k])
			switch {
			case v > 0:
				out[t*nb+k] = 1
			case v < 0:
				out[t*nb+k] = -1
			}
		}
	}
	return out
}

func patchSize(s *pwSize, useCV bool) (PatchScore, bool) {
	hopS := float64(s.hop) / s.sr
	// Payload periods below patchMinPeriodS are not searched: steady
	// vowels, musical beats and drum patterns (0.1-0.6 s, seen in the
	// evaluation) repeat the residual pattern there, and a keyed payload
	// of a few dozen bits spans longer.
	lmin := int(math.Ceil(patchMinPeriodS / hopS))
	lm := min(s.t-1, int(maxLagS/hopS))
	if s.t < 64 || lmin*2+2 > lm {
		return PatchScore{}, false
	}
	// Multiples of the period are used up to half the analysed span (a
	// payload repeated all through agrees with itself at each of them);
	// candidate periods stay below maxLagS/2.
	lz := max(lm, s.t/2)
	nb := s.k2 - s.k1 + 1
	sg := s.signs()
	// Sum over bins of each bin's autocorrelation: two real sign series
	// share one complex FFT (z = a + ib gives |A_k|^2 + |B_k|^2 =
	// (|Z_k|^2 + |Z_-k|^2) / 2), power spectra summed, one inverse FFT.
	f := optimalSize(2 * s.t)
	var fft cfft
	if useCV {
		fft = newGocvCFFT(f)
	} else {
		fft = newGonumCFFT(f)
	}
	defer fft.Close()
	zb := make([]complex64, f)
	acc := make([]float64, f)
	nnz := 0
	for k := 0; k < nb; k += 2 {
		clear(zb)
		for t := 0; t < s.t; t++ {
			a := sg[t*nb+k]
			var b int8
			if k+1 < nb {
				b = sg[t*nb+k+1]
			}
			zb[t] = complex(float32(a), float32(b))
			nnz += int(a*a) + int(b*b)
		}
		fft.Forward(zb)
		for i := range zb {
			j := (f - i) % f
			acc[i] += 0.5 * (abs2(zb[i]) + abs2(zb[j]))
		}
	}
	if nnz == 0 {
		return PatchScore{}, false
	}
	for i := range zb {
		zb[i] = complex(float32(acc[i]), 0)
	}
	fft.Inverse(zb)
	x := make([]float64, lz+1)
	for l := range x {
		x[l] = float64(real(zb[l]))
	}
	c := make([]float64, lz+1)
	for l := 0; l <= lz; l++ {
		pairs := float64(nnz) * float64(s.t-l) / float64(s.t)
		c[l] = x[l] / float64(f) / pairs
	}
	// Remove the smooth part of the correlation (steady vowels and notes
	// keep their residual pattern for a while): subtract the mean over
	// neighbouring lags, the lag itself and its neighbours excluded.
	d := detrendLags(c, lmin)
	// Fewer pairs at longer lags: scale to unit variance per lag.
	for l := range d {
		d[l] *= math.Sqrt(float64(s.t-l) / float64(s.t))
	}
	_, mad := medianMAD(d[lmin:])
	if mad <= 0 {
		return PatchScore{}, false
	}
	z := make([]float64, len(c))
	for l := range c {
		z[l] = d[l] / mad
	}
	best := PatchScore{FrameN: s.n, PAdj: 1, SpanS: float64(s.t) * hopS}
	// Combine the period with its multiples: a payload repeats all
	// through, one chance coincidence does not. The combined score is
	// normalised against its own spread over all lags (an empirical null
	// that absorbs the local-maximum bias).
	hi := lm / 2
	if hi <= lmin {
		return PatchScore{}, false
	}
	comb := make([]float64, hi+1)
	// Each term is standardised by the spread of local maxima over all
	// lags, so that periods with many multiples in range are not favoured
	// by the bias of taking maxima.
	m1, s1 := localMaxStats(z, lmin, 1)
	if s1 <= 0 {
		return PatchScore{}, false
	}
	for l := lmin; l <= hi; l++ {
		ts, _ := multTerms(z, l, lz, m1, s1)
		comb[l] = sumF(ts) / math.Sqrt(float64(len(ts)))
	}
	cm, cs := medianMAD(comb[lmin:])
	if cs <= 0 {
		return PatchScore{}, false
	}
	bestL, nl := 0, hi-lmin+1
	best.ZH = math.Inf(-1)
	for l := lmin; l <= hi; l++ {
		if zh := (comb[l] - cm) / cs; zh > best.ZH {
			best.ZH, bestL = zh, l
		}
	}
	bestL0 := bestL
	var lags []int // the multiples of the refined period
	best.Z1, _ = localMax(z, bestL, 1)
	best.Z2, _ = localMax(z, 2*bestL, 2)
	_, bestL = localMax(z, bestL, 1)
	// Prefer the fundamental when a third or half of the lag repeats too.
	for _, k := range []int{3, 2} {
		if l := (bestL + k/2) / k; l >= lmin {
			if v, lk := localMax(z, l, 1); v >= 4 && v >= 0.5*best.Z1 {
				bestL = lk
				break
			}
		}
	}
	{
		ts, per := multTerms(z, bestL0, lz, m1, s1)
		for h := 1; h <= len(ts); h++ {
			lags = append(lags, int(math.Round(float64(h)*per)))
		}
		best.Mult = len(ts)
		var so, se float64
		for i, v := range ts {
			if i%2 == 0 { // P, 3P, 5P ...
				so += v
			} else {
				se += v
			}
		}
		best.ZOdd = so / math.Sqrt(float64((len(ts)+1)/2))
		best.ZEven = se / math.Sqrt(float64(max(1, len(ts)/2)))
		sort.Float64s(ts)
		best.ZLOO = sumF(ts[:len(ts)-1]) / math.Sqrt(float64(max(1, len(ts)-1)))
		for _, v := range ts {
			if v > 0 {
				best.PosFrac++
			}
		}
		best.PosFrac /= float64(len(ts))
	}
	best.PAdj = clampP(normTail(best.ZH) * float64(nl) * nTestsPatch)
	best.PeriodS = float64(bestL) * hopS
	best.Corr = c[bestL]
	best.Chunks = chunkAgreement(sg, nb, s.t, lags)
	best.Curve = poolMax(z[:lm+1], 1600)
	best.CurveS = float64(lm) * hopS
	return best, true
}

// chunkAgreement splits the span into eighths and returns the fraction
// whose sign agreement, summed over the given lags (the multiples of the
// period), is positive.
func chunkAgreement(sg []int8, nb, t int, lags []int) float64 {
	const parts = 8
	var sum [parts]int
	for _, l := range lags {
		n := t - l
		if n < parts {
			continue
		}
		for p := 0; p < parts; p++ {
			for tt := p * n / parts; tt < (p+1)*n/parts; tt++ {
				a, b := sg[tt*nb:(tt+1)*nb], sg[(tt+l)*nb:(tt+l+1)*nb]
				for k := range a {
					sum[p] += int(a[k]) * int(b[k])
				}
			}
		}
	}
	pos := 0
	for _, v := range sum {
		if v > 0 {
			pos++
		}
	}
	return float64(pos) / parts
}

// detrendLags returns c minus its local mean over [l-w, l+w] without
// [l-2, l+2], w = max(6, l/10).
func detrendLags(c []float64, lmin int) []float64 {
	pre := make([]float64, len(c)+1)
	for i, v := range c {
		pre[i+1] = pre[i] + v
	}
	sum := func(a, b int) (float64, int) { // [a, b)
		a, b = max(0, a), min(len(c), b)
		if b <= a {
			return 0, 0
		}
		return pre[b] - pre[a], b - a
	}
	d := make([]float64, len(c))
	for l := lmin; l < len(c); l++ {
		w := max(6, l/10)
		s1, n1 := sum(l-w, l-2)
		s2, n2 := sum(l+3, l+w+1)
		if n1+n2 == 0 {
			continue
		}
		d[l] = c[l] - (s1+s2)/float64(n1+n2)
	}
	return d
}

// multTerms returns the standardised local maxima of z at l and its
// multiples up to lz, for the fractional refinement of the period that
// gives the largest sum, and that period in lags.
func multTerms(z []float64, l, lz int, m, sd float64) ([]float64, float64) {
	v1, _ := localMax(z, l, 1)
	t1 := (v1 - m) / sd
	var best []float64
	bestC, bestP := math.Inf(-1), float64(l)
	// The period need not be a whole number of hops: try fractional
	// refinements so that high multiples stay on it.
	for _, dl := range []float64{-0.4, -0.2, 0, 0.2, 0.4} {
		p := float64(l) + dl
		ts := []float64{t1}
		sum := t1
		for h := 2; ; h++ {
			c := int(math.Round(float64(h) * p))
			if c+1 > lz {
				break
			}
			v, _ := localMax(z, c, 1)
			ts = append(ts, (v-m)/sd)
			sum += (v - m) / sd
		}
		if cc := sum / math.Sqrt(float64(len(ts))); cc > bestC {
			bestC, best, bestP = cc, ts, p
		}
	}
	return best, bestP
}

func sumF(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// localMaxStats returns the median and MAD of the maxima over [l-w, l+w]
// for l >= lmin.
func localMaxStats(z []float64, lmin, w int) (float64, float64) {
	v := make([]float64, 0, len(z))
	for l := lmin; l < len(z); l++ {
		m, _ := localMax(z, l, w)
		v = append(v, m)
	}
	return medianMAD(v)
}
