package video

// gateRules shuts the content gate on the long thin straight lines of a
// frame (a spreadsheet's grid, table borders, underlines): they are too
// faint for the gate, and where one lies at the same place in several
// frames it adds up to a stroke across the rebuilt letters (a rule at
// mid-height turns an 'o' into an 'e'). In one frame a rule is whole, and a
// mark's letters are never a thin run that long. H and C are the frame's
// high-pass and gate (w*h); shut pixels get C and H above gate.
func gateRules(H, C []float32, w, h int, gate float32) {
	if w < 16 || h < 16 {
		return
	}
	d := max(2, (3*w+640)/1280) // a rule's blur is thinner than this
	// A sixteenth of the frame: longer than a letter's stroke, shorter
	// than a table's rule.
	minRun := max(16, w/16)
	// ink is 1 where H is above ruleInk, 2 where below -ruleInk.
	ink := make([]byte, len(H))
	for i, v := range H {
		if v > ruleInk {
			ink[i] = 1
		} else if v < -ruleInk {
			ink[i] = 2
		}
	}
	// thinAt reports whether the pixel i stands out by half, in its own
	// sign, from the pixels d away across the line (step: their index
	// offset).
	thinAt := func(i, step int) bool {
		v := H[i]
		a, b := H[i-step], H[i+step]
		if v < 0 {
			return -a < -v/2 && -b < -v/2
		}
		return a < v/2 && b < v/2
	}
	// Pixel k along line l of the rows, and of the columns.
	rowAt := func(l, k int) int { return l*w + k }
	colAt := func(l, k int) int { return k*w + l }
	// thinRun reports whether most pixels of a run, [from, to) along line
	// l, are thin (step: the index offset across the line).
	thinRun := func(at func(l, k int) int, l, from, to, step int) bool {
		thin := 0
		for k := from; k < to; k++ {
			if thinAt(at(l, k), step) {
				thin++
			}
		}
		return 2*thin >= to-from
	}
	type run struct{ line, from, to int } // [from, to) along the line
	var rows, cols []run
	// Rows: runs of one sign at least minRun long, then their thin share.
	for y := d; y < h-d; y++ {
		line := ink[y*w : (y+1)*w]
		for x := 0; x < w; {
			s := line[x]
			if s == 0 {
				x++
				continue
			}
			end := x + 1
			for end < w && line[end] == s {
				end++
			}
			if end-x >= minRun && thinRun(rowAt, y, x, end, d*w) {
				rows = append(rows, run{y, x, end})
			}
			x = end
		}
	}
	// Columns: run lengths kept per column, row by row (cache-friendly).
	runStart := make([]int32, w)
	runSign := make([]byte, w)
	flushCol := func(x, end int) {
		from := int(runStart[x])
		if end-from >= minRun && x >= d && x+d < w && thinRun(colAt, x, from, end, d) {
			cols = append(cols, run{x, from, end})
		}
	}
	for y := 0; y < h; y++ {
		line := ink[y*w : (y+1)*w]
		for x, s := range line {
			if s == runSign[x] {
				continue
			}
			if runSign[x] != 0 {
				flushCol(x, y)
			}
			runSign[x], runStart[x] = s, int32(y)
		}
	}
	for x, s := range runSign {
		if s != 0 {
			flushCol(x, h)
		}
	}
	// Each run is shut a pixel beyond its ends and with the lines either
	// side (n pixels along, lines of them).
	shut := func(runs []run, at func(l, k int) int, n, lines int) {
		for _, r := range runs {
			for k := max(0, r.from-1); k < min(n, r.to+1); k++ {
				for l := max(0, r.line-1); l <= min(lines-1, r.line+1); l++ {
					i := at(l, k)
					C[i] = gate + 1
					H[i] = gate + 1
				}
			}
		}
	}
	shut(rows, rowAt, w, h)
	shut(cols, colAt, h, w)
}

// ruleInk is the |H| (gray levels) a rule's pixels have at least: above the
// codec's noise.
const ruleInk = 6
