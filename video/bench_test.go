package video

import (
	"image"
	"image/color"
	"math/rand"
	"testing"

	"gocv.io/x/gocv"

	"tracescan/ocr"
)

// benchFrame is a 1280x720 gray frame with text-like structure and noise.
func benchFrame(seed int64) []byte {
	r := rand.New(rand.NewSource(seed))
	w, h := 1280, 720
	pix := make([]byte, w*h)
	bg := byte(r.Intn(256))
	for i := range pix {
		pix[i] = bg + byte(r.Intn(3))
	}
	for k := 0; k < 400; k++ {
		x, y := r.Intn(w-40), r.Intn(h-10)
		c := byte(r.Intn(256))
		for dy := 0; dy < 8; dy++ {
			for dx := 0; dx < 30; dx += 3 {
				pix[(y+dy)*w+x+dx] = c
			}
		}
	}
	return pix
}

// BenchmarkAccumulate is the per-frame cost of the statistics pass at the
// analysis width (high-pass, gate, and the per-pixel sums).
func BenchmarkAccumulate(b *testing.B) {
	acc := newAccumulator(1280, 720, highPassSigma, contentGate)
	defer acc.Close()
	frames := [][]byte{benchFrame(1), benchFrame(2), benchFrame(3)}
	b.SetBytes(1280 * 720)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := acc.add(frames[i%len(frames)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLocate is the map stage: z maps for every colour hypothesis,
// blobs and their cross-check.
func BenchmarkLocate(b *testing.B) {
	an := &analysis{w: 1280, h: 720, srcW: 1280, srcH: 720}
	for i := range an.halves {
		an.halves[i] = newAccumulator(1280, 720, highPassSigma, contentGate)
		defer an.halves[i].Close()
	}
	for k := 0; k < 16; k++ {
		if err := an.halves[k%2].add(benchFrame(int64(k))); err != nil {
			b.Fatal(err)
		}
	}
	an.acc = merge(an.halves[0], an.halves[1])
	_, std := an.acc.meanStd()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		findBlobs(an, std)
	}
}

// BenchmarkOCRLine is one Tesseract call on a rebuilt line crop.
func BenchmarkOCRLine(b *testing.B) {
	img := gocv.NewMatWithSize(80, 700, gocv.MatTypeCV8U)
	defer img.Close()
	img.SetTo(gocv.NewScalar(255, 0, 0, 0))
	gocv.PutText(&img, "anna.schmidt@example.com", image.Pt(10, 55), gocv.FontHersheySimplex, 1.6, colorBlack, 3)
	eng, err := ocr.New(1 << 30)
	if err != nil {
		b.Fatal(err)
	}
	defer eng.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := eng.Read(img); err != nil {
			b.Fatal(err)
		}
	}
}

var colorBlack = color.RGBA{0, 0, 0, 255}
