package audio

import (
	"math"
)

// stftRows is how many frames go to one batched FFT call.
const stftRows = 128

// Whitening floor: longFloor (-60 dB) of a running mean with a time
// constant of about 1/longAlpha frames (~10 s at 48 kHz).
const (
	longFloor = 1e-6
	longAlpha = 1e-3
)

// chanWorker analyses one derived channel (mid or side) as samples stream
// in. It keeps only reduced representations: lag correlations per band,
// coarse spectrogram, per-frame beacon statistics, and for the first
// few minutes the residual signs (patchwork) and cepstra (echo).
type chanWorker struct {
	name    string
	sr      float64
	n, hop  int
	win     []float32
	fft     rowFFT
	pending []float32
	frames  []float32
	spec    []complex64
	nframes int

	// Whitening: each bin divided by its level smoothed over +-K frames.
	k       int
	kmax    int
	ring    [][]complex64
	pow     []float64
	long    []float64 // slow running mean of each bin's power
	wbuf    []complex64
	emitted int
	// winStart is the first frame of the current analysis window: the
	// whitening window never reaches across a gap.
	winStart int
	window   int

	bands   []*bandSynth
	content []*bandSynth
	scratch *corrScratch

	beacon  *beaconAcc
	spectro *spectroAcc
	pw      *patchAcc
	echo    *echoAcc
	capFr   int // frames analysed by patchwork/echo
}

func newChanWorker(name string, sr float64, withContent, withEcho bool, opt Options, estFrames int, lagS, durS float64, lite bool) *chanWorker {
	n := nextPow2(int(sr * 0.0213))
	w := &chanWorker{name: name, sr: sr, n: n, hop: n / 2, win: sqrtHann(n),
		frames: make([]float32, stftRows*n), spec: make([]complex64, stftRows*(n/2+1)),
		scratch: newCorrScratch(opt.useCV())}
	if opt.useCV() {
		w.fft = newGocvRowFFT(n, stftRows)
	} else {
		w.fft = newGonumRowFFT(n)
	}
	w.k = int(math.Round(0.15 * sr / float64(w.hop)))
	w.kmax = min(n/2, int(math.Ceil(8000*float64(n)/sr))+1)
	w.pow = make([]float64, w.kmax+1)
	w.long = make([]float64, w.kmax+1)
	w.wbuf = make([]complex64, w.kmax+1)
	for _, b := range ssBands {
		if lite {
			break
		}
		if s := newBandSynth(b, sr, n, lagS, stftRows, opt.useCV(), estFrames); s != nil {
			w.bands = append(w.bands, s)
		}
	}
	if withContent && !lite {
		for _, b := range contentBands {
			if s := newBandSynth(b, sr, n, lagS, stftRows, opt.useCV(), estFrames); s != nil {
				w.content = append(w.content, s)
			}
		}
	}
	if withEcho { // mid only: a beacon in one channel still shows in mid
		w.beacon = newBeaconAcc(sr, n)
	}
	w.spectro = newSpectroAcc(sr, n, estFrames)
	// Stores sized to the clip when its length is known (short clips in
	// batch scans must not pay for three minutes of buffers).
	capS := opt.localCapS()
	if durS > 0 {
		capS = min(capS, durS+1)
	}
	if lite {
		capS = 0
	}
	w.capFr = int(capS * sr / float64(w.hop))
	w.pw = newPatchAcc(sr, capS, opt.useCV())
	if withEcho && !lite {
		w.echo = newEchoAcc(sr, n, opt.useCV())
	}
	return w
}

// push consumes mono samples of this channel.
func (w *chanWorker) push(x []float32) {
	w.pw.push(x)
	w.pending = append(w.pending, x...)
	for {
		rows := 0
		for rows < stftRows && (rows*w.hop+w.n) <= len(w.pending) {
			rows++
		}
		if rows < stftRows {
			break
		}
		w.runBatch(rows)
	}
}

func (w *chanWorker) runBatch(rows int) {
	n := w.n
	for r := 0; r < rows; r++ {
		src := w.pending[r*w.hop : r*w.hop+n]
		dst := w.frames[r*n : (r+1)*n]
		for i := range dst {
			dst[i] = src[i] * w.win[i]
		}
	}
	w.fft.Forward(w.frames, rows, w.spec)
	h := n/2 + 1
	for r := 0; r < rows; r++ {
		sp := w.spec[r*h : (r+1)*h]
		if w.beacon != nil {
			w.beacon.add(sp)
		}
		w.spectro.add(sp)
		if w.echo != nil && w.nframes < w.capFr {
			w.echo.add(sp)
		}
		w.whiten(sp)
		w.nframes++
	}
	for _, b := range w.bands {
		b.flush(w.scratch)
	}
	for _, b := range w.content {
		b.flush(w.scratch)
	}
	m := copy(w.pending, w.pending[rows*w.hop:])
	w.pending = w.pending[:m]
}

// whiten pushes one frame into the +-K ring and emits the centre frame.
func (w *chanWorker) whiten(sp []complex64) {
	var fr []complex64
	if len(w.ring) == 2*w.k+1 {
		// Recycle the oldest frame's storage; it already left the sum.
		fr = w.ring[0]
		w.ring = w.ring[1:]
	} else {
		fr = make([]complex64, w.kmax+1)
	}
	copy(fr, sp[:w.kmax+1])
	for i, v := range fr {
		w.pow[i] += abs2(v)
	}
	w.ring = append(w.ring, fr)
	// Centre frame index in the ring: frames emitted so far have left
	// their K-frame history behind.
	t := w.nframes // index of fr
	if t-w.winStart >= w.k {
		w.emit(t - w.k)
	}
}

func (w *chanWorker) emit(c int) {
	first := max(c-w.k, w.winStart) // oldest frame in the window
	last := min(c+w.k, w.nframes)
	cnt := float64(last - first + 1)
	// ring holds frames [nframes-len(ring)+1 .. nframes] while streaming.
	base := w.nframes - len(w.ring) + 1
	x := w.ring[c-base]
	for i, v := range x {
		// The level never drops below longFloor times the bin's long-term
		// level: digital silence and the codec noise inside it (Opus and
		// AAC leave deterministic, repeating patterns there) must not be
		// blown up to full weight. A mark at -30..-50 dB stays above it.
		lt := w.long[i]
		lvl := max(w.pow[i]/cnt, longFloor*lt) + 1e-20
		w.long[i] = lt + longAlpha*(abs2(v)-lt)
		w.wbuf[i] = v * complex(float32(1/math.Sqrt(lvl)), 0)
	}
	for _, b := range w.bands {
		b.add(w.wbuf, c)
	}
	for _, b := range w.content {
		b.add(x, c)
	}
	// Frame c-K leaves the window of the next centre.
	if c-w.k >= w.winStart && c-w.k >= base {
		old := w.ring[c-w.k-base]
		for i, v := range old {
			w.pow[i] -= abs2(v)
		}
	}
	w.emitted = c + 1
}

// drain processes the tail of a contiguous stretch: the last partial
// STFT batch and the last K centre frames.
func (w *chanWorker) drain() {
	for {
		rows := 0
		for rows < stftRows && (rows*w.hop+w.n) <= len(w.pending) {
			rows++
		}
		if rows == 0 {
			break
		}
		w.runBatch(rows)
	}
	if w.nframes == w.winStart {
		return
	}
	// Remaining centres see a window cut at the end of the stretch.
	w.nframes-- // emit() treats nframes as the last frame index
	start := max(w.emitted, w.winStart)
	for c := start; c <= w.nframes; c++ {
		w.emit(c)
		if (c-start)%stftRows == stftRows-1 {
			w.flushBands()
		}
	}
	w.nframes++
	w.flushBands()
}

// breakWindow ends one analysis window of a long recording: the next
// samples come from later in the file.
func (w *chanWorker) breakWindow() {
	w.drain()
	w.window++
	for _, b := range append(w.bands, w.content...) {
		b.corr.breakStream(w.scratch)
		b.corr.forced = w.window
		clear(b.tail)
	}
	w.pending = w.pending[:0]
	w.ring = w.ring[:0]
	clear(w.pow)
	w.winStart, w.emitted = w.nframes, w.nframes
	// Patchwork and echo use one contiguous stretch only.
	w.pw.capN = w.pw.seen
	w.capFr = min(w.capFr, w.nframes)
}

// finish drains the last stretch and closes the accumulators.
func (w *chanWorker) finish() {
	w.drain()
	for _, b := range append(w.bands, w.content...) {
		b.corr.finish(w.scratch)
	}
	w.pw.finish()
	if w.echo != nil {
		w.echo.finish()
	}
}

func (w *chanWorker) flushBands() {
	for _, b := range w.bands {
		b.flush(w.scratch)
	}
	for _, b := range w.content {
		b.flush(w.scratch)
	}
}

func (w *chanWorker) close() {
	w.fft.Close()
	for _, b := range append(w.bands, w.content...) {
		b.close()
	}
	w.scratch.Close()
	w.pw.close()
	if w.echo != nil {
		w.echo.close()
	}
}
