package video

import (
	"image"
	"image/color"
	"math"
	"path/filepath"
	"testing"

	"gocv.io/x/gocv"

	"tracescan/ocr"
)

// tiltedMark draws text as a rebuilt mark would look: bright letters of
// the given opacity on zero, turned by angle degrees (counter-clockwise)
// about the frame centre, crossed by the horizontal and vertical rules a
// spreadsheet leaves in the estimate. It returns the map and the blob
// of the middle third of the line.
func tiltedMark(t *testing.T, text string, w, h int, angle float64) ([]float32, blob) {
	t.Helper()
	canvas := gocv.NewMatWithSize(h, w, gocv.MatTypeCV8U)
	defer canvas.Close()
	const scale, thick = 1.3, 2
	sz := gocv.GetTextSize(text, gocv.FontHersheySimplex, scale, thick)
	org := image.Pt((w-sz.X)/2, (h+sz.Y)/2)
	gocv.PutText(&canvas, text, org, gocv.FontHersheySimplex, scale, color.RGBA{255, 255, 255, 0}, thick)
	rot := gocv.GetRotationMatrix2D(image.Pt(w/2, h/2), angle, 1)
	defer rot.Close()
	turned := gocv.NewMat()
	defer turned.Close()
	gocv.WarpAffine(canvas, &turned, rot, image.Pt(w, h))
	pix := turned.ToBytes()
	m := make([]float32, w*h)
	for i, p := range pix {
		m[i] = 0.2 * float32(p) / 255
	}
	for y := 20; y < h; y += 45 {
		for x := 0; x < w; x++ {
			m[y*w+x] = max(m[y*w+x], 0.3)
		}
	}
	for x := 90; x < w; x += 160 {
		for y := 0; y < h; y++ {
			m[y*w+x] = max(m[y*w+x], 0.3)
		}
	}
	// The blob: letter pixels within a sixth of the line's length of the
	// centre, as detection finds only the clearest stretch of a mark.
	rad := angle * math.Pi / 180
	var b blob
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if pix[y*w+x] < 128 {
				continue
			}
			along := float64(x-w/2)*math.Cos(rad) - float64(y-h/2)*math.Sin(rad)
			if math.Abs(along) < float64(sz.X)/6 {
				b.mask = append(b.mask, image.Pt(x, y))
				b.rect = b.rect.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	b.angle = angle
	return m, b
}

func TestReadsWholeTiltedLine(t *testing.T) {
	const want = "peter_ivanova@example.com"
	eng, err := ocr.New(10)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	tests := []struct {
		name      string
		angle     float64 // drawn
		blobAngle float64 // as the blob's shape says
		wantLevel bool    // refined to level
	}{
		{name: "level", angle: 0, blobAngle: 1.5, wantLevel: true},
		{name: "diagonal", angle: 30, blobAngle: 27},
		{name: "steep diagonal", angle: -40, blobAngle: -43},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const w, h = 1280, 720
			m, b := tiltedMark(t, want, w, h, tc.angle)
			a := refineAngle(m, w, h, b.rect, tc.blobAngle)
			if tc.wantLevel && a != 0 {
				t.Fatalf("refined angle %.1f, want level", a)
			}
			if !tc.wantLevel && math.Abs(a-tc.angle) > 1 {
				t.Fatalf("refined angle %.1f, want %.0f", a, tc.angle)
			}
			clean := withoutRules(m, w, h, a)
			gray, bin, _, _, ok := textCrop(clean, w, h, b, a)
			if !ok {
				t.Fatal("no crop")
			}
			defer gray.Close()
			defer bin.Close()
			line, err := eng.Read(gray)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, id := range ocr.Classify(line.Text, true) {
				found = found || id.Value == want
			}
			if !found {
				t.Errorf("read %q, want %s", line.Text, want)
			}
		})
	}
}

func TestWithoutRulesKeepsLetters(t *testing.T) {
	const w, h = 1280, 720
	m, b := tiltedMark(t, "jdoe@example.org", w, h, 30)
	clean := withoutRules(m, w, h, 30)
	var rule, letters, lettersBefore float64
	for x := 0; x < w; x++ {
		rule += float64(clean[20*w+x]) // a rule row far from the text
	}
	for _, p := range b.mask {
		letters += float64(clean[p.Y*w+p.X])
		lettersBefore += float64(m[p.Y*w+p.X])
	}
	if rule > 0.01*0.3*w {
		t.Errorf("rule left: %.1f of %.1f", rule, 0.3*w)
	}
	if letters < 0.8*lettersBefore {
		t.Errorf("letters kept %.0f %% of their weight, want >= 80 %%", 100*letters/lettersBefore)
	}
}

// TestSolidLookReadsOutlinedStamp reads two crops of semi-transparent
// "CONFIDENTIAL" stamps as the reader rebuilt them from generated videos
// (evalvideo seeds 9010 and 13015): the high-pass keeps only the edges of
// bold strokes, and content rules cross the letters. The solid look must
// read the stamp word.
func TestSolidLookReadsOutlinedStamp(t *testing.T) {
	eng, err := ocr.New(10)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	for _, name := range []string{"stamp-crop-9010.png", "stamp-crop-13015.png"} {
		t.Run(name, func(t *testing.T) {
			gray := gocv.IMRead(filepath.Join("testdata", name), gocv.IMReadGrayScale)
			if gray.Empty() {
				t.Fatalf("cannot read testdata/%s", name)
			}
			defer gray.Close()
			plain, err := eng.Read(gray)
			if err != nil {
				t.Fatal(err)
			}
			look := solidLook(gray)
			defer look.Close()
			got, err := eng.Read(look)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("as rebuilt: %q; solid look: %q", plain.Text, got.Text)
			if !ocr.IsStamp(got.Text) {
				t.Errorf("solid look read %q, want the stamp word", got.Text)
			}
		})
	}
}

// TestLetterReach: the rows above and below a line's small letters keep
// the ascenders and descenders joined to them and the dots of 'i's, and
// lose the next line of a tiled mark and loose content remnants.
func TestLetterReach(t *testing.T) {
	const w, h = 80, 60
	const top, bot = 25, 34 // the small letters' rows
	v := make([]float32, w*h)
	fill := func(x0, y0, x1, y1 int) {
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				v[y*w+x] = 1
			}
		}
	}
	fill(10, top, 14, bot) // a small letter
	fill(20, 19, 22, bot)  // an ascender ('l')
	fill(30, top, 32, 39)  // a descender ('p')
	fill(40, top, 42, bot) // an 'i' ...
	fill(40, 21, 42, 22)   // ... and its dot
	fill(50, 12, 60, 18)   // the bottom of the next line above
	fill(62, 37, 64, 39)   // a content remnant below
	gotTop, gotBot := letterReach(v, w, h, top, bot, 0, w, 0.5)
	if gotTop != 19 || gotBot != 39 {
		t.Errorf("reach rows %d-%d, want 19-39", gotTop, gotBot)
	}
	cases := []struct {
		name string
		x, y int
		kept bool
	}{
		{"ascender", 21, 19, true},
		{"descender", 31, 39, true},
		{"dot", 41, 21, true},
		{"next line", 55, 20, false},
		{"remnant", 63, 38, false},
		{"small letter", 12, 30, true},
	}
	for _, c := range cases {
		if kept := v[c.y*w+c.x] > 0; kept != c.kept {
			t.Errorf("%s: kept %v, want %v", c.name, kept, c.kept)
		}
	}
}

func TestSkewAngleWithoutRules(t *testing.T) {
	t.Parallel()
	const w, h = 640, 360
	for _, angle := range []float64{-30, 25, 40} {
		m, _ := tiltedMark(t, "CONFIDENTIAL", w, h, angle)
		all := image.Rect(0, 0, w, h)
		// The grid holds the projection level: the case rules go first for.
		if got := skewAngle(m, w, h, all); got != 0 {
			t.Errorf("angle %v: with the rules skewAngle = %v, want 0 (the grid's)", angle, got)
		}
		if got := skewAngle(withoutRules(m, w, h, 0), w, h, all); math.Abs(got-angle) > 5 {
			t.Errorf("angle %v: skewAngle without rules = %v", angle, got)
		}
	}
}
