package video

import (
	"context"
	"image"
	"math"
	"math/rand"
	"testing"

	"tracescan/samples/screenshare"
)

// TestPresentMatte: a grey mark shown by three dark slides of a recording
// of pages whose faint content (light grey lines, under the content gate)
// changes from frame to frame. Over all frames the regression adds every
// page's lines to the mark's letters; over the frames the mark shows in,
// its letters stand out far more clearly. When it shows in most frames the
// matte of all frames is kept.
func TestPresentMatte(t *testing.T) {
	t.Parallel()
	const w, h = 1280, 720
	mark, box, err := screenshare.RenderText("bold", 44, "olga.meyer@example.com")
	if err != nil {
		t.Fatal(err)
	}
	at := image.Pt(400, 320)
	where := box.Add(at)
	const opacity, gray = 0.2, 200
	// letter reports whether analysis pixel (x, y) is on a letter.
	letter := func(x, y int) bool {
		p := image.Pt(x, y).Sub(at)
		return p.In(mark.Rect) && mark.GrayAt(p.X, p.Y).Y < 100
	}
	build := func(darkFrames []int, frames int) (*analysis, *interpretation) {
		an := halvesAnalysis(w, h)
		an.sw, an.sh = w/smallDiv, h/smallDiv
		noise := rand.New(rand.NewSource(9))
		dark := map[int]bool{}
		for _, k := range darkFrames {
			dark[k] = true
		}
		for k := 0; k < frames; k++ {
			pix := make([]byte, w*h)
			bg := 250.0
			if dark[k] {
				bg = 40 + 10*float64(k%3)
			}
			for i := range pix {
				pix[i] = byte(min(255, max(0, bg+noise.NormFloat64())))
			}
			if !dark[k] {
				// Faint words of this page's content across the mark
				// (shorter than the long lines each frame shuts).
				rng := rand.New(rand.NewSource(int64(k)))
				for l := 0; l < 150; l++ {
					y := where.Min.Y - 20 + rng.Intn(where.Dy()+40)
					x0 := where.Min.X - 50 + rng.Intn(where.Dx())
					for x := x0; x < min(w, x0+40); x++ {
						for dy := 0; dy < 3; dy++ {
							pix[(y+dy)*w+x] = 205
						}
					}
				}
			}
			if dark[k] {
				paint(pix, w, mark, at, gray, opacity)
			}
			if err := an.halves[k%2].add(pix); err != nil {
				t.Fatal(err)
			}
			an.halves[k%2].distinct++
			an.small = append(an.small, smallFrame{t: float64(k), pix: shrink(pix, w, h, an.sw, an.sh)})
		}
		an.acc = merge(an.halves[0], an.halves[1])
		res := &interpretation{W: gray, hps: smallHighPass(an)}
		res.overlays = []overlayBlob{{pres: presence{shown: darkFrames}}}
		return an, res
	}
	// clarity is the letters' mean over the spread of the rest of the
	// mark's box, in the matte m.
	clarity := func(m []float32) float64 {
		var sl, nl, so, soo, no float64
		for y := where.Min.Y; y < where.Max.Y; y++ {
			for x := where.Min.X; x < where.Max.X; x++ {
				v := float64(m[y*w+x])
				if letter(x, y) {
					sl += v
					nl++
				} else {
					so += v
					soo += v * v
					no++
				}
			}
		}
		mo := so / no
		return (sl/nl - mo) / math.Sqrt(soo/no-mo*mo)
	}
	t.Run("three dark slides of twenty frames", func(t *testing.T) {
		t.Parallel()
		an, res := build([]int{2, 9, 15}, 20)
		defer an.Close()
		ps, ok := presentSums(context.Background(), an, res)
		if !ok {
			t.Fatal("no present matte")
		}
		pm := fillFrom(ps.matte(gray, w, h), an.acc.matte(gray))
		all, own := clarity(an.acc.matte(gray)), clarity(pm)
		if own < 1.3*all || own < 3 {
			t.Errorf("letters' clarity: %.2f over the mark's frames, %.2f over all (want 1.3 times, and >= 3)", own, all)
		}
	})
	t.Run("shown in most frames", func(t *testing.T) {
		t.Parallel()
		an, res := build([]int{0, 1, 2, 3, 4, 5, 6}, 10)
		defer an.Close()
		if _, ok := presentSums(context.Background(), an, res); ok {
			t.Error("present matte made of most frames")
		}
	})
}
