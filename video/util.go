package video

import (
	"image"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"gocv.io/x/gocv"

	"tracescan/internal/order"
)

func sqrt32(v float32) float32 { return float32(math.Sqrt(float64(v))) }
func sqrt64(v float64) float64 { return math.Sqrt(v) }

// floatMat copies a float32 slice into a new w x h CV_32F mat.
func floatMat(data []float32, w, h int) gocv.Mat {
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(data))), len(data)*4)
	m, err := gocv.NewMatFromBytes(h, w, gocv.MatTypeCV32F, b)
	if err != nil {
		// Only a size mismatch fails, which is a programming error.
		panic(err)
	}
	out := m.Clone()
	m.Close()
	return out
}

// matFloats copies a CV_32F mat into a new slice.
func matFloats(m gocv.Mat) []float32 {
	d, err := m.DataPtrFloat32()
	if err != nil {
		panic(err)
	}
	return append([]float32(nil), d...)
}

// blurFloats smooths a float32 map with a Gaussian of the given sigma.
func blurFloats(data []float32, w, h int, sigma float64) []float32 {
	m := floatMat(data, w, h)
	defer m.Close()
	out := gocv.NewMat()
	defer out.Close()
	gocv.GaussianBlur(m, &out, image.Pt(0, 0), sigma, sigma, gocv.BorderReflect)
	return matFloats(out)
}

// percentile returns the q-quantile (0-1) of v (v is not modified).
func percentile(v []float32, q float64) float32 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	return order.Nth(s, int(q*float64(len(s)-1)))
}

// gray8 maps a float map to 8 bits, lo -> 0 and hi -> 255, clipped.
func gray8(data []float32, lo, hi float32) []byte {
	out := make([]byte, len(data))
	if hi <= lo {
		return out
	}
	s := 255 / (hi - lo)
	for i, v := range data {
		x := (v - lo) * s
		switch {
		case x < 0:
			x = 0
		case x > 255:
			x = 255
		}
		out[i] = uint8(x + 0.5)
	}
	return out
}

// positive is m with its negative values set to zero: a matte's letters
// are positive, and negative residue is the content's.
func positive(m []float32) []float32 {
	out := make([]float32, len(m))
	for i, v := range m {
		out[i] = max(v, 0)
	}
	return out
}

func clampRect(r image.Rectangle, w, h int) image.Rectangle {
	return r.Intersect(image.Rect(0, 0, w, h))
}

// matInt32s copies a CV_32S mat (connected-component labels) into a slice.
func matInt32s(m gocv.Mat) []int32 {
	b := m.ToBytes()
	out := make([]int32, len(b)/4)
	copy(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(out))), len(out)*4), b)
	return out
}

// workers is how many goroutines the parallel stages use.
var workers = max(1, runtime.GOMAXPROCS(0))

// parallelFor calls f(i) for i in [0, n) on up to workers goroutines.
// Results must be written by index so that they do not depend on the
// scheduling.
func parallelFor(n int, f func(i int)) {
	nw := min(workers, n)
	if nw <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < nw; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}
