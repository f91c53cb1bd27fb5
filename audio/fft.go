package audio

import (
	"math"
	"unsafe"

	"gocv.io/x/gocv"
	"gonum.org/v1/gonum/dsp/fourier"
)

// The FFT back-ends. fft_bench_test.go compares go-dsp, gonum (reused plan)
// and gocv.DFT (OpenCV, many rows per call) on this machine; the analysis
// uses gocv for the batched STFT and the large lag-correlation transforms,
// where it was fastest, and gonum where a call is small and cgo overhead
// would dominate. go-dsp lost every comparison and is not used.

// rowFFT computes forward real FFTs of many equal-length frames per call.
type rowFFT interface {
	// Forward transforms rows frames of n samples held back to back in in and
	// writes n/2+1 complex bins per frame back to back in out.
	Forward(in []float32, rows int, out []complex64)
	Close()
}

// gocvRowFFT batches frames into one OpenCV DFT call with DFT_ROWS.
type gocvRowFFT struct {
	n, rows int
	src     gocv.Mat
	dst     gocv.Mat
}

func newGocvRowFFT(n, maxRows int) *gocvRowFFT {
	return &gocvRowFFT{n: n, rows: maxRows,
		src: gocv.NewMatWithSize(maxRows, n, gocv.MatTypeCV32F),
		dst: gocv.NewMat()}
}

func (g *gocvRowFFT) Forward(in []float32, rows int, out []complex64) {
	if rows > g.rows {
		panic("gocvRowFFT: too many rows")
	}
	src := g.src
	if rows < g.rows {
		src = g.src.RowRange(0, rows)
		defer src.Close()
	}
	p, err := g.src.DataPtrFloat32()
	if err != nil {
		panic(err)
	}
	copy(p, in[:rows*g.n])
	gocv.DFT(src, &g.dst, gocv.DftRows|gocv.DftComplexOutput)
	q := complexView(&g.dst)
	h := g.n/2 + 1
	for r := 0; r < rows; r++ {
		copy(out[r*h:(r+1)*h], q[r*g.n:r*g.n+h])
	}
}

// complexView is a CV_32FC2 Mat's data as complex64 (same memory layout).
func complexView(m *gocv.Mat) []complex64 {
	q, err := m.DataPtrFloat32()
	if err != nil {
		panic(err)
	}
	if len(q) == 0 {
		return nil
	}
	return unsafe.Slice((*complex64)(unsafe.Pointer(&q[0])), len(q)/2)
}

func (g *gocvRowFFT) Close() { g.src.Close(); g.dst.Close() }

// gonumRowFFT is the pure-Go fallback, one reused plan.
type gonumRowFFT struct {
	n   int
	fft *fourier.FFT
	x   []float64
	c   []complex128
}

func newGonumRowFFT(n int) *gonumRowFFT {
	return &gonumRowFFT{n: n, fft: fourier.NewFFT(n), x: make([]float64, n), c: make([]complex128, n/2+1)}
}

func (g *gonumRowFFT) Forward(in []float32, rows int, out []complex64) {
	h := g.n/2 + 1
	for r := 0; r < rows; r++ {
		for i := 0; i < g.n; i++ {
			g.x[i] = float64(in[r*g.n+i])
		}
		g.fft.Coefficients(g.c, g.x)
		for k := 0; k < h; k++ {
			out[r*h+k] = complex64(g.c[k])
		}
	}
}

func (g *gonumRowFFT) Close() {}

// cfft is an in-place complex FFT of one fixed size; Inverse is unscaled.
type cfft interface {
	Forward(x []complex64)
	Inverse(x []complex64)
	Close()
}

type gocvCFFT struct {
	n   int
	src gocv.Mat
	dst gocv.Mat
}

func newGocvCFFT(n int) *gocvCFFT {
	return &gocvCFFT{n: n, src: gocv.NewMatWithSize(1, n, gocv.MatTypeCV32FC2), dst: gocv.NewMat()}
}

func (g *gocvCFFT) run(x []complex64, flags gocv.DftFlags) {
	copy(complexView(&g.src), x[:g.n])
	gocv.DFT(g.src, &g.dst, flags)
	copy(x[:g.n], complexView(&g.dst))
}

func (g *gocvCFFT) Forward(x []complex64) { g.run(x, gocv.DftForward) }
func (g *gocvCFFT) Inverse(x []complex64) { g.run(x, gocv.DftInverse) }
func (g *gocvCFFT) Close()                { g.src.Close(); g.dst.Close() }

type gonumCFFT struct {
	fft *fourier.CmplxFFT
	a   []complex128
	b   []complex128
}

func newGonumCFFT(n int) *gonumCFFT {
	return &gonumCFFT{fft: fourier.NewCmplxFFT(n), a: make([]complex128, n), b: make([]complex128, n)}
}

func (g *gonumCFFT) Forward(x []complex64) {
	for i, v := range x[:len(g.a)] {
		g.a[i] = complex128(v)
	}
	g.fft.Coefficients(g.b, g.a)
	for i := range g.b {
		x[i] = complex64(g.b[i])
	}
}

func (g *gonumCFFT) Inverse(x []complex64) {
	for i, v := range x[:len(g.a)] {
		g.a[i] = complex128(v)
	}
	g.fft.Sequence(g.b, g.a)
	for i := range g.b {
		x[i] = complex64(g.b[i])
	}
}

func (g *gonumCFFT) Close() {}

// sqrtHann is the periodic square-root Hann window: used for analysis and
// synthesis it reconstructs exactly at 50 % overlap.
func sqrtHann(n int) []float32 {
	w := make([]float32, n)
	for i := range w {
		w[i] = float32(math.Sqrt(0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n))))
	}
	return w
}

func nextPow2(n int) int {
	p := 1
	for p < n {
		p <<= 1
	}
	return p
}

func abs2(c complex64) float64 {
	r, i := float64(real(c)), float64(imag(c))
	return r*r + i*i
}

// rowCFFT transforms many complex rows per call (inverse only: it turns
// batches of band spectra back into decimated band signals).
type rowCFFT interface {
	// Inverse transforms rows rows of n bins held back to back, in place, unscaled.
	Inverse(x []complex64, rows int)
	Close()
}

type gocvRowCFFT struct {
	n, rows int
	src     gocv.Mat
	dst     gocv.Mat
}

func newGocvRowCFFT(n, maxRows int) *gocvRowCFFT {
	return &gocvRowCFFT{n: n, rows: maxRows, src: gocv.NewMatWithSize(maxRows, n, gocv.MatTypeCV32FC2), dst: gocv.NewMat()}
}

func (g *gocvRowCFFT) Inverse(x []complex64, rows int) {
	src := g.src
	if rows < g.rows {
		src = g.src.RowRange(0, rows)
		defer src.Close()
	}
	copy(complexView(&g.src), x[:rows*g.n])
	gocv.DFT(src, &g.dst, gocv.DftInverse|gocv.DftRows)
	copy(x[:rows*g.n], complexView(&g.dst))
}

func (g *gocvRowCFFT) Close() { g.src.Close(); g.dst.Close() }

type gonumRowCFFT struct{ g *gonumCFFT }

func (r gonumRowCFFT) Inverse(x []complex64, rows int) {
	n := len(r.g.a)
	for i := 0; i < rows; i++ {
		r.g.Inverse(x[i*n : (i+1)*n])
	}
}
func (r gonumRowCFFT) Close() {}
