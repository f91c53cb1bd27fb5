package audiodiff

import (
	"context"
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"

	"tracescan/media"
)

// sincTable holds a Blackman-windowed sinc for fractional delays: subtracting
// two copies at 2-7 kHz needs far better than linear interpolation.
const (
	sincHalf  = 16
	sincSteps = 2048
)

var sincTab = func() []float32 {
	t := make([]float32, (sincSteps+1)*2*sincHalf)
	const cut = 0.94 // of Nyquist
	for s := 0; s <= sincSteps; s++ {
		f := float64(s) / sincSteps
		for j := -sincHalf + 1; j <= sincHalf; j++ {
			x := float64(j) - f
			v := cut
			if x != 0 {
				v = math.Sin(math.Pi*cut*x) / (math.Pi * x)
			}
			w := x/float64(sincHalf) + 1 // 0..2 across the support
			bw := 0.42 - 0.5*math.Cos(math.Pi*w) + 0.08*math.Cos(2*math.Pi*w)
			t[s*2*sincHalf+j+sincHalf-1] = float32(v * bw)
		}
	}
	return t
}()

// interp reads x at fractional position p (0 outside x).
func interp(x []float32, p float64) float32 {
	i := int(math.Floor(p))
	f := p - float64(i)
	s := int(f*sincSteps + 0.5)
	h := sincTab[s*2*sincHalf : (s+1)*2*sincHalf]
	var acc float32
	j0 := i - sincHalf + 1
	if j0 >= 0 && j0+2*sincHalf <= len(x) {
		for k, v := range x[j0 : j0+2*sincHalf] {
			acc += v * h[k]
		}
		return acc
	}
	for k := 0; k < 2*sincHalf; k++ {
		if j := j0 + k; j >= 0 && j < len(x) {
			acc += x[j] * h[k]
		}
	}
	return acc
}

// window is one stretch of the overlap, decoded from both copies.
type window struct {
	t0   float64   // start in A's time
	a    []float32 // A at fineRate
	braw []float32 // B around the predicted span, at fineRate
	b0   float64   // B time of braw[0]
	b    []float32 // B resampled onto A's samples by the current model
}

func loadWindow(ctx context.Context, A, B *media.Info, m model, t0, durS float64) (*window, error) {
	// Seeks are given to the decoder in whole milliseconds: start where
	// we say we start.
	t0 = math.Round(t0*1000) / 1000
	a, err := readWindow(ctx, A, fineRate, t0, durS)
	if err != nil {
		return nil, err
	}
	const margin = 0.4
	bs := math.Round((m.tb(t0)-margin)*1000) / 1000
	be := m.tb(t0+durS) + margin
	braw, err := readWindow(ctx, B, fineRate, math.Max(0, bs), be-math.Max(0, bs))
	if err != nil {
		return nil, err
	}
	w := &window{t0: t0, a: a, braw: braw, b0: math.Max(0, bs)}
	w.resample(m)
	return w, nil
}

func (w *window) resample(m model) {
	if len(w.b) != len(w.a) {
		w.b = make([]float32, len(w.a))
	}
	for i := range w.a {
		ta := w.t0 + float64(i)/fineRate
		w.b[i] = interp(w.braw, (m.tb(ta)-w.b0)*fineRate)
	}
}

// chunkLags measures, every chunk, how far B (as resampled) lags A, in
// seconds, with a phase-transform cross-correlation (sharp peaks whatever
// the spectra) and a parabolic sub-sample peak. It returns chunk centres in
// A's time and lags; chunks with no clear peak are skipped.
func (w *window) chunkLags(maxLag int) (ts, lags []float64) {
	chunk := 1 << 15
	if maxLag < 1<<11 {
		chunk -= 2 * maxLag // keeps the transform at 2^15
	}
	n := 1
	for n < chunk+2*maxLag {
		n *= 2
	}
	fft := fourier.NewFFT(n)
	xa := make([]float64, n)
	xb := make([]float64, n)
	var ca, cb []complex128
	lo, hi := int(150*float64(n)/fineRate), int(7000*float64(n)/fineRate)
	for s := maxLag; s+chunk+maxLag <= len(w.a); s += chunk {
		for i := range xa {
			xa[i], xb[i] = 0, 0
		}
		ea, eb := 0.0, 0.0
		for i := 0; i < chunk; i++ {
			xa[i] = float64(w.a[s+i])
			ea += xa[i] * xa[i]
		}
		for i := 0; i < chunk+2*maxLag; i++ {
			xb[i] = float64(w.b[s-maxLag+i])
			eb += xb[i] * xb[i]
		}
		if ea < 1e-6*float64(chunk) || eb < 1e-6*float64(chunk) {
			continue // too quiet to time
		}
		ca = fft.Coefficients(ca, xa)
		cb = fft.Coefficients(cb, xb)
		for k := range ca {
			if k < lo || k > hi {
				ca[k] = 0
				continue
			}
			c := cmplx.Conj(ca[k]) * cb[k]
			if a := cmplx.Abs(c); a > 1e-12 {
				ca[k] = c / complex(a, 0)
			} else {
				ca[k] = 0
			}
		}
		cc := fft.Sequence(nil, ca)
		seg := cc[:2*maxLag+1]
		i := argmax(seg)
		mean := 0.0
		for _, v := range seg {
			mean += math.Abs(v)
		}
		mean /= float64(len(seg))
		if seg[i] < 8*mean {
			continue
		}
		ts = append(ts, w.t0+float64(s+chunk/2)/fineRate)
		lags = append(lags, (parabolic(seg, i)-float64(maxLag))/fineRate)
	}
	return ts, lags
}

// refine measures chunk lags in every window and refits the model.
func refine(ws []*window, m model, maxLag int) (model, int, float64) {
	var ta, tb []float64
	for _, w := range ws {
		ts, lags := w.chunkLags(maxLag)
		for i := range ts {
			ta = append(ta, ts[i])
			tb = append(tb, m.tb(ts[i])+lags[i]*(1+m.d))
		}
	}
	if len(ta) == 0 {
		return m, 0, 0
	}
	nm, ok := fitLine(ta, tb, 2.0/fineRate, m.d)
	if !ok {
		return m, len(ta), math.Inf(1)
	}
	var rs float64
	for i := range ta {
		r := tb[i] - nm.tb(ta[i])
		rs += r * r
	}
	for _, w := range ws {
		w.resample(nm)
	}
	return nm, len(ta), math.Sqrt(rs / float64(len(ta)))
}
