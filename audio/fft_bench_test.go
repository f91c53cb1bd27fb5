package audio

import (
	"math"
	"math/cmplx"
	"math/rand"
	"testing"

	dspfft "github.com/mjibson/go-dsp/fft"
)

// The FFT comparison behind the choice in fft.go. Run:
//
//	go test ./audio -run XXX -bench FFT -benchtime 2s
//
// Per-frame numbers divide the batch time by the rows.

const benchRows = 128

func benchFrames(n int) []float32 {
	rng := rand.New(rand.NewSource(1))
	x := make([]float32, benchRows*n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

func BenchmarkFFT1024GoDSP(b *testing.B) {
	x := benchFrames(1024)
	row := make([]float64, 1024)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for r := 0; r < benchRows; r++ {
			for k := range row {
				row[k] = float64(x[r*1024+k])
			}
			_ = dspfft.FFTReal(row)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows)/1000, "us/frame")
}

func BenchmarkFFT1024Gonum(b *testing.B) {
	x := benchFrames(1024)
	out := make([]complex64, benchRows*513)
	f := newGonumRowFFT(1024)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Forward(x, benchRows, out)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows)/1000, "us/frame")
}

func BenchmarkFFT1024GocvBatch(b *testing.B) {
	x := benchFrames(1024)
	out := make([]complex64, benchRows*513)
	f := newGocvRowFFT(1024, benchRows)
	defer f.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Forward(x, benchRows, out)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows)/1000, "us/frame")
}

// The lag correlator's transform: complex, a few hundred thousand points.
const bigN = 307200 // 2^12 3 5^2: a size optimalSize picks

func bigInput() []complex64 {
	rng := rand.New(rand.NewSource(2))
	x := make([]complex64, bigN)
	for i := range x {
		x[i] = complex(float32(rng.NormFloat64()), float32(rng.NormFloat64()))
	}
	return x
}

func BenchmarkFFTBigGoDSP(b *testing.B) {
	x := bigInput()
	y := make([]complex128, bigN)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k, v := range x {
			y[k] = complex128(v)
		}
		_ = dspfft.FFT(y)
	}
}

func BenchmarkFFTBigGonum(b *testing.B) {
	x := bigInput()
	f := newGonumCFFT(bigN)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Forward(x)
	}
}

func BenchmarkFFTBigGocv(b *testing.B) {
	x := bigInput()
	f := newGocvCFFT(bigN)
	defer f.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Forward(x)
	}
}

// TestFFTBackendsAgree checks that the back-ends give the same transform
// (the accuracy half of the choice).
func TestFFTBackendsAgree(t *testing.T) {
	x := benchFrames(1024)[:4*1024]
	a := make([]complex64, 4*513)
	b := make([]complex64, 4*513)
	cv := newGocvRowFFT(1024, 4)
	defer cv.Close()
	cv.Forward(x, 4, a)
	newGonumRowFFT(1024).Forward(x, 4, b)
	row := make([]float64, 1024)
	for k := range row {
		row[k] = float64(x[k])
	}
	d := dspfft.FFTReal(row)
	for k := 0; k < 513; k++ {
		if e := cmplx.Abs(complex128(a[k]) - complex128(b[k])); e > 1e-3 {
			t.Fatalf("bin %d: gocv %v gonum %v", k, a[k], b[k])
		}
		if e := cmplx.Abs(d[k] - complex128(b[k])); e > 1e-3 {
			t.Fatalf("bin %d: go-dsp %v gonum %v", k, d[k], b[k])
		}
	}
	// Complex forward then unscaled inverse returns n times the input.
	n := 360 // 2^3 3^2 5
	z := make([]complex64, n)
	for i := range z {
		z[i] = complex(float32(math.Sin(float64(i))), float32(i%7))
	}
	for _, f := range []cfft{newGocvCFFT(n), newGonumCFFT(n)} {
		y := append([]complex64(nil), z...)
		f.Forward(y)
		f.Inverse(y)
		for i := range y {
			if cmplx.Abs(complex128(y[i]/complex(float32(n), 0)-z[i])) > 1e-3 {
				t.Fatalf("%T round trip at %d: %v vs %v", f, i, y[i], z[i])
			}
		}
		f.Close()
	}
}
