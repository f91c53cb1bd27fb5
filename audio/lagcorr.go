package audio

// lagCorr accumulates the autocorrelation R(L) = sum_n conj(y[n]) y[n+L]
// of an unbounded complex stream for lags 0..maxLag with bounded memory.
//
// Blocks of B samples are transformed once each with an FFT of size F = 2B.
// The spectrum of "block b followed by block b+1" is A_b + (-1)^k A_{b+1}
// (a shift by F/2), so one forward FFT per block suffices, and the products
// are summed in the frequency domain; inverse FFTs run only at the end.
//
// Sums are kept separately for nGroups consecutive parts of the recording:
// a repeat spread evenly through it (a mark) has group terms that add up,
// one at a few instants (a jingle played twice) has one dominant group.
type lagCorr struct {
	maxLag  int
	block   int
	size    int
	cur     []complex64
	prev    []complex64 // FFT of the previous block
	hasPrev bool
	prevIdx int
	acc     []complex64 // frequency-domain sum of the current group
	accG    int         // its group, -1 when empty
	est     int         // estimated number of blocks (to split into groups)
	energy  float64
	nblk    int
	// forced, when >= 0, is the group for new blocks (set per analysis
	// window on long recordings).
	forced int

	// Lag-domain results: sum over groups and sum of squared magnitudes.
	sum     []complex64
	sumSq   []float32
	nblocks int // groups with data
}

// nGroups splits a contiguous recording into parts for the evenness test.
const nGroups = 4

func newLagCorr(maxLag int, estSamples int) *lagCorr {
	size := optimalSize(2 * (maxLag + 1))
	b := size / 2
	c := &lagCorr{maxLag: b - 1, block: b, size: size, cur: make([]complex64, 0, b),
		prev: make([]complex64, size), acc: make([]complex64, size), accG: -1, forced: -1,
		sum: make([]complex64, b), sumSq: make([]float32, b)}
	c.est = max(1, (estSamples+b-1)/b)
	return c
}

// optimalSize is the smallest even n >= x of the form 2^a 3^b 5^c: sizes
// both FFT libraries handle at full speed.
func optimalSize(x int) int {
	for n := max(2, x); ; n++ {
		if n%2 != 0 {
			continue
		}
		m := n
		for _, p := range []int{2, 3, 5} {
			for m%p == 0 {
				m /= p
			}
		}
		if m == 1 {
			return n
		}
	}
}

func (c *lagCorr) group(idx int) int {
	if c.forced >= 0 {
		return c.forced
	}
	return min(nGroups-1, idx*nGroups/c.est)
}

// push appends samples, transforming each full block.
func (c *lagCorr) push(x []complex64, s *corrScratch) {
	for len(x) > 0 {
		n := min(c.block-len(c.cur), len(x))
		c.cur = append(c.cur, x[:n]...)
		x = x[n:]
		if len(c.cur) == c.block {
			c.runBlock(s)
		}
	}
}

func (c *lagCorr) runBlock(s *corrScratch) {
	f, spec := s.get(c.size)
	clear(spec)
	copy(spec, c.cur)
	for _, v := range c.cur {
		c.energy += abs2(v)
	}
	c.cur = c.cur[:0]
	f.Forward(spec)
	if c.hasPrev {
		c.accumulate(spec, s)
	}
	copy(c.prev, spec)
	c.hasPrev = true
	c.prevIdx = c.nblk
	c.nblk++
}

// accumulate adds conj(A_prev) * (A_prev + (-1)^k A_next) to the group of
// the previous block; a finished group is turned into lags at once so
// only one frequency-domain sum is held.
func (c *lagCorr) accumulate(next []complex64, s *corrScratch) {
	g := c.group(c.prevIdx)
	if c.accG >= 0 && g != c.accG {
		c.closeGroup(s)
	}
	c.accG = g
	acc := c.acc
	for k, a := range c.prev {
		sv := a
		if next != nil {
			if k%2 == 0 {
				sv += next[k]
			} else {
				sv -= next[k]
			}
		}
		acc[k] += complex(real(a)*real(sv)+imag(a)*imag(sv), real(a)*imag(sv)-imag(a)*real(sv))
	}
}

func (c *lagCorr) closeGroup(s *corrScratch) {
	if c.accG < 0 {
		return
	}
	f, _ := s.get(c.size)
	f.Inverse(c.acc)
	inv := complex(1/float32(c.size), 0)
	for l := 0; l <= c.maxLag; l++ {
		v := c.acc[l] * inv
		c.sum[l] += v
		c.sumSq[l] += real(v)*real(v) + imag(v)*imag(v)
	}
	clear(c.acc)
	c.accG = -1
	c.nblocks++
}

// breakStream ends a contiguous stretch (the next samples are not
// adjacent): the last block is correlated with nothing after it.
func (c *lagCorr) breakStream(s *corrScratch) {
	if len(c.cur) > 0 {
		c.runBlock(s)
	}
	if c.hasPrev {
		c.accumulate(nil, s)
		c.hasPrev = false
	}
}

// finish flushes the last blocks and the last group.
func (c *lagCorr) finish(s *corrScratch) {
	c.breakStream(s)
	c.closeGroup(s)
	c.prev, c.acc, c.cur = nil, nil, nil
}

// corrScratch holds the FFT plans and one transform buffer shared by the
// lagCorrs of one goroutine (they run one after another).
type corrScratch struct {
	plans map[int]cfft
	buf   []complex64
	useCV bool
}

func newCorrScratch(useCV bool) *corrScratch {
	return &corrScratch{plans: map[int]cfft{}, useCV: useCV}
}

func (s *corrScratch) get(n int) (cfft, []complex64) {
	if len(s.buf) < n {
		s.buf = make([]complex64, n)
	}
	p, ok := s.plans[n]
	if !ok {
		if s.useCV {
			p = newGocvCFFT(n)
		} else {
			p = newGonumCFFT(n)
		}
		s.plans[n] = p
	}
	return p, s.buf[:n]
}

func (s *corrScratch) Close() {
	for _, p := range s.plans {
		p.Close()
	}
}
