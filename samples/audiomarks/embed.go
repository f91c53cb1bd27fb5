package audiomarks

import (
	"math"
	"math/cmplx"
	"math/rand"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Mark names an embedder.
type Mark string

// Embedders. Each hides a payload that repeats every PeriodS seconds.
const (
	None      Mark = "none"
	PN        Mark = "pn"        // band-limited PN sequence added in time
	Patchwork Mark = "patchwork" // keyed bins raised/lowered by +-dB per frame
	Echo      Mark = "echo"      // echo hiding: delay d0 or d1 per bit
	FSK       Mark = "fsk"       // 18.5-20 kHz FSK beacon
)

func rms(x []float32) float64 {
	e := 0.0
	for _, v := range x {
		e += float64(v) * float64(v)
	}
	return math.Sqrt(e / float64(max(1, len(x))))
}

// levelFor is the mark RMS for strengthDB relative to the host; on a
// silent host marks are placed at an absolute -60 dBFS + strength + 30.
func levelFor(host []float32, strengthDB float64) float64 {
	h := rms(host)
	if h < 1e-5 {
		h = 0.03
	}
	return h * math.Pow(10, strengthDB/20)
}

// embedPN adds a PN sequence of one period, band-limited to [lo, hi] Hz
// (circularly, so the repeat is seamless), repeated over the clip.
func embedPN(x []float32, rng *rand.Rand, periodS, lo, hi, strengthDB float64) {
	p := pnPeriod(periodS)
	fft := fourier.NewFFT(p)
	seq := make([]float64, p)
	for i := range seq {
		seq[i] = rng.NormFloat64()
	}
	c := fft.Coefficients(nil, seq)
	for k := range c {
		f := float64(k) * Rate / float64(p)
		if f < lo || f > hi {
			c[k] = 0
		}
	}
	fft.Sequence(seq, c)
	pn := make([]float32, p)
	for i, v := range seq {
		pn[i] = float32(v)
	}
	g := float32(levelFor(x, strengthDB) / rms(pn))
	off := rng.Intn(p)
	for i := range x {
		x[i] += g * pn[(i+off)%p]
	}
}

// embedPatchwork runs an STFT (frame n, hop n/2, sqrt-Hann) and multiplies
// keyed bands of bins (bandBins wide, 1-7 kHz) by 10^(+-dB/20) following a
// keyed sign pattern that repeats every periodS.
func embedPatchwork(x []float32, rng *rand.Rand, periodS, dB float64, n int) {
	hop := n / 2
	frames := max(1, int(math.Round(periodS*Rate/float64(hop))))
	const bandBins = 2
	binHz := float64(Rate) / float64(n)
	k1, k2 := int(1000/binHz), int(7000/binHz)
	nb := (k2 - k1) / bandBins
	pat := make([][]float64, frames)
	up, down := math.Pow(10, dB/20), math.Pow(10, -dB/20)
	for t := range pat {
		pat[t] = make([]float64, nb)
		for b := range pat[t] {
			if rng.Intn(2) == 0 {
				pat[t][b] = up
			} else {
				pat[t][b] = down
			}
		}
	}
	win := make([]float64, n)
	for i := range win {
		win[i] = math.Sqrt(0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n)))
	}
	fft := fourier.NewFFT(n)
	out := make([]float64, len(x)+n)
	fr := make([]float64, n)
	var c []complex128
	for t := 0; t*hop+n <= len(x); t++ {
		for i := range fr {
			fr[i] = float64(x[t*hop+i]) * win[i]
		}
		c = fft.Coefficients(c, fr)
		row := pat[t%frames]
		for b := 0; b < nb; b++ {
			for k := k1 + b*bandBins; k < k1+(b+1)*bandBins; k++ {
				c[k] *= complex(row[b], 0)
			}
		}
		fft.Sequence(fr, c)
		for i := range fr {
			out[t*hop+i] += fr[i] / float64(n) * win[i]
		}
	}
	// The first and last half frames lack overlap partners: keep the host.
	for i := range x {
		if i >= hop && i < len(x)-n {
			x[i] = float32(out[i])
		}
	}
	_ = cmplx.Abs
}

// embedEcho adds an echo of amplitude 10^(dB/20) whose delay switches
// between d0 and d1 by the payload bits (bit segments of segS, 10 ms
// cross-fades), the bit pattern repeating every periodS.
func embedEcho(x []float32, rng *rand.Rand, periodS, dB float64) {
	a := math.Pow(10, dB/20)
	d0 := int((0.0008 + 0.0012*rng.Float64()) * Rate)
	d1 := d0 + int((0.0004+0.0008*rng.Float64())*Rate)
	segS := 0.1
	bits := max(2, int(math.Round(periodS/segS)))
	seg := int(periodS * Rate / float64(bits))
	pay := make([]float64, bits)
	for i := range pay {
		pay[i] = float64(rng.Intn(2))
	}
	src := append([]float32(nil), x...)
	fade := Rate / 100
	for i := range x {
		b := (i / seg) % bits
		m := pay[b]
		// Cross-fade into the next bit.
		if r := i % seg; r > seg-fade {
			nb := pay[(b+1)%bits]
			f := float64(r-(seg-fade)) / float64(fade)
			m = m*(1-f) + nb*f
		}
		var e0, e1 float64
		if i >= d0 {
			e0 = float64(src[i-d0])
		}
		if i >= d1 {
			e1 = float64(src[i-d1])
		}
		x[i] += float32(a * ((1-m)*e0 + m*e1))
	}
}

// embedFSK adds a beacon: 8 tones 200 Hz apart from 18.5 kHz, 72 ms
// symbols with raised-cosine edges, symbol sequence repeating every periodS.
func embedFSK(x []float32, rng *rand.Rand, periodS, strengthDB float64) {
	sym := int(0.072 * Rate)
	nsym := max(2, int(periodS*Rate)/sym)
	seq := make([]int, nsym)
	for i := range seq {
		seq[i] = rng.Intn(8)
	}
	amp := levelFor(x, strengthDB) * math.Sqrt2
	edge := Rate / 500
	phase := 0.0
	for i := range x {
		s := i / sym
		f := 18500 + 200*float64(seq[s%nsym])
		phase += 2 * math.Pi * f / Rate
		r := i % sym
		env := 1.0
		if r < edge {
			env = 0.5 - 0.5*math.Cos(math.Pi*float64(r)/float64(edge))
		} else if r > sym-edge {
			env = 0.5 - 0.5*math.Cos(math.Pi*float64(sym-r)/float64(edge))
		}
		x[i] += float32(amp * env * math.Sin(phase))
	}
}

// pnPeriod is the PN period in samples: the first 2^a 3^b 5^c size at or
// above periodS (a prime-sized FFT would take minutes).
func pnPeriod(periodS float64) int {
	for n := int(periodS * Rate); ; n++ {
		m := n
		for _, f := range []int{2, 3, 5} {
			for m%f == 0 {
				m /= f
			}
		}
		if m == 1 {
			return n
		}
	}
}
