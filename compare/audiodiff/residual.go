package audiodiff

import (
	"math"
	"math/cmplx"
	"sort"

	"gonum.org/v1/gonum/dsp/fourier"
)

const (
	stftN    = 512 // 32 ms at fineRate
	stftHop  = stftN / 2
	blockS   = 10.0 // gain is matched per bin over blocks of this length
	bandLoHz = 300.0
	bandHiHz = 7500.0
	// Lags searched for a repeating payload, and the longest lag computed
	// (twice the longest candidate, to confirm with the second repeat).
	minLagS = 0.25
	maxCand = 7.5
	maxLagS = 2 * maxCand
	// The level-pattern test works on a finer grid.
	patN   = 256
	patHop = 128
)

var sqrtHann = func() []float64 {
	w := make([]float64, stftN)
	for i := range w {
		w[i] = math.Sqrt(0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/stftN))
	}
	return w
}()

// stft returns frames of the sqrt-Hann windowed spectrum, hop stftN/2.
func stft(fft *fourier.FFT, x []float32) [][]complex128 {
	var out [][]complex128
	fr := make([]float64, stftN)
	for s := 0; s+stftN <= len(x); s += stftHop {
		for i := range fr {
			fr[i] = float64(x[s+i]) * sqrtHann[i]
		}
		out = append(out, fft.Coefficients(nil, fr))
	}
	return out
}

// istft overlap-adds frames back to n samples (sqrt-Hann twice sums to 1).
func istft(fft *fourier.FFT, sp [][]complex128, n int) []float64 {
	out := make([]float64, n)
	fr := make([]float64, stftN)
	for t, c := range sp {
		fft.Sequence(fr, c)
		s := t * stftHop
		for i := range fr {
			if s+i < n {
				out[s+i] += fr[i] / stftN * sqrtHann[i]
			}
		}
	}
	return out
}

// winStats is what one window contributes to the decision.
type winStats struct {
	t0, t1 float64
	// Per-bin mean powers (stftN/2+1 bins): residual, shared, host floor
	// model, and the share of each cell's residual that A and B agree on.
	pRes, pShared, pFloor []float64
	// Analytic autocorrelations of the whitened residual and shared
	// signals, lags 0..maxLag samples, and the residual's power spectrum
	// (for the band of a repeat).
	acRes, acShared []complex128
	psRes           []float32
	nfft            int
	// Level-pattern autocorrelations (lags in patHop frames).
	acPat, acPatShared []float64
	patRows            [][]float64 // per-bin level-pattern autocorrelation
	patLo              int         // first bin (patN grid) of patRows
	resDB, hostDB      float64     // residual and host RMS, dBFS
	pA, pB             float64     // A and B power, 300-4000 Hz, before gain matching
}

// analyse matches gain per bin and block, subtracts, and measures the
// residual of one aligned window.
func analyse(w *window) *winStats {
	fft := fourier.NewFFT(stftN)
	A := stft(fft, w.a)
	B := stft(fft, w.b)
	nb := stftN/2 + 1
	st := &winStats{t0: w.t0, t1: w.t0 + float64(len(w.a))/fineRate,
		pRes: make([]float64, nb), pShared: make([]float64, nb), pFloor: make([]float64, nb)}
	for t := range A {
		for k := int(300 * stftN / fineRate); k <= int(4000*stftN/fineRate); k++ {
			st.pA += sq(A[t][k])
			st.pB += sq(B[t][k])
		}
	}
	R := make([][]complex128, len(A))
	S := make([][]complex128, len(A))
	blk := int(blockS * fineRate / stftHop)
	nBlk := max(1, (len(A)+blk/2)/blk)
	for bi := 0; bi < nBlk; bi++ {
		t0 := bi * len(A) / nBlk
		t1 := (bi + 1) * len(A) / nBlk
		for k := 0; k < nb; k++ {
			var ab complex128
			var bb float64
			for t := t0; t < t1; t++ {
				ab += A[t][k] * cmplx.Conj(B[t][k])
				bb += real(B[t][k])*real(B[t][k]) + imag(B[t][k])*imag(B[t][k])
			}
			g := complex(0, 0)
			if bb > 0 {
				g = ab / complex(bb, 0)
			}
			for t := t0; t < t1; t++ {
				if k == 0 {
					R[t] = make([]complex128, nb)
					S[t] = make([]complex128, nb)
				}
				gb := g * B[t][k]
				R[t][k] = A[t][k] - gb
				S[t][k] = 0.5 * (A[t][k] + gb)
			}
		}
	}
	// Codec floor model: codec noise follows the host, so per bin the
	// residual-to-host ratio measured where the host is loud predicts the
	// residual everywhere; an added mark keeps its level where the host
	// is quiet and exceeds it there.
	ratios := make([]float64, 0, len(R))
	lvl := make([]float64, len(R))
	var eR, eS float64
	for k := 0; k < nb; k++ {
		for t := range R {
			lvl[t] = sq(S[t][k])
		}
		srt := append([]float64(nil), lvl...)
		sort.Float64s(srt)
		loud := srt[len(srt)*7/10]
		ratios = ratios[:0]
		for t := range R {
			r, s := sq(R[t][k]), lvl[t]
			st.pRes[k] += r
			st.pShared[k] += s
			if s >= loud && s > 0 {
				ratios = append(ratios, r/s)
			}
		}
		c := 0.0
		if len(ratios) > 0 {
			sort.Float64s(ratios)
			c = ratios[len(ratios)/2]
		}
		st.pRes[k] /= float64(len(R))
		st.pShared[k] /= float64(len(R))
		st.pFloor[k] = c*st.pShared[k] + floorPow
		f := float64(k) * fineRate / stftN
		if f >= bandLoHz && f <= bandHiHz {
			eR += st.pRes[k]
			eS += st.pShared[k]
		}
	}
	st.resDB = 10 * math.Log10(4*eR/(stftN*stftN)+1e-20)
	st.hostDB = 10 * math.Log10(4*eS/(stftN*stftN)+1e-20)
	n := len(w.a)
	wr := istft(fft, whiten(R), n)
	ws := istft(fft, whiten(S), n)
	st.acRes, st.psRes, st.nfft = analyticAC(wr, int(maxLagS*fineRate), true)
	st.acShared, _, _ = analyticAC(ws, int(maxLagS*fineRate), false)
	st.acPat, st.acPatShared, st.patRows, st.patLo = patternAC(w.a, w.b)
	return st
}

// floorPow is the power per bin of 16-bit quantisation noise in our STFT
// units: the floor below which no residual means anything.
const floorPow = stftN / 2 * (1.0 / 32768 / 32768 / 12) * 4

func sq(c complex128) float64 { return real(c)*real(c) + imag(c)*imag(c) }

// whiten divides every cell by its local level (+-4 frames, +-2 bins) and
// keeps bandLoHz-bandHiHz: loud passages then no longer dominate the
// autocorrelation, and a mark in speech pauses counts fully.
func whiten(X [][]complex128) [][]complex128 {
	nb := stftN/2 + 1
	T := len(X)
	pw := make([][]float64, T)
	for t := range X {
		pw[t] = make([]float64, nb)
		for k := range X[t] {
			pw[t][k] = sq(X[t][k])
		}
	}
	// Box smoothing along bins, then along time.
	sm := make([][]float64, T)
	for t := range pw {
		sm[t] = make([]float64, nb)
		for k := 0; k < nb; k++ {
			s, c := 0.0, 0
			for j := max(0, k-2); j <= min(nb-1, k+2); j++ {
				s += pw[t][j]
				c++
			}
			sm[t][k] = s / float64(c)
		}
	}
	out := make([][]complex128, T)
	lo, hi := int(math.Round(bandLoHz*stftN/fineRate)), int(math.Round(bandHiHz*stftN/fineRate))
	for t := range X {
		out[t] = make([]complex128, nb)
		for k := lo; k <= hi; k++ {
			s, c := 0.0, 0
			for u := max(0, t-4); u <= min(T-1, t+4); u++ {
				s += sm[u][k]
				c++
			}
			s /= float64(c)
			if s <= floorPow {
				continue
			}
			out[t][k] = X[t][k] / complex(math.Sqrt(s), 0)
		}
	}
	return out
}

// analyticAC returns the autocorrelation of the analytic signal of x for
// lags 0..maxLag (its magnitude is the envelope of the ordinary
// autocorrelation, so a repeat at a fractional lag is not lost), and, when
// keep, the power spectrum it came from.
func analyticAC(x []float64, maxLag int, keep bool) ([]complex128, []float32, int) {
	n := 1
	for n < len(x)+maxLag+1 {
		n *= 2
	}
	buf := make([]float64, n)
	copy(buf, x)
	X := fourier.NewFFT(n).Coefficients(nil, buf)
	z := make([]complex128, n)
	var ps []float32
	if keep {
		ps = make([]float32, len(X))
	}
	for k := 1; k < n/2; k++ {
		p := sq(X[k])
		z[k] = complex(p, 0)
		if keep {
			ps[k] = float32(p)
		}
	}
	ac := fourier.NewCmplxFFT(n).Sequence(nil, z)
	out := make([]complex128, maxLag+1)
	for i := range out {
		out[i] = ac[i] / complex(float64(n), 0)
	}
	return out, ps, n
}

// patternAC measures whether the level ratio of A to B, cell by cell,
// repeats: a band-modulation mark (patchwork) changes levels in a keyed
// pattern that repeats with the payload even though the waveform does not.
// It returns the autocorrelation along time (summed over bins) of the
// double-centred log ratio, and the same for the shared log level (a
// repeating host).
func patternAC(a, b []float32) (ac, acShared []float64, rows [][]float64, lo int) {
	fft := fourier.NewFFT(patN)
	win := make([]float64, patN)
	for i := range win {
		win[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/patN)
	}
	lo = int(800 * patN / fineRate)
	hi := int(7200 * patN / fineRate)
	nbin := hi - lo + 1
	T := (len(a) - patN) / patHop
	if T < 4 {
		return nil, nil, nil, lo
	}
	D := make([][]float64, nbin)
	L := make([][]float64, nbin)
	for k := range D {
		D[k] = make([]float64, T)
		L[k] = make([]float64, T)
	}
	fa := make([]float64, patN)
	fb := make([]float64, patN)
	var ca, cb []complex128
	const eps = 1e-9
	pw := make([][]float64, nbin) // per bin, cell power (for the level gate)
	for k := range pw {
		pw[k] = make([]float64, T)
	}
	for t := 0; t < T; t++ {
		s := t * patHop
		for i := range fa {
			fa[i] = float64(a[s+i]) * win[i]
			fb[i] = float64(b[s+i]) * win[i]
		}
		ca = fft.Coefficients(ca, fa)
		cb = fft.Coefficients(cb, fb)
		for k := 0; k < nbin; k++ {
			pa, pb := sq(ca[lo+k]), sq(cb[lo+k])
			if pa+pb < 1e-12 {
				continue // digital silence in both: no information
			}
			d := math.Log((pa + eps) / (pb + eps))
			D[k][t] = math.Max(-0.7, math.Min(0.7, d))
			L[k][t] = math.Log(pa + pb + eps)
			pw[k][t] = pa + pb
		}
	}
	// A level ratio only means something where the host is well above the
	// codec noise: keep, per bin, the louder half of the cells. The shared
	// level is held at the gate below it: in quiet cells an added mark
	// (which repeats) can set the level, and the host's repeats are
	// measured only where the ratio is.
	srt := make([]float64, T)
	for k := range D {
		copy(srt, pw[k])
		sort.Float64s(srt)
		gate := srt[T/2]
		for t := range D[k] {
			if pw[k][t] < gate {
				D[k][t] = 0
				L[k][t] = math.Log(gate + eps)
			}
		}
	}
	centre(D)
	centre(L)
	ac, acShared, rows = patternStats(D, L)
	return ac, acShared, rows, lo
}

// patternStats whitens the level ratio D and returns its autocorrelation
// along time (summed over bins and per bin) and that of the shared level L.
func patternStats(D, L [][]float64) (ac, acShared []float64, rows [][]float64) {
	maxLag := int(maxLagS * fineRate / patHop)
	ac, rows = timeAC(whitenRatio(D), maxLag)
	acShared, _ = timeAC(L, maxLag)
	return ac, acShared, rows
}

// Neighbourhood (bins, frames either side) over which whitenRatio measures
// the codec's spread of the level ratio, and the variance floor (in the
// ratio's squared log units) that keeps near-silent cells from dominating.
// Set on development pairs (seeds 8000-8015, 8500-8515), see decide.go.
const (
	ratioBins   = 3
	ratioFrames = 12
	ratioVarMin = 1e-3
)

// whitenRatio divides each cell of the level ratio by its local RMS (cells
// that are exactly zero carry nothing and stay zero). Codec error varies a
// lot from cell to cell while a band-modulation mark shifts every cell by
// the same few hundredths: scaled to equal spread, the quiet cells are no
// longer drowned by the noisy ones.
func whitenRatio(D [][]float64) [][]float64 {
	nb := len(D)
	if nb == 0 {
		return nil
	}
	T := len(D[0])
	sq := make([][]float64, nb)
	cnt := make([][]float64, nb)
	for k := range sq {
		sq[k] = make([]float64, T)
		cnt[k] = make([]float64, T)
		for j := max(0, k-ratioBins); j <= min(nb-1, k+ratioBins); j++ {
			for t, v := range D[j] {
				sq[k][t] += v * v
				if v != 0 {
					cnt[k][t]++
				}
			}
		}
	}
	out := make([][]float64, nb)
	for k := range out {
		out[k] = make([]float64, T)
		var s, c float64
		for t := 0; t < min(T, ratioFrames); t++ {
			s += sq[k][t]
			c += cnt[k][t]
		}
		for t := 0; t < T; t++ {
			if u := t + ratioFrames; u < T {
				s += sq[k][u]
				c += cnt[k][u]
			}
			if u := t - ratioFrames - 1; u >= 0 {
				s -= sq[k][u]
				c -= cnt[k][u]
			}
			if D[k][t] == 0 || c < 4 {
				continue
			}
			out[k][t] = D[k][t] / math.Sqrt(s/c+ratioVarMin)
		}
	}
	return out
}

// centre removes per-bin and per-frame means.
func centre(M [][]float64) {
	T := len(M[0])
	for k := range M {
		m := 0.0
		for _, v := range M[k] {
			m += v
		}
		m /= float64(T)
		for t := range M[k] {
			M[k][t] -= m
		}
	}
	for t := 0; t < T; t++ {
		m := 0.0
		for k := range M {
			m += M[k][t]
		}
		m /= float64(len(M))
		for k := range M {
			M[k][t] -= m
		}
	}
}

// timeAC returns the autocorrelation along time, lags 0..maxLag, summed
// over rows and row by row.
func timeAC(M [][]float64, maxLag int) ([]float64, [][]float64) {
	T := len(M[0])
	n := 1
	for n < T+maxLag+1 {
		n *= 2
	}
	fft := fourier.NewFFT(n)
	buf := make([]float64, n)
	nl := min(maxLag+1, T)
	out := make([]float64, nl)
	rows := make([][]float64, len(M))
	var c []complex128
	r := make([]float64, n)
	for j, row := range M {
		for i := range buf {
			buf[i] = 0
		}
		copy(buf, row)
		c = fft.Coefficients(c, buf)
		for k := range c {
			c[k] = complex(sq(c[k]), 0)
		}
		fft.Sequence(r, c)
		rows[j] = make([]float64, nl)
		for i := range rows[j] {
			rows[j][i] = r[i] / float64(n)
			out[i] += rows[j][i]
		}
	}
	return out, rows
}
