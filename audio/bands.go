package audio

import "math"

// bandDef is a frequency band searched for spread-spectrum repeats.
type bandDef struct {
	Name   string
	Lo, Hi float64
}

// ssBands are the bands searched. The prototype found marks far easier to
// see in a band than broadband, and a mark's band is not known in advance.
var ssBands = []bandDef{
	{"1-3 kHz", 1000, 3000},
	{"2-6 kHz", 2000, 6000},
	{"3-7 kHz", 3000, 7000},
	{"broadband", 300, 7500},
}

// contentBands carry the raw (unwhitened) correlation used to tell a loud
// repeated content (music loop, jingle) from a hidden mark.
var contentBands = []bandDef{
	{"content 0.1-1 kHz", 100, 1000},
	{"content 1-3 kHz", 1000, 3000},
}

// bandSynth turns the STFT bins of one band back into a decimated complex
// baseband signal (centred on the band) by a small inverse FFT per frame and
// overlap-add, and feeds it to a lag correlator.
type bandSynth struct {
	def    bandDef
	k1, k2 int // STFT bins used
	kc     int // centre bin, moved to 0 Hz
	m      int // inverse FFT size
	rate   float64
	win    []float32
	tail   []complex64
	batch  []complex64 // rows x m
	rows   int
	ifft   rowCFFT
	corr   *lagCorr
	out    []complex64
}

func newBandSynth(def bandDef, sr float64, n int, maxLagS float64, maxRows int, useCV bool, estFrames int) *bandSynth {
	binHz := sr / float64(n)
	hi := math.Min(def.Hi, 0.47*sr)
	if hi-def.Lo < 400 {
		return nil
	}
	k1 := int(math.Ceil(def.Lo / binHz))
	k2 := int(math.Floor(hi / binHz))
	// The inverse FFT size sets the decimated rate: just above the band's
	// bin count (any 2^a 3^b 5^c size is fast), at least 8.
	m := optimalSize(max(8, k2-k1+3))
	rate := sr * float64(m) / float64(n)
	b := &bandSynth{def: bandDef{def.Name, def.Lo, hi}, k1: k1, k2: k2, kc: (k1 + k2) / 2, m: m, rate: rate,
		win: sqrtHann(m), tail: make([]complex64, m/2), batch: make([]complex64, maxRows*m),
		corr: newLagCorr(int(maxLagS*rate)+2, estFrames*m/2), out: make([]complex64, maxRows*m/2)}
	if useCV {
		b.ifft = newGocvRowCFFT(m, maxRows)
	} else {
		b.ifft = gonumRowCFFT{newGonumCFFT(m)}
	}
	return b
}

// add queues one frame's spectrum (frame index t sets the heterodyne sign).
func (b *bandSynth) add(spec []complex64, t int) {
	row := b.batch[b.rows*b.m : (b.rows+1)*b.m]
	clear(row)
	// Frames start every n/2 samples, so moving bin kc to 0 Hz inside each
	// frame leaves a phase step of pi*kc per frame: undo it to keep the
	// baseband signal continuous across frames.
	var sgn float32 = 1
	if (b.kc*t)%2 != 0 {
		sgn = -1
	}
	for k := b.k1; k <= b.k2; k++ {
		j := (k - b.kc + b.m) % b.m
		row[j] = spec[k] * complex(sgn, 0)
	}
	b.rows++
}

// flush synthesises the queued frames and feeds the correlator.
func (b *bandSynth) flush(s *corrScratch) {
	if b.rows == 0 {
		return
	}
	b.ifft.Inverse(b.batch, b.rows)
	h := b.m / 2
	out := b.out[:0]
	for r := 0; r < b.rows; r++ {
		y := b.batch[r*b.m : (r+1)*b.m]
		for i := 0; i < h; i++ {
			out = append(out, b.tail[i]+y[i]*complex(b.win[i], 0))
		}
		for i := 0; i < h; i++ {
			b.tail[i] = y[h+i] * complex(b.win[h+i], 0)
		}
	}
	b.rows = 0
	b.corr.push(out, s)
}

func (b *bandSynth) close() { b.ifft.Close() }
