package video

import (
	"image"
	"math"
	"slices"
	"strings"

	"gocv.io/x/gocv"

	"tracescan/ocr"
)

// Tesseract reads an underscore at the baseline as a hyphen
// (`li-schmidt23` for `li_schmidt23`), and its symbol boxes do not tell
// the two apart (they span the line's height). The crop does: an
// underscore is a bar at or below the baseline of the word's small
// letters, a hyphen one in their middle. fixDashes looks at the bar
// nearest to where each dash of a word should be and sets the dash by the
// bar's height.

// inkImage is a binary look of a crop: ink[y*w+x] is true on a stroke.
type inkImage struct {
	w, h int
	ink  []bool
}

// inkOf reads a binarised look (dark text on white).
func inkOf(m gocv.Mat) inkImage { return inkBelow(m, 128) }

// inkBelow reads a look of dark text on white: ink where it is darker
// than level.
func inkBelow(m gocv.Mat, level uint8) inkImage {
	img := inkImage{w: m.Cols(), h: m.Rows()}
	px := m.ToBytes()
	if len(px) != img.w*img.h {
		return inkImage{}
	}
	img.ink = make([]bool, len(px))
	for i, v := range px {
		img.ink[i] = v < level
	}
	return img
}

// bar is a horizontal stroke standing alone where letters would have
// ink (see barsIn).
type bar struct {
	x0, x1 int     // columns
	cy     float64 // centre row of the stroke, at its middle
}

// fixDashes returns the reading with each dash (see dashes) set by the bar
// found in img where the word's box says the character lies; dashes whose
// bar is not found or not clearly placed are left as read.
func fixDashes(l ocr.Line, img inkImage) ocr.Line {
	return fixWords(l, dashes, func(wd ocr.Word) string { return dashesIn(wd, img) })
}

// fixWords returns the reading with each word that holds one of chars
// replaced by what fix makes of it (its box tells where it lies).
func fixWords(l ocr.Line, chars string, fix func(ocr.Word) string) ocr.Line {
	if !strings.ContainsAny(l.Text, chars) || len(l.Words) == 0 {
		return l
	}
	changed := false
	texts := make([]string, len(l.Words))
	words := slices.Clone(l.Words)
	for k, wd := range l.Words {
		texts[k] = wd.Text
		if !strings.ContainsAny(wd.Text, chars) {
			continue
		}
		if fixed := fix(wd); fixed != wd.Text {
			words[k].Text, texts[k] = fixed, fixed
			changed = true
		}
	}
	if !changed {
		return l
	}
	l.Words = words
	l.Text = strings.Join(texts, " ")
	return l
}

// wordLetters returns where a word lies in img, its letters, and the top
// and bottom rows of its small letters; ok is false when the box is too
// small for them.
func wordLetters(wd ocr.Word, img inkImage) (r image.Rectangle, runes []rune, mid, base int, ok bool) {
	r = wd.Box.Intersect(image.Rect(0, 0, img.w, img.h))
	runes = []rune(wd.Text)
	if r.Dx() < len(runes) || r.Dy() < 6 {
		return r, runes, 0, 0, false
	}
	mid, base, ok = xHeight(img, r)
	return r, runes, mid, base, ok
}

// dashesIn is fixDashes for one word.
func dashesIn(wd ocr.Word, img inkImage) string {
	r, runes, mid, base, ok := wordLetters(wd, img)
	if !ok {
		return wd.Text
	}
	bars := barsIn(img, r, mid, base)
	step := float64(r.Dx()) / float64(len(runes))
	for i, c := range runes {
		if !strings.ContainsRune(dashes, c) {
			continue
		}
		// Where the character should be if the word's letters were of
		// equal width; the nearest bar within about a letter of that.
		want := float64(r.Min.X) + (float64(i)+0.5)*step
		best, bestD := -1, 1.2*step
		for j, b := range bars {
			if d := math.Abs(float64(b.x0+b.x1)/2 - want); d < bestD {
				best, bestD = j, d
			}
		}
		if c == '=' && best >= 0 {
			// Its two bars: an underscore and a remnant line above it,
			// or a hyphen's line twice. The lower one is the character.
			for j, b := range bars {
				if math.Abs(float64(b.x0+b.x1)/2-want) < 1.2*step && b.cy > bars[best].cy {
					best = j
				}
			}
		}
		if best < 0 {
			continue
		}
		if d := bars[best].dash(mid, base); d == '_' || d == '-' && c != ':' {
			runes[i] = d
		}
	}
	return string(runes)
}

// dash is the character the bar is by its height: an underscore at or
// below the baseline of the small letters (mid to base), a hyphen in
// their middle, 0 elsewhere.
func (b bar) dash(mid, base int) rune {
	switch rel := (b.cy - float64(mid)) / float64(base-mid+1); {
	case rel >= underscoreRow:
		return '_'
	case rel >= 0.25 && rel <= 0.75:
		return '-'
	}
	return 0
}

// dashes are the characters Tesseract reads for a hyphen or an
// underscore: en and em dashes, a colon (no address has one), and an
// equals sign (an underscore with a remnant line above it: "olqa=schmidt29").
const dashes = "-_\u2013\u2014:="

// clearRows reports whether every column x0..x1 has fewer than thin ink
// pixels in each of the row ranges (inclusive; an empty range is clear): a
// thin remnant line may cross, a letter's stroke may not.
func clearRows(img inkImage, x0, x1 int, ranges [2][2]int, thin float64) bool {
	for x := x0; x <= x1; x++ {
		for _, rows := range ranges {
			n := 0
			for y := max(0, rows[0]); y <= min(img.h-1, rows[1]); y++ {
				if img.ink[y*img.w+x] {
					n++
				}
			}
			if float64(n) >= thin {
				return false
			}
		}
	}
	return true
}

// thinLine is the thickness (pixels) from which a horizontal stroke is a
// letter's, at x-height xh.
func thinLine(xh float64) float64 { return math.Max(2, 0.1*xh) }

// underscoreRow is the height of a bar's centre, in x-heights below the
// top of the small letters, from which it is an underscore: at the
// baseline or below it. The round bottoms of letters centre just above
// the baseline (0.93 measured; underscores 1.03 and 1.05); a hyphen sits
// at about 0.5.
const underscoreRow = 1.0

// xHeight returns the top and bottom rows of the word's small letters: the
// rows holding at least half the ink of the fullest row.
func xHeight(img inkImage, r image.Rectangle) (mid, base int, ok bool) {
	rows := make([]int, r.Dy())
	most := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		n := 0
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.ink[y*img.w+x] {
				n++
			}
		}
		rows[y-r.Min.Y] = n
		most = max(most, n)
	}
	if most == 0 {
		return 0, 0, false
	}
	mid, base = -1, -1
	for i, n := range rows {
		if 2*n >= most {
			if mid < 0 {
				mid = i
			}
			base = i
		}
	}
	if base-mid+1 < 5 {
		return 0, 0, false
	}
	return mid + r.Min.Y, base + r.Min.Y, true
}

// barsIn finds the bars in the columns of r: horizontal strokes at least
// 0.4 x-height long and at most 0.35 thick, at the baseline or below it
// (underscores) or in the middle of the small letters (hyphens), with no
// other ink above or below their middle where a letter would have some. A
// letter's bottom or the bar of an 'e' has; an italic underscore touches
// its neighbours at its ends only.
func barsIn(img inkImage, r image.Rectangle, mid, base int) []bar {
	xh := float64(base - mid + 1)
	// Rows from the image, not the box: a box drawn round a misread '-'
	// can stop above the underscore.
	top := max(0, mid-int(0.1*xh))
	bot := min(img.h, base+1+int(0.45*xh))
	at := func(x, y int) bool { return img.ink[y*img.w+x] }
	var out []bar
	for y := mid; y < bot; y++ {
		for x := r.Min.X; x < r.Max.X; {
			if !at(x, y) {
				x++
				continue
			}
			x0 := x
			for x < r.Max.X && at(x, y) {
				x++
			}
			x1 := x
			if float64(x1-x0) < 0.4*xh {
				continue
			}
			cx := (x0 + x1) / 2
			// The stroke's rows at its middle.
			t, b := y, y
			for t > top && at(cx, t-1) {
				t--
			}
			for b < bot-1 && at(cx, b+1) {
				b++
			}
			// As thick as a letter's stroke: thinner lines are content
			// remnants of the rebuild (one crossed an underscore at
			// mid-height in two marks).
			if th := float64(b - t + 1); th > math.Max(2, 0.35*xh) || th < thinLine(xh) {
				continue
			}
			if slices.ContainsFunc(out, func(o bar) bool { return o.x0 < x1 && x0 < o.x1 && math.Abs(o.cy-float64(t+b)/2) < 0.2*xh }) {
				continue
			}
			// Nothing else in the middle columns where a letter would have
			// ink: above an underscore, the lower part of the small
			// letters; above and below a hyphen, the rest of them.
			cy := float64(t+b) / 2
			var clear [2][2]int // row ranges only a thin line may cross
			switch rel := (cy - float64(mid)) / xh; {
			case rel >= underscoreRow:
				clear = [2][2]int{{base - int(0.4*xh), t - 1}, {0, -1}}
			case rel >= 0.25 && rel <= 0.75:
				clear = [2][2]int{{mid, t - 1}, {b + 1, base}}
			default:
				continue
			}
			if q := max(1, (x1-x0)/4); clearRows(img, cx-q, cx+q, clear, thinLine(xh)) {
				out = append(out, bar{x0: x0, x1: x1, cy: cy})
			}
		}
	}
	return out
}
