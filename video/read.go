package video

import (
	"context"
	"errors"
	"image"
	"log/slog"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"gocv.io/x/gocv"

	"tracescan/identity"
	"tracescan/ocr"
	"tracescan/report"
)

// reading is the merged OCR result for an overlay.
type reading struct {
	text       string
	ids        []report.Identity
	votes      int // crops with a reading that holds the identity whole (cropsReading)
	read       int // crops OCR'd (lines of the mark, tiles)
	confidence float64
	matte      []float32 // rebuilt watermark (opacity map), analysis size
	present    bool      // matte rebuilt from the frames the mark shows in only
	// opacityMatte is the matte of the same frames in the grey the mark's
	// letters fit best (opacityMatte): its opacity is read there.
	opacityMatte []float32
	extent       image.Rectangle // the text lines read, analysis pixels
	// layout is what the reading's geometry says of the mark's layout
	// (layoutOfReading; "" when no line was cut), and lineAngle the angle
	// its lines were read at (median over the crops, degrees).
	layout    string
	lineAngle float64
	// readings are the readings of each line cut from the matte, for the
	// letter vote of another matte of the same mark.
	readings [][]ocr.Line
}

// lineCrop is one line of the mark cut out for reading.
type lineCrop struct {
	rect  image.Rectangle
	angle float64
	key   image.Rectangle // the line in the turned map
	looks []gocv.Mat      // as rebuilt, binarised, thickened (and solid, for big letters)
	// lines are the readings of the looks by the primary model, then by
	// the second (empty where a look was not read).
	lines []ocr.Line
	big   bool // letters of a stamp's size: it has the solid look
	cut   bool // a level line that runs to the frame's left or right edge
	src   int  // for a crop read again in part: the crop it is part of
}

// models is the number of OCR models that read each look: the primary and
// the second.
const models = 2

// secondWeight scales the confidence of the second model's readings: they
// settle the letters the primary model's looks disagree on, and outvote
// them only when those agree little. On six development sets (120 marks at
// opacity >= 0.12) a weight of 1 read one mark fewer exactly than the
// primary model alone, 0.5 two more and 0.35 three more.
const secondWeight = 0.35

// otherMatteWeight scales the confidence of another matte's readings in
// the letter vote: half a reading each, so that they settle what this
// matte's readings disagree on without outvoting what they agree on.
const otherMatteWeight = 0.5

// readSecond reads a look with the second model's engine. The reading is
// empty when that model cannot be loaded (the pool logs it).
func readSecond(ctx context.Context, engines *ocr.Pool, look gocv.Mat) (ocr.Line, error) {
	eng, err := engines.Second(ctx, 1)
	if err != nil {
		if ctx.Err() != nil {
			return ocr.Line{}, ctx.Err()
		}
		return ocr.Line{}, nil
	}
	defer engines.PutSecond(eng)
	line, err := eng.Read(look)
	line.Conf *= secondWeight
	return line, err
}

// cropsAgree reports whether two of the crops read the same whole email
// in some look, and their looks leave no doubt about it: it is read at
// least twice as often as any other email (two looks of one crop reading
// "lit162" and "litl62" ask for the other tiles). An email after a word
// that ends in a letter may be the end of a local part read with a gap
// (`emma_ta naka47@example.com`): it does not count. Neither does a crop
// of a line the frame edge cuts: two tiles cut alike read the same address
// without its head (`vak44@` for `omar_novak44@`, 91003), which a whole
// copy has.
func cropsAgree(crops []*lineCrop) bool {
	readers := map[string]map[int]bool{} // email -> crops that read it
	looks := map[string]int{}            // email -> looks that read it
	for k, c := range crops {
		if c.cut {
			continue
		}
		for _, l := range c.lines {
			seen := map[string]bool{}
			for j, wd := range l.Words {
				if j > 0 {
					prev := []rune(l.Words[j-1].Text)
					if last := prev[len(prev)-1]; unicode.IsLetter(last) || unicode.IsDigit(last) || strings.ContainsRune("._-", last) {
						continue
					}
				}
				for _, id := range ocr.Classify(wd.Text, true) {
					if v := strings.ToLower(id.Value); id.Type == "email" && !seen[v] {
						seen[v] = true
						if readers[v] == nil {
							readers[v] = map[int]bool{}
						}
						readers[v][k] = true
						looks[v]++
					}
				}
			}
		}
	}
	top, next := "", 0
	for v, n := range looks {
		if n > looks[top] || n == looks[top] && v < top {
			top = v
		}
	}
	for v, n := range looks {
		if v != top {
			next = max(next, n)
		}
	}
	return len(readers[top]) >= 2 && looks[top] >= 2*next
}

// edgeCut is how near the frame's edge, in pixels, a level line's ink
// must reach for the line to count as cut there.
const edgeCut = 1

// maxOverlayReads bounds how many blobs (tiles) are OCR'd: repeated tiles
// say the same thing, and OCR dominates the run time.
const maxOverlayReads = 5

func (d *Detector) readOverlay(ctx context.Context, an *analysis, res *interpretation, engines *ocr.Pool) (*reading, error) {
	// The second model loads while the crops are cut and the primary
	// model reads them.
	engines.StartSecond()
	all := an.acc.matte(res.W)
	// Each matte is made only when the ones before it name nobody, but
	// for the filled matte of a mark shown in part (below).
	type matte struct {
		values  func() []float32
		present bool
		read    *reading // the matte's reading, when it was read already
	}
	var mattes []matte
	ps, present := presentSums(ctx, an, res)
	filled := matte{values: func() []float32 { return an.acc.filledMatte(res.W) }}
	// The present frames' matte and the filled matte of all frames lose
	// different letters: the first where content covered the mark in the
	// few frames it shows in, the second where the other frames' content
	// left remnants ("lsilva@examplle.com" from the first, 61046, where
	// the second read "lsilva@example.com"; elsewhere the other way
	// round). The filled matte is read first, and its readings join the
	// letter vote of the present frames' matte.
	var other [][]ocr.Line
	if present {
		var err error
		if filled.read, err = d.readMatte(ctx, an, res, engines, filled.values(), false, nil); err != nil {
			return nil, err
		}
		other = filled.read.readings
		pm := fillFrom(ps.matte(res.W, an.w, an.h), all)
		mattes = append(mattes, matte{values: func() []float32 { return pm }, present: true})
	}
	mattes = append(mattes, filled, matte{values: func() []float32 { return all }})
	// The first that names somebody is the reading. When none does, the
	// gated matte of all frames says what the mark is: a stamp's big
	// letters, steady in every frame, can show in few of them and lose
	// there what the others fill in; the filled matte holds remnants of
	// dense content, read as noise where a stamp's letters had read as
	// capitals (53030); and remnants read as capitals would make a stamp
	// of a mark.
	var rd *reading
	for _, m := range mattes {
		var err error
		switch {
		case m.read != nil:
			rd = m.read
		case m.present:
			rd, err = d.readMatte(ctx, an, res, engines, m.values(), true, other)
		default:
			rd, err = d.readMatte(ctx, an, res, engines, m.values(), false, nil)
		}
		if err != nil {
			return nil, err
		}
		if len(rd.ids) > 0 {
			break
		}
	}
	rd.opacityMatte = opacityMatte(an, res, ps, rd.present)
	return rd, nil
}

// readMatte rebuilds and reads the mark from matte (present: made of the
// frames it shows in only); other are another matte's readings of its
// lines, for the letter vote.
func (d *Detector) readMatte(ctx context.Context, an *analysis, res *interpretation, engines *ocr.Pool, matte []float32, present bool, other [][]ocr.Line) (*reading, error) {
	// The projection over all the mark's blobs: parallel copies of a
	// tilted line give its angle clearly, where a blob of a few letters
	// has a shape of its own ("li.h" of a line at 33 degrees is a blob
	// at 8). The blobs of a tilted mark take its angle, for the copies
	// to be pooled along the whole line and the lines to be cut there.
	markAngle := markAngleOf(withoutRules(positive(matte), an.w, an.h, 0), an.w, an.h, res.overlays, 0)
	obs := res.overlays
	if math.Abs(markAngle) > 10 {
		obs = withAngle(obs, markAngle)
	}
	lines := textLines(obs, an.w, an.h)
	var copies []image.Point
	lineHeight := 0
	if len(lines) > 0 {
		// Copies of the mark (tiles, parallel lines) fill in each other's
		// letters hidden under busy content.
		var offs []image.Point
		matte, offs = pooledMatte(an.acc, res.W, matte, lines[0], obs, res.letters)
		if len(offs) > 1 {
			copies = offs[1:] // offs[0] is the line itself
		}
		lineHeight = lines[0].rect.Dy()
		if len(lines) == 1 {
			// The copies found of a lone line are lines to read too:
			// the one detected may be the copy the frame edge cuts.
			lines = append(lines, copyLines(lines[0], offs[1:], an.w, an.h)...)
		}
		if len(lines) == 1 && math.Abs(markAngle) > 10 {
			// A tilted line spans too much of the frame for its copies
			// to be matched; a parallel line of steady letters found
			// under another colour is one (content covered the head of
			// the line read, "ter.hassan@", not that of its copy).
			lines = append(lines, parallelLines(lines[0], res.letters, markAngle)...)
		}
	}
	for i, v := range matte {
		if v < 0 {
			matte[i] = 0
		}
	}
	matte = blurFloats(matte, an.w, an.h, 0.7)
	rd := &reading{matte: matte, present: present}

	type vote struct {
		key   string
		line  ocr.Line
		ids   []report.Identity
		rect  image.Rectangle
		count int
	}
	// First the crops of every line to read, in reading order.
	var crops []*lineCrop
	var clean []float32 // the matte without content rules, for angle cleanAngle
	var cleanAngle float64
	defer func() {
		for _, c := range crops {
			for _, m := range c.looks {
				m.Close()
			}
		}
	}()
	if len(lines) > maxOverlayReads {
		lines = lines[:maxOverlayReads]
	}
	// addCrops cuts the line through each blob at the angle angleOf gives.
	addCrops := func(bs []blob, angleOf func(blob) float64) {
		for _, b := range bs {
			angle := angleOf(b)
			if cleanAngle != angle || clean == nil {
				clean, cleanAngle = withoutRules(matte, an.w, an.h, angle), angle
			}
			gray, bin, line, key, ok := textCrop(clean, an.w, an.h, b, angle)
			if !ok {
				continue
			}
			// Two blobs of one line (words, or pieces of a diagonal line)
			// give the same crop: read it once.
			if dup := slices.ContainsFunc(crops, func(c *lineCrop) bool {
				return math.Abs(c.angle-angle) < 1 && overlapShare(c.key, key) > 0.5
			}); dup {
				gray.Close()
				bin.Close()
				continue
			}
			if !line.Empty() && len(res.overlays) <= 3 {
				rd.extent = rd.extent.Union(line)
			}
			rd.read++
			// Three looks at the same crop: as rebuilt, binarised, and with
			// strokes thickened (faint thin strokes break up otherwise).
			thick := gocv.NewMat()
			kern := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(3, 3))
			gocv.Erode(gray, &thick, kern)
			kern.Close()
			looks := []gocv.Mat{gray, bin, thick}
			big := letterHeight(key.Dy()) > solidLetter*float64(an.h)
			if big {
				// Big bold letters (a stamp's) rebuild as outlines, crossed
				// by content rules: a fourth look drops the thin lines and
				// fills the outlines in.
				looks = append(looks, solidLook(gray))
			}
			cut := math.Abs(angle) <= 3 && (key.Min.X <= edgeCut || key.Max.X >= an.w-edgeCut)
			crops = append(crops, &lineCrop{rect: b.rect, angle: angle, key: key, looks: looks,
				lines: make([]ocr.Line, models*len(looks)), big: big, cut: cut})
		}
	}
	// readCrops OCRs the looks of crops[from:to] with both models, spread
	// over one Tesseract engine per core (and the second model's one). The
	// budget counts the primary model's calls in reading order, as one
	// engine would: looks past it are read by neither model.
	used := 0
	readCrops := func(from, to int) error {
		type call struct {
			c, l   int
			second bool // read with the second model
		}
		var calls []call
		for c := from; c < to; c++ {
			for l := range crops[c].looks {
				if used < d.opt.MaxOCR {
					calls = append(calls, call{c: c, l: l})
					used++
				}
			}
		}
		// The second model reads the same looks, after the primary one
		// (its engine loads meanwhile).
		for _, cl := range slices.Clone(calls) {
			calls = append(calls, call{c: cl.c, l: cl.l, second: true})
		}
		nc := max(1, min(workers, len(calls)))
		errs := make([]error, nc)
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < nc; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				eng, err := engines.Get(ctx, len(calls))
				if err != nil {
					errs[w] = err
					return
				}
				defer engines.Put(eng)
				for {
					i := int(next.Add(1) - 1)
					if i >= len(calls) {
						return
					}
					if err := ctx.Err(); err != nil {
						errs[w] = err
						return
					}
					cl := calls[i]
					c := crops[cl.c]
					read, slot := eng.Read, cl.l
					if cl.second {
						read = func(look gocv.Mat) (ocr.Line, error) { return readSecond(ctx, engines, look) }
						slot += len(c.looks)
					}
					line, err := read(c.looks[cl.l])
					if err != nil {
						errs[w] = err
						return
					}
					c.lines[slot] = line
				}
			}()
		}
		wg.Wait()
		return errors.Join(errs...)
	}
	// The projection profile that finds a line's angle is taken without
	// content rules: a spreadsheet's grid would hold it level.
	var noRules []float32
	ruleless := func() []float32 {
		if noRules == nil {
			noRules = withoutRules(matte, an.w, an.h, 0)
		}
		return noRules
	}
	addCrops(lines, func(b blob) float64 {
		angle := b.angle
		if b.elong < 3 {
			if common, ok := lineAngle(obs); ok {
				// Other blobs of the mark are clear lines: same angle.
				angle = common
			} else {
				// No blob's shape says: ask the projection profile.
				angle = skewAngle(ruleless(), an.w, an.h, b.rect.Inset(-max(b.rect.Dx(), b.rect.Dy())/2))
			}
		}
		if math.Abs(markAngle) > 10 && math.Abs(angle-markAngle) > 10 {
			angle = markAngle
		}
		return refineAngle(matte, an.w, an.h, b.rect, angle)
	})
	// Tiles and parallel lines read alike once pooled: when the first two
	// crops already agree on an address, the others would only repeat it.
	first := min(len(crops), 2)
	if err := readCrops(0, first); err != nil {
		return nil, err
	}
	if !cropsAgree(crops[:first]) {
		if err := readCrops(first, len(crops)); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Nothing understood: the blobs may be strokes of big letters (a stamp),
	// whose own direction is not the line's. The projection over all of
	// them gives the line's angle; read again at that angle if it differs.
	// Understood is what the vote below can believe: an address, a handle
	// with digits or separators or read alike twice, and capitals in a
	// line of big letters (bigStamp). A stamp found as a piece of one
	// letter, cut there at 39 degrees, read capitals and "AERNiTAI" at
	// that angle, and its line at 30, which reads CONFIDENTIAL in big
	// letters, was not tried (47045).
	understood := func(cs []*lineCrop) bool {
		return slices.ContainsFunc(cs, func(c *lineCrop) bool {
			return slices.ContainsFunc(c.lines, func(l ocr.Line) bool {
				for _, id := range ocr.Classify(l.Text, true) {
					if id.Type != identity.TypeLocalPart || handleBelieved(strings.ToLower(id.Value), cs) {
						return true
					}
				}
				return c.big && ocr.LooksLikeStamp(l.Text)
			})
		})
	}
	// Then, still nothing: a stamp's letters can fit two colours over
	// different content (black over light cells, grey over dark), and one
	// colour's few blobs are pieces of the line. The line through the
	// blobs of every colour, at the angle of all of them, holds the word.
	// Last, still nothing and a lone blob: a piece of a letter or two has
	// no direction of its own (a stamp found only as such a piece was cut
	// at the piece's angle and read as noise); the projection over a
	// window around it, a twelfth of the frame high, gives its line's.
	for try := 0; try < 3 && !understood(crops) && used < d.opt.MaxOCR; try++ {
		angle, bs := markAngle, lines
		angleOf := func(b blob) float64 { return refineAngle(matte, an.w, an.h, b.rect, angle) }
		// A crop at about the same angle has read the line already.
		readAlready := func(c *lineCrop) bool { return math.Abs(c.angle-angle) < 10 }
		switch {
		case try == 2:
			if len(res.overlays) != 1 {
				continue
			}
			angle = markAngleOf(ruleless(), an.w, an.h, res.overlays, an.h/12)
		case try == 1:
			if len(res.letters) == 0 {
				continue
			}
			all := append(slices.Clone(obs), res.letters...)
			var whole blob
			for _, o := range all {
				whole.rect = whole.rect.Union(o.rect)
				whole.mask = append(whole.mask, o.mask...)
			}
			// Refined over the whole line: one blob is too short a piece
			// of it for its angle to hold to the ends.
			angle = refineAngle(matte, an.w, an.h, whole.rect, markAngleOf(ruleless(), an.w, an.h, all, 0))
			bs = []blob{whole}
			angleOf = func(blob) float64 { return angle }
			// Only a crop cut through most of this line has read it
			// (47045's first crop, through a piece of a letter, lay at
			// 39 degrees, its line at 30).
			readAlready = func(c *lineCrop) bool {
				in := c.rect.Intersect(whole.rect)
				return math.Abs(c.angle-angle) < 10 && 2*in.Dx()*in.Dy() >= whole.rect.Dx()*whole.rect.Dy()
			}
		}
		if slices.ContainsFunc(crops, readAlready) {
			continue
		}
		n := len(crops)
		addCrops(bs, angleOf)
		if err := readCrops(n, len(crops)); err != nil {
			return nil, err
		}
		if understood(crops[n:]) {
			// The first pass cut the letters across: its readings
			// are noise that would drown the words.
			for _, c := range crops[:n] {
				for _, m := range c.looks {
					m.Close()
				}
			}
			crops = crops[n:]
		}
	}

	// Content remnants left of an address or handle ("ry," or "—+--"
	// before it) make Tesseract misread its first letters: read those
	// crops again with everything left of the address blanked out.
	if n := len(crops); used < d.opt.MaxOCR {
		for k := 0; k < n; k++ {
			x, ok := addressStart(crops[k].lines)
			if !ok {
				continue
			}
			// Only its looks are read; its readings go to crop k.
			t := &lineCrop{src: k, lines: make([]ocr.Line, models*len(crops[k].looks))}
			for _, m := range crops[k].looks {
				t.looks = append(t.looks, blankLeft(m, x))
			}
			crops = append(crops, t)
		}
		if err := readCrops(n, len(crops)); err != nil {
			return nil, err
		}
		for _, t := range crops[n:] {
			// More readings of the same crop: they join the vote
			// rather than replace the first ones, which Tesseract
			// sometimes read better with the remnants in place.
			for _, line := range t.lines {
				if len(ocr.Emails(line.Text)) > 0 || lastHandle(line.Text) {
					crops[t.src].lines = append(crops[t.src].lines, line)
				}
			}
			for _, m := range t.looks {
				m.Close()
			}
		}
		crops = crops[:n]
	}

	var angles []float32
	for _, c := range crops {
		var texts []string
		for _, l := range c.lines {
			texts = append(texts, l.Text)
		}
		slog.Debug("video crop", "rect", c.rect, "key", c.key, "angle", c.angle, "readings", texts)
		angles = append(angles, float32(c.angle))
	}
	if len(angles) > 0 {
		rd.lineAngle = float64(percentile(angles, 0.5))
		rd.layout = layoutOfReading(rd.lineAngle, copies, lineHeight)
	}
	// Specks of content read as letters before an address are dropped
	// (see speckShare). Hyphens and underscores are told apart by where
	// their bar lies in the binarised look (all looks of a crop share its
	// geometry), the separators of a local part by their glyphs there, an
	// 'l' read as 'i' by its stem, the first letter of a local part by its
	// first glyph, and a one beside digits by its flag.
	for _, c := range crops {
		if !slices.ContainsFunc(c.lines, func(l ocr.Line) bool {
			return strings.ContainsAny(l.Text, dashes+sepChars+runeOnes+" @") || len(l.Words) == 1
		}) {
			continue
		}
		ink, faint := inkOf(c.looks[1]), inkBelow(c.looks[0], faintInk)
		for i := range c.lines {
			c.lines[i] = fixOnes(fixLead(fixStems(fixSeparators(fixDashes(withoutSpecks(c.lines[i]), ink), ink), faint), faint), faint)
		}
	}
	for _, c := range crops {
		rd.readings = append(rd.readings, c.lines)
	}
	votes := map[string]*vote{}
	var texts []vote
	var emails []string // every email read, for a per-character vote
	for _, c := range crops {
		best, bestIDs := bestLook(c.lines)
		for _, line := range c.lines {
			for _, id := range ocr.Classify(line.Text, true) {
				if id.Type == "email" {
					emails = append(emails, strings.ToLower(id.Value))
				}
			}
		}
		if best.Text == "" {
			continue
		}
		texts = append(texts, vote{line: best, rect: c.rect})
		if len(bestIDs) == 0 {
			continue
		}
		key := strings.ToLower(bestIDs[0].Value)
		v := votes[key]
		if v == nil {
			v = &vote{key: key, line: best, ids: bestIDs, rect: c.rect}
			votes[key] = v
		}
		// A reading that contains another (a tile cut by the frame edge
		// reads "tel@x.org" for "spatel@x.org") supports it.
		for k, o := range votes {
			if k != key && strings.HasSuffix(key, k) {
				o.count--
				v.count++
			}
		}
		v.count++
		if best.Conf > v.line.Conf {
			v.line, v.ids = best, bestIDs
		}
	}
	var win *vote
	for _, v := range votes {
		if win == nil || v.count > win.count || (v.count == win.count && len(v.key) > len(win.key)) ||
			(v.count == win.count && len(v.key) == len(win.key) && v.line.Conf > win.line.Conf) {
			win = v
		}
	}
	// A lone handle without digits or dots ("jurtal") is as likely a misread
	// as a local part: believe it only when two readings agree, tiles or
	// looks of one crop read letter for letter alike.
	if win != nil && win.ids[0].Type == "local_part" && win.count < 2 && !handleBelieved(win.key, crops) {
		win = nil
	}
	// The letter-by-letter vote over every reading of every line: tiles
	// and looks misread different letters, and partial tiles still vote
	// on the letters they have.
	var all []ocr.Line
	for k, c := range crops {
		for _, l := range c.lines {
			l.Src = k
			all = append(all, l)
		}
	}
	// Another matte's readings of the mark settle the letters this one's
	// disagree on (see otherMatteWeight); the choices below that count
	// readings count this matte's own.
	voters := all
	if len(other) > 0 {
		voters = slices.Clone(all)
		for k, lines := range other {
			for _, l := range lines {
				l.Src = len(crops) + k
				l.Conf *= otherMatteWeight
				voters = append(voters, l)
			}
		}
	}
	cons, consN := ocr.Consensus(voters)
	stamp := bigStamp(crops)
	repeated, repeatedN := repeatedHandle(crops)
	lone := loneHandle(crops)
	consIDs := ocr.Classify(cons, true)
	winKey, rival := "", ""
	if win != nil {
		winKey = win.key
		if win.ids[0].Type == identity.TypeEmail {
			rival = win.key
		}
	}
	if !slices.ContainsFunc(consIDs, func(id report.Identity) bool { return id.Type == identity.TypeEmail }) {
		if fixed, ids, ok := completedAddress(cons, all, rival); ok {
			cons, consIDs = fixed, ids
		}
	}
	slog.Debug("video reading", "consensus", cons, "voters", consN, "ids", consIDs, "best", winKey, "repeated", repeated, "lone", lone, "stamp", stamp)
	switch {
	case consN >= 2 && len(consIDs) > 0 && (consIDs[0].Type == "email" ||
		// A lone handle without digits or dots ("jurtal") is as likely a
		// misread as a local part: it needs more than one line's looks,
		// or two looks that read it letter for letter.
		consIDs[0].Type == "local_part" && (consN > len(crops[0].lines) || handleBelieved(strings.ToLower(consIDs[0].Value), crops))):
		rd.text, rd.ids = cons, consIDs
		if repeatsIdentity(cons, strings.ToLower(consIDs[0].Value)) {
			// A line across several tiles repeats the identity, whole or
			// cut by the frame edge: say each identity once.
			var vals []string
			for _, id := range consIDs {
				if !slices.Contains(vals, id.Value) {
					vals = append(vals, id.Value)
				}
			}
			rd.text = strings.Join(vals, " ")
		}
		// Identities in lines that are not readings of this one (a
		// meeting code on a line of its own) belong to the same overlay.
		for _, v := range votes {
			if len(res.overlays) <= 3 && !slices.ContainsFunc(consIDs, func(id report.Identity) bool {
				k := strings.ToLower(id.Value)
				return 3*ocr.SubstringDistance(v.key, k) <= len(v.key)
			}) {
				rd.addOther(v.ids)
			}
		}
	case repeated != "" && (win == nil || win.ids[0].Type == identity.TypeLocalPart && repeatedN > win.count):
		// A short handle of a tiled mark, read whole in several tiles,
		// or in more readings than a best look that is a handle too
		// ("schen" six times beside "Sche7" twice).
		rd.text, rd.ids = repeated, []report.Identity{{Type: identity.TypeLocalPart, Value: repeated}}
	case win != nil:
		rd.text, rd.ids = win.line.Text, win.ids
		if c, n := bestEmail(emails); n >= 2 && c != win.key && len(rd.ids) > 0 && rd.ids[0].Type == "email" {
			// Repeated tiles and passes misread different letters: the
			// reading most of them agree on is more often right than the
			// most confident one.
			rd.ids = append([]report.Identity{{Type: "email", Value: c}}, rd.ids[1:]...)
			rd.text = c
		}
		// Other identities read elsewhere in the mark (a meeting code in
		// one word, the email in the next) belong to the same overlay.
		for _, v := range votes {
			if v != win && v.count >= 1 && len(res.overlays) <= 3 {
				rd.addOther(v.ids)
			}
		}
	case lone != "":
		// One handle among content remnants, read alike in most looks.
		rd.text, rd.ids = lone, []report.Identity{{Type: identity.TypeLocalPart, Value: lone}}
	case stamp != "":
		// A line of big letters that reads as a stamp is the overlay's
		// text; other lines' readings are content remnants around it.
		rd.text = stamp
	case len(texts) > 0:
		// Unreadable as an identity: keep the readings in reading order.
		sort.Slice(texts, func(i, j int) bool {
			a, b := texts[i].rect, texts[j].rect
			if a.Min.Y/16 != b.Min.Y/16 {
				return a.Min.Y < b.Min.Y
			}
			return a.Min.X < b.Min.X
		})
		// Readings that are mostly punctuation are content remnants read
		// as marks; they would hide what the letters say (a stamp's
		// capitals).
		var parts []string
		for _, t := range texts {
			if legible(t.line.Text) {
				parts = append(parts, t.line.Text)
			}
		}
		rd.text = strings.Join(parts, " ")
	}
	// What an address can be: one whose ending is no top-level domain has
	// a misread or cut domain, and the readings that end in a real one say
	// which; its first letters are those most readings have; a local part
	// read as two words ("sofia jensen92@...") where other readings hold it
	// whole ("sofia_jensen92@...") is that one.
	replace := func(old, new string) { rd.text = replaceAddress(rd.text, old, new) }
	// An address read again without its head ("hassan@x.de" beside
	// "ter.hassan@x.de") is the same identity: its fixes would be made
	// inside the whole one's text.
	rd.ids = slices.DeleteFunc(rd.ids, func(id report.Identity) bool {
		return id.Type == identity.TypeEmail && slices.ContainsFunc(rd.ids, func(o report.Identity) bool {
			return o.Type == identity.TypeEmail && isTail(strings.ToLower(o.Value), strings.ToLower(id.Value))
		})
	})
	for i, id := range rd.ids {
		if id.Type != identity.TypeEmail {
			continue
		}
		if fixed, ok := ocr.KnownDomain(id.Value, all); ok {
			replace(id.Value, fixed)
			id.Value = fixed
		}
		if len(other) > 0 {
			// The other matte's readings vote on letters, and may bring
			// their remnants' letters to the head.
			if fixed, ok := ocr.ForeignHead(strings.ToLower(id.Value), all); ok {
				replace(id.Value, fixed)
				id.Value = fixed
			}
		}
		if fixed, ok := ocr.MajorityHead(strings.ToLower(id.Value), all); ok {
			replace(id.Value, fixed)
			id.Value = fixed
		}
		if fixed, ok := ocr.CutHead(id.Value, all); ok {
			replace(id.Value, fixed)
			id.Value = fixed
		}
		if whole, head, ok := wholeLocalPart(rd.text, strings.ToLower(id.Value), emails); ok {
			replace(head+" "+id.Value, whole)
			id.Value = whole
		}
		rd.ids[i] = id
	}
	rd.ids = distinctIDs(rd.ids)
	if len(rd.ids) > 0 {
		rd.text = markText(rd.text, rd.ids)
		// The report says how many of the lines read hold the identity
		// as reported, whichever path above chose it.
		rd.votes = cropsReading(crops, rd.ids[0])
	}
	if rd.read > 0 {
		rd.confidence = float64(rd.votes) / float64(rd.read)
	}
	return rd, nil
}

// cropsReading is the number of crops with a reading that holds the value
// of id whole (letter case aside, once repaired as the vote repairs
// readings).
func cropsReading(crops []*lineCrop, id report.Identity) int {
	n := 0
	for _, c := range crops {
		if slices.ContainsFunc(c.lines, func(l ocr.Line) bool {
			return heldBy(strings.ToLower(ocr.Repair(l.Text)), []report.Identity{id})
		}) {
			n++
		}
	}
	return n
}

// completedAddress is the vote's text with its address completed
// (ocr.CompleteAddress: its domain cut by the frame edge or misread out of
// shape, the readings say which domain it is) and its identities. The
// local part must be one two readings or more hold whole (a faint mark's
// vote can spell a local part none read), and no fewer than hold that of
// rival, the address a crop's looks read whole ("" for none): the vote's
// letters can come from a copy cut at the head ("emma_natel83@acme- corp"
// beside "a_patel83@acme-corp.de", which CutHead mends).
func completedAddress(text string, readings []ocr.Line, rival string) (string, []report.Identity, bool) {
	fixed, ok := ocr.CompleteAddress(text, readings)
	if !ok {
		return text, nil, false
	}
	// The completed address is the text's only one, and Classify puts
	// addresses first.
	ids := ocr.Classify(fixed, true)
	n := localPartReads(ids[0].Value, readings)
	if n < 2 || rival != "" && n < localPartReads(rival, readings) {
		return text, nil, false
	}
	return fixed, ids, true
}

// localPartReads is the number of readings that hold the local part of
// email before an '@' (whatever follows it).
func localPartReads(email string, lines []ocr.Line) int {
	local := strings.ToLower(email[:max(0, strings.LastIndexByte(email, '@'))])
	n := 0
	for _, l := range lines {
		if slices.Contains(ocr.LocalPartsRead(l.Text), local) {
			n++
		}
	}
	return n
}

// replaceAddress is text with each old (any case) that no letter or digit
// comes before replaced by new: "hassan@x.de" is not in "peterhassan@x.de",
// and a separator before it is a remnant's ("--)-lueas_novak50@",
// "i._.2nna.hassan@").
func replaceAddress(text, old, new string) string {
	re := regexp.MustCompile(`(?i)(^|[^a-z0-9])` + regexp.QuoteMeta(old))
	return re.ReplaceAllStringFunc(text, func(m string) string { return m[:len(m)-len(old)] + new })
}

// isTail reports whether b is the end of a, after a separator: an address
// read again without its head.
func isTail(a, b string) bool {
	return len(a) > len(b) && strings.HasSuffix(a, b) && strings.ContainsRune("._-", rune(a[len(a)-len(b)-1]))
}

// addOther adds the identities of another line of the overlay and, to the
// text, those it does not hold yet: a line's own reading repeats the
// address beside the code, with the code's space misread
// ("yqi-egjv-yej_omeyer@x.eu").
func (rd *reading) addOther(ids []report.Identity) {
	for _, id := range ids {
		if !strings.Contains(strings.ToLower(rd.text), strings.ToLower(id.Value)) {
			rd.text += " " + id.Value
		}
	}
	rd.ids = append(rd.ids, ids...)
}

// distinctIDs is ids with each identity once: an address read in two
// lines, once with a doubled hyphen ("acme--corp"), is one address.
func distinctIDs(ids []report.Identity) []report.Identity {
	var out []report.Identity
	for _, id := range ids {
		if id.Type == identity.TypeEmail {
			if es := ocr.Emails(id.Value); len(es) == 1 {
				id.Value = es[0]
			}
		}
		if !slices.ContainsFunc(out, func(o report.Identity) bool {
			return o.Type == id.Type && strings.EqualFold(o.Value, id.Value)
		}) {
			out = append(out, id)
		}
	}
	return out
}

// markText is text without the remnants read around a mark: words with no
// letter or digit ("___" before an address), one or two characters that
// are no group of digits ("es s" before a Meet code), and the punctuation
// at either end of a word ("_.anna.hassan@…"). They mean nothing to the
// person reading the report and hide what the mark says; what is left is
// as read, for a person to check the identities against.
func markText(text string, ids []report.Identity) string {
	tokens := map[string]bool{}
	for _, id := range ids {
		for _, f := range strings.Fields(strings.ToLower(id.Value)) {
			tokens[f] = true
		}
	}
	var kept []string
	for _, w := range strings.Fields(text) {
		// Remnants read into an address's word before a separator
		// ("4--+-" before "olgaj777@…") go, unless they hold an
		// identity themselves (a Meet code joined by an underscore).
		// And an address's tail read apart from its head ("na.
		// ivanova@…" where the identity is "anna.ivanova@…") is the
		// identity.
		for _, id := range ids {
			v, lw := strings.ToLower(id.Value), strings.ToLower(w)
			if id.Type != identity.TypeEmail {
				continue
			}
			if isTail(lw, v) && !heldBy(lw[:len(lw)-len(v)], ids) {
				w = w[len(w)-len(v):]
				break
			}
			if isTail(v, lw) {
				w = id.Value
				break
			}
		}
		t := strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if v, ok := repairedAddress(t, ids); ok {
			// The address as the identity holds it, not as read
			// ("uni--bonn.de", a hyphen read twice).
			t = v
		}
		short := len([]rune(t)) <= 2 && strings.Trim(t, "0123456789") != "" && !tokens[strings.ToLower(t)]
		if t == "" || short {
			continue
		}
		// An address read in two tiles of a line, or mended in one of
		// them (a domain no reading held), is said once.
		if strings.Contains(t, "@") && slices.ContainsFunc(kept, func(k string) bool { return strings.EqualFold(k, t) }) {
			continue
		}
		kept = append(kept, t)
	}
	if len(kept) == 0 {
		return text
	}
	return strings.Join(kept, " ")
}

// repairedAddress returns the identity a word reads as when it holds one
// address alone and that address is one of ids.
func repairedAddress(word string, ids []report.Identity) (string, bool) {
	if !strings.Contains(word, "@") {
		return "", false
	}
	got := ocr.Classify(word, true)
	if len(got) != 1 || got[0].Type != identity.TypeEmail {
		return "", false
	}
	i := slices.IndexFunc(ids, func(id report.Identity) bool { return strings.EqualFold(id.Value, got[0].Value) })
	if i < 0 {
		return "", false
	}
	return ids[i].Value, true
}

// heldBy reports whether s holds the value of one of ids.
func heldBy(s string, ids []report.Identity) bool {
	return slices.ContainsFunc(ids, func(id report.Identity) bool { return strings.Contains(s, strings.ToLower(id.Value)) })
}

// wholeLocalPart returns the email that two readings or more in emails
// hold, that ends in email and whose local part's head (up to a separator)
// is the word text has just before email: a separator read as a space
// split the local part, and the email kept only its tail. head is that
// word.
func wholeLocalPart(text, email string, emails []string) (whole, head string, ok bool) {
	counts := map[string]int{}
	for _, e := range emails {
		counts[e]++
	}
	lower := strings.ToLower(text)
	bestN := 1
	for _, e := range slices.Sorted(maps.Keys(counts)) {
		n := counts[e]
		if n <= bestN || len(e) <= len(email) || !strings.HasSuffix(e, email) {
			continue
		}
		lead := e[:len(e)-len(email)]
		word := strings.TrimRight(lead, "._-")
		if word == lead || word == "" || strings.ContainsAny(word, "._-@") {
			continue // no separator, or more than one word
		}
		if strings.Contains(lower, word+" "+email) {
			whole, head, bestN = e, word, n
		}
	}
	return whole, head, whole != ""
}

// repeatedHandle is the handle-like word that readings of more than one
// crop hold as a word of their own, when they are more than one crop's
// looks and none reads an address: a content word can read alike in every
// look of one crop, not along a row of tiles. A handle every look of one
// crop reads alike is believed too when another crop misreads it alike
// (readAlike, echoed).
func repeatedHandle(crops []*lineCrop) (string, int) {
	var texts []string
	for _, c := range crops {
		for _, l := range c.lines {
			texts = append(texts, l.Text)
		}
	}
	h, n := ocr.RepeatedHandle(texts)
	if h == "" || readsAddress(crops) {
		return "", 0
	}
	for k, c := range crops {
		if readAlike(c, h) && echoed(crops, k, h) {
			return h, n
		}
	}
	if n <= len(crops[0].lines) {
		return "", 0
	}
	in := 0
	for _, c := range crops {
		if readWhole([]*lineCrop{c}, h) > 0 {
			in++
		}
	}
	if in < 2 {
		return "", 0
	}
	return h, n
}

// readAlike reports whether every look of crop, by both models, reads
// handle and nothing else: a misread differs from look to look and from
// model to model, where a clear handle does not (the six looks of one tile
// read `schen` where another tile's read `Sche7` and `scher`).
func readAlike(c *lineCrop, handle string) bool {
	if len(c.lines) < models*3 { // three looks, each by both models
		return false
	}
	for _, l := range c.lines {
		if strings.ToLower(strings.TrimSpace(l.Text)) != handle {
			return false
		}
	}
	return true
}

// echoed reports whether a crop other than crops[skip] misreads handle
// alike: half its readings or more, two at least, hold it but for one
// letter. A content word read alike in every look of one crop has no such
// echo in another copy of the mark.
func echoed(crops []*lineCrop, skip int, handle string) bool {
	for k, c := range crops {
		if k == skip {
			continue
		}
		near := 0
		for _, l := range c.lines {
			if ocr.SubstringDistance(handle, strings.ToLower(l.Text)) <= 1 {
				near++
			}
		}
		if near >= 2 && 2*near >= len(c.lines) {
			return true
		}
	}
	return false
}

// loneHandle is the handle that two readings or more hold as their only
// word among content remnants (ocr.HandleAmongRemnants), when more than
// half of the readings that hold any word do: the looks of a crop misread a
// handle differently, and read a content word beside it as a word.
func loneHandle(crops []*lineCrop) string {
	counts := map[string]int{}
	worded := 0
	for _, c := range crops {
		for _, l := range c.lines {
			if h := ocr.HandleAmongRemnants(l.Text); h != "" {
				counts[h]++
			}
			if slices.ContainsFunc(strings.Fields(l.Text), func(w string) bool { return ocr.Alnum(w) >= 3 }) {
				worded++
			}
		}
	}
	best, n := ocr.MostCommon(counts)
	if n < 2 || 2*n <= worded || readsAddress(crops) {
		return ""
	}
	return best
}

// readsAddress reports whether a reading of the crops has an '@': the mark
// is an address, and a word read whole beside it is a part of it
// ("garcia" of "sofia.garcia@firma.eu"), not a handle of its own.
func readsAddress(crops []*lineCrop) bool {
	return slices.ContainsFunc(crops, func(c *lineCrop) bool {
		return slices.ContainsFunc(c.lines, func(l ocr.Line) bool { return strings.Contains(ocr.Repair(l.Text), "@") })
	})
}

// readWhole counts the readings, over every look of every crop, that hold
// handle as a word of its own: two looks of one crop that read the same
// handle letter for letter are a reading, where a misread differs from
// look to look.
func readWhole(crops []*lineCrop, handle string) int {
	n := 0
	for _, c := range crops {
		for _, l := range c.lines {
			if slices.Contains(ocr.HandleWords(l.Text), handle) {
				n++
			}
		}
	}
	return n
}

// repeatsIdentity reports whether text holds id more than once: whole, or
// once whole and again in part (six characters or more of it, as a tile cut
// by the frame edge shows).
func repeatsIdentity(text, id string) bool {
	i := strings.Index(text, id)
	if i < 0 {
		return false
	}
	rest := text[:i] + " " + text[i+len(id):]
	const part = 6
	for j := 0; j+part <= len(id); j++ {
		if strings.Contains(rest, id[j:j+part]) {
			return true
		}
	}
	return false
}

// bigStamp returns the reading of the first crop of big letters that looks
// like a stamp, if any.
func bigStamp(crops []*lineCrop) string {
	for _, c := range crops {
		if !c.big {
			continue
		}
		if b, ids := bestLook(c.lines); len(ids) == 0 && ocr.LooksLikeStamp(b.Text) {
			return b.Text
		}
	}
	return ""
}

// solidLetter is the letter height, as a share of the frame height, above
// which a crop gets a look with filled strokes. On development videos
// stamps' letters measured 0.10 of the frame and watermarks' at most 0.05.
const solidLetter = 0.07

// solidLook returns the crop (dark text on white) with lines a few pixels
// wide removed and the outlines of bold strokes filled: a median, then an
// opening of the white (which closes the dark strokes), then Otsu.
func solidLook(gray gocv.Mat) gocv.Mat {
	med := gocv.NewMat()
	defer med.Close()
	gocv.MedianBlur(gray, &med, 5)
	kern := gocv.GetStructuringElement(gocv.MorphEllipse, image.Pt(7, 7))
	defer kern.Close()
	closed := gocv.NewMat()
	defer closed.Close()
	gocv.MorphologyEx(med, &closed, gocv.MorphOpen, kern)
	out := gocv.NewMat()
	gocv.Threshold(closed, &out, 0, 255, gocv.ThresholdBinary|gocv.ThresholdOtsu)
	return out
}

// bestLook picks the reading of one crop among its looks: the one with
// the most identities, then one with a stamp's word (three looks at a
// tilted stamp read the word once, with less confidence than the looks that
// read noise), then the most confident. Tesseract reports confidence 0 for
// some readings: they still count.
func bestLook(lines []ocr.Line) (ocr.Line, []report.Identity) {
	var best ocr.Line
	var bestIDs []report.Identity
	bestStamp := false
	for _, line := range lines {
		if line.Text == "" {
			continue
		}
		ids := ocr.Classify(line.Text, true)
		stamp := len(ids) == 0 && ocr.IsStamp(line.Text)
		if best.Text == "" || len(ids) > len(bestIDs) ||
			(len(ids) == len(bestIDs) && (stamp && !bestStamp || stamp == bestStamp && line.Conf > best.Conf)) {
			best, bestIDs, bestStamp = line, ids, stamp
		}
	}
	return best, bestIDs
}

// textLines joins blobs that are words of one line (same row, small gaps)
// and orders the lines for reading: whole lines away from the frame edges
// first (a tile cut by the edge reads as a partial address), then by
// evidence.
func textLines(obs []overlayBlob, w, h int) []blob {
	parent := make([]int, len(obs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	for i := range obs {
		for j := i + 1; j < len(obs); j++ {
			a, b := obs[i].rect, obs[j].rect
			// A roundish blob's angle is noise (a word, or a letter
			// pair, of a line whose longer words set its direction).
			if math.Abs(obs[i].angle-obs[j].angle) > 10 && obs[i].elong >= 3 && obs[j].elong >= 3 {
				continue
			}
			ov := min(a.Max.Y, b.Max.Y) - max(a.Min.Y, b.Min.Y)
			hgt := min(a.Dy(), b.Dy())
			gap := max(a.Min.X, b.Min.X) - min(a.Max.X, b.Max.X)
			if ov*2 >= hgt && gap < hgt*3/2 {
				parent[find(i)] = find(j)
			}
		}
	}
	groups := map[int]*blob{}
	var order []int
	for i, o := range obs {
		r := find(i)
		g := groups[r]
		if g == nil {
			b := o.blob
			b.mask = slices.Clone(o.mask)
			groups[r] = &b
			order = append(order, r)
			continue
		}
		g.rect = g.rect.Union(o.rect)
		g.mask = append(g.mask, o.mask...)
		if o.elong > g.elong {
			g.angle, g.elong = o.angle, o.elong
		}
		g.score += o.score
		g.pixels += o.pixels
	}
	out := make([]blob, 0, len(order))
	for _, r := range order {
		out = append(out, *groups[r])
	}
	edge := func(b blob) bool {
		m := max(2, b.rect.Dy()/4)
		return b.rect.Min.X <= m || b.rect.Min.Y <= m || b.rect.Max.X >= w-m || b.rect.Max.Y >= h-m
	}
	sort.SliceStable(out, func(i, j int) bool {
		ei, ej := edge(out[i]), edge(out[j])
		if ei != ej {
			return !ei
		}
		return out[i].score > out[j].score
	})
	return out
}

// sameLengthVote votes letter by letter among readings of the most common length
// (ties: the longer). It returns the result and how many readings voted.
func sameLengthVote(rs []string) (string, int) {
	byLen := map[int][]string{}
	for _, r := range rs {
		byLen[len(r)] = append(byLen[len(r)], r)
	}
	bestLen := -1
	for l, g := range byLen {
		if bestLen < 0 || len(g) > len(byLen[bestLen]) || (len(g) == len(byLen[bestLen]) && l > bestLen) {
			bestLen = l
		}
	}
	if bestLen <= 0 {
		return "", 0
	}
	g := byLen[bestLen]
	out := make([]byte, bestLen)
	for i := range out {
		counts := map[byte]int{}
		for _, r := range g {
			counts[r[i]]++
		}
		var best byte
		for c, n := range counts {
			if n > counts[best] || (n == counts[best] && c < best) {
				best = c
			}
		}
		out[i] = best
	}
	return string(out), len(g)
}

// bestEmail picks the email most readings agree on: the most frequent exact
// reading when two or more agree, else the per-letter consensus of three or
// more readings of one length.
func bestEmail(rs []string) (string, int) {
	counts := map[string]int{}
	best := ""
	for _, r := range rs {
		counts[r]++
		if c := counts[r]; c > counts[best] || (c == counts[best] && len(r) > len(best)) {
			best = r
		}
	}
	if counts[best] >= 2 {
		return best, counts[best]
	}
	if c, n := sameLengthVote(rs); n >= 3 {
		return c, n
	}
	return "", 0
}

// lineAngle is the median angle of the clearly elongated blobs (text lines),
// if there are any.
func lineAngle(obs []overlayBlob) (float64, bool) {
	var a []float32
	for _, o := range obs {
		if o.elong >= 3 {
			a = append(a, float32(o.angle))
		}
	}
	if len(a) == 0 {
		return 0, false
	}
	return float64(percentile(a, 0.5)), true
}

// markAngleOf is the angle of the lines of the mark whose blobs are obs,
// from the projection profile of ruleFree (the matte without content
// rules: a spreadsheet's grid would hold it level) over all of them and
// half their extent around, minInset pixels at least.
func markAngleOf(ruleFree []float32, w, h int, obs []overlayBlob, minInset int) float64 {
	var span image.Rectangle
	for _, o := range obs {
		span = span.Union(o.rect)
	}
	span = span.Inset(-max(max(span.Dx(), span.Dy())/2, minInset))
	return skewAngle(ruleFree, w, h, span)
}

// copyLines is line moved by each of offs, where at least half of its
// pixels stay inside the w x h frame.
func copyLines(line blob, offs []image.Point, w, h int) []blob {
	var out []blob
	for _, d := range offs {
		c := line
		c.mask, c.rect = nil, image.Rectangle{}
		for _, p := range line.mask {
			if q := p.Add(d); q.X >= 0 && q.X < w && q.Y >= 0 && q.Y < h {
				c.mask = append(c.mask, q)
				c.rect = c.rect.Union(image.Rect(q.X, q.Y, q.X+1, q.Y+1))
			}
		}
		if 2*len(c.mask) >= len(line.mask) && len(c.mask) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// minParallelElong is the elongation of a blob of steady letters that
// makes it a line of its own, parallel to the mark's: a copy.
const minParallelElong = 5

// parallelLines are the blobs among letters that are lines at the mark's
// angle (within 5 degrees) other than line: apart from it across the line
// by more than twice its letters' height.
func parallelLines(line blob, letters []overlayBlob, angle float64) []blob {
	rad := angle * math.Pi / 180
	ux, uy := math.Cos(rad), -math.Sin(rad)
	lx, ly := centre(line.rect)
	// The letters' height: the line's evidence over its length along the
	// angle, with strokes filling about 40 % of the band they lie in.
	length := math.Abs(float64(line.rect.Dx())*ux) + math.Abs(float64(line.rect.Dy())*uy)
	height := float64(len(line.mask)) / math.Max(1, length) / 0.4
	var out []blob
	for _, o := range letters {
		if o.elong < minParallelElong || math.Abs(o.angle-angle) > 5 {
			continue
		}
		ox, oy := centre(o.rect)
		if math.Abs((ox-lx)*uy-(oy-ly)*ux) > 2*math.Max(height, 4) {
			b := o.blob
			b.angle = angle
			out = append(out, b)
		}
	}
	return out
}

// withAngle is obs with the angle of blobs more than 10 degrees off the
// mark's set to it.
func withAngle(obs []overlayBlob, angle float64) []overlayBlob {
	out := slices.Clone(obs)
	for i := range out {
		if math.Abs(out[i].angle-angle) > 10 {
			out[i].angle = angle
		}
	}
	return out
}

// overlapShare is the share of the smaller rectangle that the two share.
func overlapShare(a, b image.Rectangle) float64 {
	in := a.Intersect(b)
	if in.Empty() {
		return 0
	}
	return float64(in.Dx()*in.Dy()) / float64(min(a.Dx()*a.Dy(), b.Dx()*b.Dy()))
}

// legible reports a reading with enough letters to say something: three or
// more, and at least half of what is not space.
func legible(s string) bool {
	letters, chars := ocr.Letters(s), 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			chars++
		}
	}
	return letters >= 3 && 2*letters >= chars
}

// addressStart returns the column of a crop left of which its readings
// hold no part of the email (or lone handle) they read and no other
// identity: the left edge of the first word that can be dropped from a
// reading without changing its email, less half the gap to the word
// before. ok is false when no reading has words to drop before its email
// or handle. Of several readings, the leftmost such column is taken (the
// least cut).
func addressStart(lines []ocr.Line) (x int, ok bool) {
	for _, l := range lines {
		if len(l.Words) < 2 {
			continue
		}
		es := ocr.Emails(l.Text)
		start := 0
		if len(es) == 0 {
			// A lone handle last, after remnants only ("| *__! sgofia_tanaka32"):
			// the remnants make Tesseract add letters to its head.
			if !lastHandle(wordsText(l.Words)) {
				continue
			}
			start = len(l.Words) - 1
		}
		for k := 1; k < len(l.Words) && len(es) > 0; k++ {
			if !slices.Contains(ocr.Emails(wordsText(l.Words[k:])), es[0]) {
				break
			}
			// Only remnants are dropped: a word of three letters or more
			// may be the head of the local part read with a gap
			// ("keiko r752@…"), and a meeting code or phone number
			// before the address is part of the mark.
			if ocr.Alnum(l.Words[k-1].Text) >= 3 || len(ocr.Classify(wordsText(l.Words[:k]), true)) > 0 {
				break
			}
			start = k
		}
		if start == 0 {
			continue
		}
		prev, cur := l.Words[start-1].Box, l.Words[start].Box
		at := cur.Min.X - 1
		if prev.Max.X < cur.Min.X {
			at = (prev.Max.X + cur.Min.X) / 2
		}
		if !ok || at < x {
			x, ok = at, true
		}
	}
	return x, ok && x > 0
}

// isHandle reports whether a word reads as a local part on its own, with
// a digit or separator that no ordinary word has.
func isHandle(word string) bool {
	ids := ocr.Classify(word, true)
	return len(ids) > 0 && ids[0].Type == identity.TypeLocalPart && strings.ContainsAny(ids[0].Value, handleMarks)
}

// handleMarks are the characters of a local part that no ordinary word
// has: digits and separators.
const handleMarks = "0123456789._"

// handleBelieved reports whether a handle read on its own (lower case)
// can be believed: one with digits or separators, or one that two
// readings, tiles or looks of one crop, read letter for letter alike. A
// lone handle without them ("jurtal") is as likely a misread.
func handleBelieved(handle string, crops []*lineCrop) bool {
	return strings.ContainsAny(handle, handleMarks) || readWhole(crops, handle) >= 2
}

// lastHandle reports whether a reading ends in a handle (isHandle) after
// remnants only.
func lastHandle(text string) bool {
	f := strings.Fields(text)
	return len(f) > 0 && isHandle(f[len(f)-1]) && !slices.ContainsFunc(f[:len(f)-1], func(w string) bool { return ocr.Alnum(w) >= 3 })
}

// wordsText joins words as a reading has them.
func wordsText(ws []ocr.Word) string {
	texts := make([]string, len(ws))
	for i, w := range ws {
		texts[i] = w.Text
	}
	return strings.Join(texts, " ")
}

// blankLeft returns a copy of an 8-bit look with its columns left of x
// set to white.
func blankLeft(m gocv.Mat, x int) gocv.Mat {
	out := m.Clone()
	if x = min(x, out.Cols()); x > 0 {
		r := out.Region(image.Rect(0, 0, x, out.Rows()))
		r.SetTo(gocv.NewScalar(255, 255, 255, 0))
		r.Close()
	}
	return out
}
