package audio

import "math"

// echoAcc averages real cepstra of the first minutes: an echo of delay d
// adds a peak at quefrency d in every frame that has signal, while pitch
// peaks wander. Per segment of echoSeg frames it keeps the detrended
// cepstrum over 0.3-5 ms so that switching echoes (echo hiding: delay d0
// for a 0 bit, d1 for a 1 bit) can be told from one fixed room reflection.
type echoAcc struct {
	n      int
	sr     float64
	q1, q2 int
	fft    rowFFT
	rows   []float32
	out    []complex64
	nrows  int
	sum    []float64
	sumSq  []float64
	pos    []int
	frames int
	seg    []float64
	segN   int
	segs   [][]float32
	maxLvl float64
	pend   []float64 // frame energies of queued rows
}

const echoSeg = 4

func newEchoAcc(sr float64, n int, useCV bool) *echoAcc {
	e := &echoAcc{n: n, sr: sr, q1: int(math.Floor(0.0003 * sr)), q2: int(math.Ceil(0.005 * sr)),
		rows: make([]float32, stftRows*n), out: make([]complex64, stftRows*(n/2+1))}
	if e.q2 >= n/2-12 {
		e.q2 = n/2 - 12
	}
	nq := e.q2 - e.q1 + 1
	e.sum, e.sumSq, e.pos, e.seg = make([]float64, nq), make([]float64, nq), make([]int, nq), make([]float64, nq)
	if useCV {
		e.fft = newGocvRowFFT(n, stftRows)
	} else {
		e.fft = newGonumRowFFT(n)
	}
	return e
}

// add queues the log magnitude of one frame (a real even sequence: its
// forward DFT is n times the real cepstrum).
func (e *echoAcc) add(sp []complex64) {
	en := 0.0
	row := e.rows[e.nrows*e.n : (e.nrows+1)*e.n]
	for k := 0; k <= e.n/2; k++ {
		p := abs2(sp[k])
		en += p
		v := float32(0.5 * math.Log(p+1e-14))
		row[k] = v
		if k > 0 && k < e.n/2 {
			row[e.n-k] = v
		}
	}
	e.pend = append(e.pend, en)
	e.nrows++
	if e.nrows == stftRows {
		e.flush()
	}
}

func (e *echoAcc) flush() {
	if e.nrows == 0 {
		return
	}
	e.fft.Forward(e.rows, e.nrows, e.out)
	h := e.n/2 + 1
	nq := e.q2 - e.q1 + 1
	for r := 0; r < e.nrows; r++ {
		en := e.pend[r]
		if en > e.maxLvl {
			e.maxLvl = en
		}
		// Quiet frames carry no echo of the content; skip them (40 dB
		// below the loudest frame so far).
		if en < 1e-4*e.maxLvl || en == 0 {
			continue
		}
		c := e.out[r*h : (r+1)*h]
		for i := 0; i < nq; i++ {
			q := e.q1 + i
			// Detrend: subtract the local mean over +-8 quefrencies, centre
			// +-1 excluded, which removes the smooth envelope part.
			s, m := 0.0, 0
			for d := -8; d <= 8; d++ {
				if d >= -1 && d <= 1 {
					continue
				}
				j := q + d
				if j < 0 {
					j = -j // the cepstrum is even
				}
				s += float64(real(c[j]))
				m++
			}
			v := (float64(real(c[q])) - s/float64(m)) / float64(e.n)
			e.sum[i] += v
			e.sumSq[i] += v * v
			if v > 0 {
				e.pos[i]++
			}
			e.seg[i] += v
		}
		e.frames++
		e.segN++
		if e.segN == echoSeg {
			sg := make([]float32, nq)
			for i := range sg {
				sg[i] = float32(e.seg[i] / echoSeg)
				e.seg[i] = 0
			}
			e.segs = append(e.segs, sg)
			e.segN = 0
		}
	}
	e.nrows = 0
	e.pend = e.pend[:0]
}

func (e *echoAcc) finish() { e.flush() }
func (e *echoAcc) close()  { e.fft.Close() }
