package audio

import (
	"math"
)

// patchAcc keeps, for the first capS seconds and for several frame sizes,
// the per-bin log-magnitude residual after removing the spectral envelope
// (quantised to int8, quarter-dB steps). A patchwork / band-modulation mark
// nudges keyed bins up or down per frame; with a repeated payload the sign
// pattern of that residual repeats.
type patchAcc struct {
	sizes []*pwSize
	capN  int
	seen  int
	useCV bool
}

type pwSize struct {
	n, hop  int
	sr      float64
	win     []float32
	fft     rowFFT
	k1, k2  int
	pending []float32
	frames  []float32
	spec    []complex64
	res     []int8 // frames x (k2-k1+1)
	t       int
	logm    []float64
	long    float64 // running mean frame energy
}

// patchFrameS are the analysis frame sizes in seconds: 512..4096 samples
// at 48 kHz, scaled with the rate so that they match a mark's frame time.
var patchFrameS = []float64{512.0 / 48000, 1024.0 / 48000, 2048.0 / 48000, 4096.0 / 48000}

const envHalf = 4 // bins either side for the spectral envelope

func newPatchAcc(sr, capS float64, useCV bool) *patchAcc {
	p := &patchAcc{capN: int(capS * sr), useCV: useCV}
	if p.capN == 0 {
		return p // test disabled (short clip)
	}
	for _, fs := range patchFrameS {
		// A 2^a 3^b 5^c size: at 44.1 kHz the scaled sizes (470, 940 ...)
		// have a factor 47, which OpenCV transforms about 10x slower.
		n := optimalSize(int(math.Round(fs * sr)))
		binHz := sr / float64(n)
		k1 := max(envHalf+1, int(math.Ceil(300/binHz)))
		k2 := min(n/2-envHalf-1, int(math.Floor(math.Min(8000, 0.45*sr)/binHz)))
		if k2-k1 < 16 {
			continue
		}
		s := &pwSize{n: n, hop: n / 2, sr: sr, win: sqrtHann(n), k1: k1, k2: k2,
			frames: make([]float32, stftRows*n), spec: make([]complex64, stftRows*(n/2+1)), logm: make([]float64, n/2+1)}
		if useCV {
			s.fft = newGocvRowFFT(n, stftRows)
		} else {
			s.fft = newGonumRowFFT(n)
		}
		// Preallocate the residual store: appends that double would
		// briefly hold twice the memory.
		s.res = make([]int8, 0, (int(capS*sr)/s.hop+2)*(k2-k1+1))
		p.sizes = append(p.sizes, s)
	}
	return p
}

func (p *patchAcc) push(x []float32) {
	if p.seen >= p.capN {
		return
	}
	x = x[:min(len(x), p.capN-p.seen)]
	p.seen += len(x)
	for _, s := range p.sizes {
		s.pending = append(s.pending, x...)
		s.run(false)
	}
}

func (p *patchAcc) finish() {
	for _, s := range p.sizes {
		s.run(true)
	}
}

func (p *patchAcc) close() {
	for _, s := range p.sizes {
		s.fft.Close()
	}
}

func (s *pwSize) run(final bool) {
	for {
		rows := 0
		for rows < stftRows && rows*s.hop+s.n <= len(s.pending) {
			rows++
		}
		if rows == 0 || (rows < stftRows && !final) {
			return
		}
		for r := 0; r < rows; r++ {
			src := s.pending[r*s.hop : r*s.hop+s.n]
			dst := s.frames[r*s.n : (r+1)*s.n]
			for i := range dst {
				dst[i] = src[i] * s.win[i]
			}
		}
		s.fft.Forward(s.frames, rows, s.spec)
		h := s.n/2 + 1
		for r := 0; r < rows; r++ {
			s.addFrame(s.spec[r*h : (r+1)*h])
		}
		m := copy(s.pending, s.pending[rows*s.hop:])
		s.pending = s.pending[:m]
	}
}

func (s *pwSize) addFrame(sp []complex64) {
	lo, hi := s.k1-envHalf, s.k2+envHalf
	en := 0.0
	for k := lo; k <= hi; k++ {
		p := abs2(sp[k])
		en += p
		s.logm[k] = 10 * math.Log10(p+1e-20)
	}
	// Frames 60 dB below the running level are silence: codecs fill
	// silence with deterministic noise (Opus repeats it exactly), whose
	// residual pattern would repeat like a payload.
	s.long += 0.002 * (en - s.long)
	if en < 1e-6*s.long || en == 0 {
		clear(s.logm[lo : hi+1])
		for k := s.k1; k <= s.k2; k++ {
			s.res = append(s.res, 0)
		}
		s.t++
		return
	}
	// Running sum over the envelope window, centre excluded.
	sum := 0.0
	for k := s.k1 - envHalf; k <= s.k1+envHalf; k++ {
		sum += s.logm[k]
	}
	for k := s.k1; k <= s.k2; k++ {
		if k > s.k1 {
			sum += s.logm[k+envHalf] - s.logm[k-envHalf-1]
		}
		env := (sum - s.logm[k]) / (2 * envHalf)
		v := s.logm[k] - env
		if s.logm[k] < -190 { // digital silence: no information
			v = 0
		}
		s.res = append(s.res, clip8(4*v))
	}
	s.t++
}
