package video

import (
	"image"
	"image/color"
	"math/rand"
	"slices"
	"testing"

	"gocv.io/x/gocv"
)

// tiledFrames draws a text mark (opacity 0.2, gray 200) at the given tile
// origins over frames of changing flat backgrounds. In every frame, busy
// high-contrast content covers the left half of the tile hidden (-1: none),
// so that its letters there leave no evidence. It returns the accumulator
// and the letter pixels of each tile.
func tiledFrames(t *testing.T, w, h int, tiles []image.Point, hidden int) (*accumulator, [][]image.Point) {
	t.Helper()
	const text, scale, thick = "ab12@x.org", 0.9, 2
	sz := gocv.GetTextSize(text, gocv.FontHersheySimplex, scale, thick)
	canvas := gocv.NewMatWithSize(h, w, gocv.MatTypeCV8U)
	defer canvas.Close()
	for _, o := range tiles {
		gocv.PutText(&canvas, text, o.Add(image.Pt(0, sz.Y)), gocv.FontHersheySimplex, scale, color.RGBA{255, 255, 255, 0}, thick)
	}
	mark := canvas.ToBytes()
	letters := make([][]image.Point, len(tiles))
	for k, o := range tiles {
		for y := o.Y; y < o.Y+sz.Y+4 && y < h; y++ {
			for x := o.X; x < o.X+sz.X && x < w; x++ {
				if mark[y*w+x] > 128 {
					letters[k] = append(letters[k], image.Pt(x, y))
				}
			}
		}
	}
	acc := newAccumulator(w, h, sigmaAt(w), contentGate)
	t.Cleanup(acc.Close)
	r := rand.New(rand.NewSource(7))
	pix := make([]byte, w*h)
	for f := 0; f < 40; f++ {
		// Four flat quadrants of random gray: the background changes
		// beneath the mark from frame to frame.
		var lv [4]float64
		for i := range lv {
			lv[i] = float64(20 + r.Intn(216))
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				bg := lv[2*(2*y/h)+2*x/w]
				a := 0.2 * float64(mark[y*w+x]) / 255
				pix[y*w+x] = byte(a*200 + (1-a)*bg + 0.5)
			}
		}
		if hidden >= 0 {
			o := tiles[hidden]
			for y := o.Y - 10; y < o.Y+sz.Y+14; y++ {
				for x := o.X - 10; x < o.X+sz.X/2; x++ {
					if x >= 0 && y >= 0 && x < w && y < h {
						pix[y*w+x] = byte(255 * ((x/3 + y/3 + f) % 2))
					}
				}
			}
		}
		if err := acc.add(pix); err != nil {
			t.Fatal(err)
		}
	}
	return acc, letters
}

func meanAt(m []float32, w int, pts []image.Point, keep func(image.Point) bool) float64 {
	var s float64
	n := 0
	for _, p := range pts {
		if keep == nil || keep(p) {
			s += float64(m[p.Y*w+p.X])
			n++
		}
	}
	return s / float64(max(n, 1))
}

func lineBlob(pts []image.Point) blob {
	var b blob
	for _, p := range pts {
		b.rect = b.rect.Union(image.Rect(p.X, p.Y, p.X+1, p.Y+1))
	}
	b.mask = pts
	return b
}

func TestPooledMatte(t *testing.T) {
	const w, h = 640, 360
	brick := []image.Point{{20, 30}, {240, 30}, {460, 30}, {130, 150}, {350, 150}, {20, 270}, {240, 270}, {460, 270}}
	tests := []struct {
		name   string
		tiles  []image.Point
		hidden int
		// wantCopies is the fewest copies that must be pooled (1: none).
		wantCopies int
	}{
		{"tiled mark, one tile half hidden", brick, 4, 6},
		{"parallel lines", []image.Point{{150, 40}, {150, 160}, {150, 280}}, 1, 3},
		{"single mark", []image.Point{{200, 160}}, -1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			acc, letters := tiledFrames(t, w, h, tc.tiles, tc.hidden)
			raw := acc.matte(200)
			ref := 0
			if tc.hidden == 0 {
				ref = 1
			}
			// What the detector finds: every tile, of the hidden one only
			// its clear half.
			var marks []overlayBlob
			for k, pts := range letters {
				if k == tc.hidden {
					o, end := tc.tiles[k], pts[len(pts)-1].X
					pts = slices.DeleteFunc(slices.Clone(pts), func(p image.Point) bool { return p.X < o.X+(end-o.X)/2 })
				}
				marks = append(marks, overlayBlob{blob: lineBlob(pts)})
			}
			pooled, offs := pooledMatte(acc, 200, acc.matte(200), lineBlob(letters[ref]), marks, nil)
			copies := len(offs)
			// No copy matches better than perfectly: none kept.
			win := repeatWindow(lineBlob(letters[ref]), w, h)
			cands, nccs := copyOffsets(acc.matte(200), w, h, win)
			if n := len(copiesOn(cands, nccs, win, lineBlob(letters[ref]), marks, 1.01)); n != 1 {
				t.Errorf("kept %d copies at a match bar above 1", n)
			}
			if copies < tc.wantCopies || (tc.wantCopies == 1 && copies != 1) {
				t.Fatalf("pooled %d copies, want %d or more (exactly 1 for a single mark)", copies, tc.wantCopies)
			}
			clear := meanAt(raw, w, letters[ref], nil)
			if clear < 0.05 {
				t.Fatalf("clear tile's matte %.3f: the test's mark is not found at all", clear)
			}
			if tc.hidden < 0 {
				for i := range raw {
					if raw[i] != pooled[i] {
						t.Fatalf("a single mark's matte changed at pixel %d", i)
					}
				}
				return
			}
			o := tc.tiles[tc.hidden]
			cut := func(p image.Point) bool { return p.X < o.X+(letters[tc.hidden][len(letters[tc.hidden])-1].X-o.X)/2-4 }
			before := meanAt(raw, w, letters[tc.hidden], cut)
			after := meanAt(pooled, w, letters[tc.hidden], cut)
			t.Logf("copies %d; hidden letters: raw %.3f, pooled %.3f; clear tile %.3f", copies, before, after, clear)
			if before > 0.3*clear {
				t.Fatalf("hidden letters already show in the raw matte (%.3f of %.3f): the test hides nothing", before, clear)
			}
			if after < 0.6*clear {
				t.Errorf("hidden letters pooled to %.3f, want at least 0.6 of the clear tile's %.3f", after, clear)
			}
		})
	}
}

func TestOnMarks(t *testing.T) {
	win := image.Rect(100, 100, 300, 130)
	offs := []image.Point{{}, {0, 120}, {240, 0}, {-60, 40}, {150, 0}}
	nccs := []float32{1, 0.8, 0.7, 0.9, 0.8}
	tests := []struct {
		name  string
		marks []image.Rectangle
		want  []image.Point
	}{
		{"only the reference detected: table cells that match are not copies", []image.Rectangle{image.Rect(110, 105, 290, 125)}, offs[:1]},
		{"a copy with its blob inside", []image.Rectangle{image.Rect(110, 105, 290, 125), image.Rect(120, 228, 200, 246)}, offs[:2]},
		{"a long blob (a tilted line's piece) holding the copy", []image.Rectangle{image.Rect(110, 105, 290, 125), image.Rect(50, 215, 600, 255)}, offs[:2]},
		{"a blob only grazed by the copy", []image.Rectangle{image.Rect(110, 105, 290, 125), image.Rect(520, 90, 700, 110)}, offs[:1]},
		{"no blobs", nil, offs[:1]},
		{"places further along the reference line itself", []image.Rectangle{image.Rect(20, 95, 560, 150)}, offs[:1]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			line := image.Rect(110, 105, 290, 125)
			if len(tc.marks) > 0 {
				line = tc.marks[0] // the reference's own blob
			}
			onLine := func(d image.Point) bool { return win.Add(d).Overlaps(line) }
			got, gotN := onMarks(offs, nccs, win, onLine, tc.marks)
			if !slices.Equal(got, tc.want) || len(gotN) != len(got) {
				t.Errorf("kept %v (%d correlations), want %v", got, len(gotN), tc.want)
			}
		})
	}
}

func TestPoolWindow(t *testing.T) {
	const w, h = 1280, 720
	// Pieces of a line rising at 45 degrees through (300, 400) and (500,
	// 200), and a piece of a parallel line 250 px away.
	piece := func(x, y int) overlayBlob {
		return overlayBlob{blob: blob{rect: image.Rect(x-40, y-40, x+40, y+40), angle: 45}}
	}
	a, b, other := piece(300, 400), piece(500, 200), piece(480, 560)
	tests := []struct {
		name string
		ref  blob
		obs  []overlayBlob
		want image.Rectangle
	}{
		{"tilted: the pieces along the line, not the parallel line", a.blob, []overlayBlob{a, b, other},
			image.Rect(260-40, 160-40, 540+40, 440+40)},
		{"level: the blob alone", blob{rect: image.Rect(100, 100, 300, 130)}, []overlayBlob{
			{blob: blob{rect: image.Rect(400, 100, 600, 130)}}},
			image.Rect(100-15, 100-15, 300+15, 130+15)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := poolWindow(tc.ref, tc.obs, w, h); got != tc.want {
				t.Errorf("window %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAlongLine(t *testing.T) {
	t.Parallel()
	level := blob{rect: image.Rect(533, 554, 649, 579), angle: 0.4}
	win := image.Rect(521, 542, 661, 591) // 140 x 49
	tests := []struct {
		name string
		ref  blob
		offs []image.Point
		want image.Rectangle
	}{
		// A tiled mark's lattice: copies 473 px apart in a row, and rows
		// 125 px apart shifted by half a tile.
		{"tiles in a row", level, []image.Point{{}, {-473, 0}, {473, -500}, {237, 125}, {473, 0}}, image.Rect(356, 542, 826, 591)},
		// Two copies in another row: their difference is the row's period.
		{"row period from other rows", level, []image.Point{{}, {692, 468}, {346, 468}}, image.Rect(419, 542, 763, 591)},
		// No period within the row known: one line height each side.
		{"copies in other rows only", level, []image.Point{{}, {237, 125}, {0, -250}}, image.Rect(472, 542, 710, 591)},
		{"frame edge", blob{rect: image.Rect(10, 554, 126, 579)}, []image.Point{{}, {0, 125}}, image.Rect(0, 542, 187, 591)},
		{"tilted line", blob{rect: level.rect, angle: 30}, []image.Point{{}, {300, 0}}, win},
	}
	for _, tc := range tests {
		w := win
		if tc.name == "frame edge" {
			w = image.Rect(0, 542, 138, 591)
		}
		if got := alongLine(w, tc.ref, tc.offs, 1280, 720); got != tc.want {
			t.Errorf("%s: alongLine = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestRegionNCC(t *testing.T) {
	t.Parallel()
	const w, h = 64, 32
	rng := rand.New(rand.NewSource(7))
	m := make([]float32, w*h)
	// Columns 0-31 are noise; columns 32-63 repeat them (a copy at (32,0)).
	for y := range h {
		for x := range 32 {
			v := rng.Float32()
			m[y*w+x], m[y*w+x+32] = v, v
		}
	}
	r := image.Rect(0, 0, 32, h)
	tests := []struct {
		name   string
		d      image.Point
		lo, hi float64
	}{
		{"the copy", image.Pt(32, 0), 0.999, 1.001},
		{"half a copy away", image.Pt(16, 0), -0.3, 0.3},
		{"copy cut by the edge", image.Pt(32, 8), -0.3, 0.3},
	}
	for _, tc := range tests {
		if got := regionNCC(m, w, h, r, tc.d); got < tc.lo || got > tc.hi {
			t.Errorf("%s: regionNCC = %.3f, want in [%v, %v]", tc.name, got, tc.lo, tc.hi)
		}
	}
}

func TestWithAngle(t *testing.T) {
	t.Parallel()
	obs := []overlayBlob{{blob: blob{angle: 8}}, {blob: blob{angle: 30}}, {blob: blob{angle: -60}}}
	got := withAngle(obs, 33)
	for i, want := range []float64{33, 30, 33} {
		if got[i].angle != want {
			t.Errorf("blob %d: angle %v, want %v", i, got[i].angle, want)
		}
	}
	if obs[0].angle != 8 {
		t.Errorf("withAngle changed its input")
	}
}

func TestCopiesOnTiltedLine(t *testing.T) {
	t.Parallel()
	// A line rising at 45 degrees, 8 pixels thick; its box holds much of
	// the parallel copy 120 pixels above it.
	var ref blob
	for k := 0; k <= 200; k++ {
		for th := 0; th < 8; th++ {
			p := image.Pt(100+k, 300-k+th)
			ref.mask = append(ref.mask, p)
			ref.rect = ref.rect.Union(image.Rect(p.X, p.Y, p.X+1, p.Y+1))
		}
	}
	ref.angle = 45
	win := repeatWindow(ref, 1280, 720)
	cands := []image.Point{{}, {0, -120}, {50, -50}}
	nccs := []float32{1, 0.95, 0.9}
	copyBlob := overlayBlob{blob: blob{rect: ref.rect.Add(image.Pt(0, -120)), angle: 45}}
	along := overlayBlob{blob: blob{rect: ref.rect.Add(image.Pt(50, -50)), angle: 45}}
	got := copiesOn(cands, nccs, win, ref, []overlayBlob{{blob: ref}, copyBlob, along}, repeatMinNCC)
	if want := []image.Point{{}, {0, -120}}; !slices.Equal(got, want) {
		t.Errorf("copies %v, want %v (the parallel copy, not a place along the line itself)", got, want)
	}
}

func TestCopyLines(t *testing.T) {
	t.Parallel()
	line := blob{rect: image.Rect(10, 10, 20, 12), angle: 30}
	for x := 10; x < 20; x++ {
		line.mask = append(line.mask, image.Pt(x, 10), image.Pt(x, 11))
	}
	got := copyLines(line, []image.Point{{0, 50}, {-16, 0}, {0, -100}}, 100, 100)
	if len(got) != 1 {
		t.Fatalf("%d copies, want 1 (one inside, one mostly outside, one outside)", len(got))
	}
	if want := image.Rect(10, 60, 20, 62); got[0].rect != want || got[0].angle != 30 || len(got[0].mask) != 20 {
		t.Errorf("copy at %v with %d pixels, want %v with 20", got[0].rect, len(got[0].mask), want)
	}
}
