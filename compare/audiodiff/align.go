package audiodiff

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"

	"gonum.org/v1/gonum/dsp/fourier"

	"tracescan/media"
)

const (
	envRate   = 8000 // decoding rate of the whole-file envelope
	envHop    = 80   // 10 ms envelope frames
	envFPS    = envRate / envHop
	fineRate  = 16000 // analysis rate: marks in meeting audio sit below 8 kHz
	maxDrift  = 1.5e-3
	driftStep = 2e-4
)

// model maps A's time to B's: tB = o + (1+d) tA.
type model struct{ o, d float64 }

func (m model) tb(ta float64) float64 { return m.o + (1+m.d)*ta }

// readWindow decodes mono audio at rate from startS for durS seconds (the
// whole file when durS <= 0).
func readWindow(ctx context.Context, info *media.Info, rate int, startS, durS float64) ([]float32, error) {
	if durS > 0 && startS < 0 {
		durS += startS
		startS = 0
	}
	r, err := media.OpenAudio(ctx, info, media.AudioOptions{SampleRate: rate, Channels: 1, StartS: startS, DurationS: durS})
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", info.Path, err)
	}
	defer r.Close()
	var out []float32
	if durS > 0 {
		out = make([]float32, 0, int(durS*float64(rate))+rate)
	}
	buf := make([]float32, 1<<15)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("decoding %s: %w", info.Path, err)
		}
	}
	return out, nil
}

// envBands are the edges (Hz) of the envelope's bands: several bands,
// because a broadband envelope of music is nearly periodic (the drums)
// while the notes in each band are not.
var envBands = []float64{100, 170, 260, 380, 540, 750, 1000, 1400, 1900, 2600, 3800}

const envN = 256 // envelope frame (32 ms at envRate), hop envHop

// envelope streams the whole file at envRate and returns per band the 10 ms
// log energy, and the overall RMS, holding only the envelope.
func envelope(ctx context.Context, info *media.Info) ([][]float64, float64, error) {
	r, err := media.OpenAudio(ctx, info, media.AudioOptions{SampleRate: envRate, Channels: 1})
	if err != nil {
		return nil, 0, fmt.Errorf("decoding %s: %w", info.Path, err)
	}
	defer r.Close()
	nb := len(envBands) - 1
	env := make([][]float64, nb)
	fft := fourier.NewFFT(envN)
	win := make([]float64, envN)
	for i := range win {
		win[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/envN)
	}
	bin := func(f float64) int { return int(f * envN / envRate) }
	ring := make([]float32, 0, 1<<16)
	buf := make([]float32, 1<<14)
	fr := make([]float64, envN)
	var c []complex128
	var tot float64
	var totN int
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		n, rerr := r.Read(buf)
		for _, v := range buf[:n] {
			tot += float64(v) * float64(v)
		}
		totN += n
		ring = append(ring, buf[:n]...)
		s := 0
		for ; s+envN <= len(ring); s += envHop {
			for i := range fr {
				fr[i] = float64(ring[s+i]) * win[i]
			}
			c = fft.Coefficients(c, fr)
			for b := 0; b < nb; b++ {
				e := 0.0
				for k := bin(envBands[b]); k < bin(envBands[b+1]); k++ {
					e += sq(c[k])
				}
				env[b] = append(env[b], math.Log(e+1e-7))
			}
		}
		ring = append(ring[:0], ring[s:]...)
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			return nil, 0, fmt.Errorf("decoding %s: %w", info.Path, rerr)
		}
	}
	return env, math.Sqrt(tot / float64(max(1, totN))), nil
}

// perBand applies f to every band.
func perBand(e [][]float64, f func([]float64) []float64) [][]float64 {
	out := make([][]float64, len(e))
	for i, x := range e {
		out[i] = f(x)
	}
	return out
}

func sliceBands(e [][]float64, s, t int) [][]float64 {
	out := make([][]float64, len(e))
	for i, x := range e {
		out[i] = x[s:t]
	}
	return out
}

// highpass removes the local mean (over w frames) so that correlation
// follows syllables and notes rather than overall loudness.
func highpass(x []float64, w int) []float64 {
	c := make([]float64, len(x)+1)
	for i, v := range x {
		c[i+1] = c[i] + v
	}
	out := make([]float64, len(x))
	for i := range x {
		lo, hi := max(0, i-w), min(len(x), i+w+1)
		out[i] = x[i] - (c[hi]-c[lo])/float64(hi-lo)
	}
	return out
}

// ncc returns, for every lag L in [-maxLag, maxLag], the normalised
// correlation of a[.][i] with b[.][i+L] (summed over bands) over their
// overlap, and 0 where the overlap is shorter than minOverlap.
func ncc(a, b [][]float64, maxLag, minOverlap int) []float64 {
	na, nb := len(a[0]), len(b[0])
	n := 1
	for n < na+nb+1 {
		n *= 2
	}
	fft := fourier.NewFFT(n)
	pa := make([]float64, n)
	pb := make([]float64, n)
	acc := make([]complex128, n/2+1)
	sa := make([]float64, na+1)
	sb := make([]float64, nb+1)
	for j := range a {
		for i := range pa {
			pa[i], pb[i] = 0, 0
		}
		copy(pa, a[j])
		copy(pb, b[j])
		ca := fft.Coefficients(nil, pa)
		cb := fft.Coefficients(nil, pb)
		for i := range ca {
			acc[i] += complex(real(ca[i]), -imag(ca[i])) * cb[i]
		}
		for i, v := range prefixSq(a[j]) {
			sa[i] += v
		}
		for i, v := range prefixSq(b[j]) {
			sb[i] += v
		}
	}
	cc := fft.Sequence(nil, acc) // cc[L mod n] = n * sum a[i] b[i+L]
	out := make([]float64, 2*maxLag+1)
	for L := -maxLag; L <= maxLag; L++ {
		i0, i1 := max(0, -L), min(na, nb-L)
		if i1-i0 < minOverlap {
			continue
		}
		ea := sa[i1] - sa[i0]
		eb := sb[i1+L] - sb[i0+L]
		if ea <= 0 || eb <= 0 {
			continue
		}
		out[L+maxLag] = cc[(L+n)%n] / float64(n) / math.Sqrt(ea*eb)
	}
	return out
}

func prefixSq(x []float64) []float64 {
	c := make([]float64, len(x)+1)
	for i, v := range x {
		c[i+1] = c[i] + v*v
	}
	return c
}

// stretch resamples x (frames of A's clock) onto B's clock for drift d, by
// linear interpolation: out[j] = x[j/(1+d)].
func stretch(x []float64, d float64) []float64 {
	if d == 0 {
		return x
	}
	n := int(float64(len(x)) * (1 + d))
	out := make([]float64, n)
	for j := range out {
		p := float64(j) / (1 + d)
		i := int(p)
		f := p - float64(i)
		if i+1 < len(x) {
			out[j] = x[i]*(1-f) + x[i+1]*f
		} else if i < len(x) {
			out[j] = x[i]
		}
	}
	return out
}

func decimate(x []float64, k int) []float64 {
	out := make([]float64, len(x)/k)
	for i := range out {
		s := 0.0
		for _, v := range x[i*k : i*k+k] {
			s += v
		}
		out[i] = s / float64(k)
	}
	return out
}

func argmax(x []float64) int {
	b := 0
	for i, v := range x {
		if v > x[b] {
			b = i
		}
	}
	return b
}

// parabolic refines a peak index by fitting a parabola through its
// neighbours.
func parabolic(x []float64, i int) float64 {
	if i <= 0 || i >= len(x)-1 {
		return float64(i)
	}
	a, b, c := x[i-1], x[i], x[i+1]
	den := a - 2*b + c
	if den >= 0 {
		return float64(i)
	}
	return float64(i) + 0.5*(a-c)/den
}

// coarseAlign finds offset and drift from the 10 ms envelopes: a global
// search over drift on a 100 ms envelope, then lags of several 20 s
// segments around that guess and a line through them.
func coarseAlign(ctx context.Context, ea, eb [][]float64, maxOffS float64) (model, float64, error) {
	hp := func(x []float64) []float64 { return highpass(x, 50) }
	ha, hb := perBand(ea, hp), perBand(eb, hp)
	dec := func(x []float64) []float64 { return decimate(x, 10) }
	ga, gb := perBand(ha, dec), perBand(hb, dec)
	maxLag := int(maxOffS * 10)
	minOv := max(50, min(len(ga[0]), len(gb[0]))/4)
	best, bestLag, bestD := -1.0, 0.0, 0.0
	durS := float64(len(ea[0])) / envFPS
	steps := int(math.Round(maxDrift / driftStep))
	if durS*maxDrift < 0.15 {
		steps = 0 // drift cannot matter at this resolution
	}
	for j := -steps; j <= steps; j++ {
		d := float64(j) * driftStep
		if err := ctx.Err(); err != nil {
			return model{}, 0, err
		}
		c := ncc(perBand(ga, func(x []float64) []float64 { return stretch(x, d) }), gb, maxLag, minOv)
		i := argmax(c)
		if c[i] > best {
			best, bestLag, bestD = c[i], (parabolic(c, i)-float64(maxLag))/10, d
		}
	}
	if best < minGlobalNCC {
		return model{}, best, fmt.Errorf("%w (envelope correlation %.2f)", ErrNoAlignment, best)
	}
	guess := model{o: bestLag, d: bestD}
	// Segment lags at 10 ms, searched around the guess only as far as its
	// error can reach (this also keeps a looping host or repeated bars
	// from pulling segments to another repeat).
	segN := min(20*envFPS, len(ea[0])/2)
	search := int((0.15 + driftStep/2*durS) * envFPS)
	var ts, lags []float64
	for k := 0; k < 7; k++ {
		s := int(float64(len(ea[0])-segN) * (float64(k) + 0.5) / 7)
		ta := (float64(s) + float64(segN)/2) / envFPS
		tb := guess.tb(ta)
		b0 := int((tb-float64(segN)/2/envFPS)*envFPS) - search
		if b0 < 0 || b0+segN+2*search > len(eb[0]) {
			continue
		}
		seg := sliceBands(ha, s, s+segN)
		if variance(seg[len(seg)/2]) < 1e-3 {
			continue
		}
		bseg := sliceBands(hb, b0, b0+segN+2*search)
		c := ncc(seg, bseg, 2*search, segN*9/10)
		i := argmax(c)
		if c[i] < 0.4 {
			continue
		}
		lagF := parabolic(c, i) - float64(2*search)
		tbSeg := (float64(b0)+lagF)/envFPS + float64(segN)/2/envFPS
		ts = append(ts, ta)
		lags = append(lags, tbSeg)
	}
	if len(ts) == 0 {
		return guess, best, nil
	}
	m, ok := fitLine(ts, lags, 0.03, guess.d)
	if !ok || math.Abs(m.d) > 1.5*maxDrift {
		return guess, best, nil
	}
	return m, best, nil
}

func variance(x []float64) float64 {
	m, s := 0.0, 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return s / float64(len(x))
}

// fitLine fits tb = o + (1+d) ta by least squares, dropping points further
// than tol seconds from the fit; with one point, or points spanning under
// 10 s, it keeps drift d0.
func fitLine(ta, tb []float64, tol, d0 float64) (model, bool) {
	use := make([]bool, len(ta))
	for i := range use {
		use[i] = true
	}
	var m model
	for iter := 0; iter < 4; iter++ {
		var n, st, sb, stt, stb float64
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range ta {
			if !use[i] {
				continue
			}
			n++
			st += ta[i]
			sb += tb[i]
			stt += ta[i] * ta[i]
			stb += ta[i] * tb[i]
			lo, hi = math.Min(lo, ta[i]), math.Max(hi, ta[i])
		}
		if n == 0 {
			return model{}, false
		}
		if n < 2 || hi-lo < 10 {
			m = model{o: (sb - (1+d0)*st) / n, d: d0}
		} else {
			slope := (n*stb - st*sb) / (n*stt - st*st)
			m = model{o: (sb - slope*st) / n, d: slope - 1}
		}
		// Drop the worst outliers, keeping at least half the points.
		res := make([]float64, len(ta))
		for i := range ta {
			res[i] = math.Abs(tb[i] - m.tb(ta[i]))
		}
		srt := append([]float64(nil), res...)
		sort.Float64s(srt)
		cut := math.Max(tol, 3*srt[len(srt)/2])
		changed := false
		for i := range ta {
			u := res[i] <= cut
			if u != use[i] {
				changed = true
			}
			use[i] = u
		}
		kept := 0
		for _, u := range use {
			if u {
				kept++
			}
		}
		if kept*2 < len(ta) {
			return m, false
		}
		if !changed {
			break
		}
	}
	return m, true
}
