package ocr

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Consensus merges several OCR readings of the same text (repeated tiles
// of a mark, several looks at one crop) into one. Each reading misreads
// different letters, and tiles cut by the frame edge give only part of the
// text, so readings are aligned to a backbone (the reading the others fit
// best, partial readings fitting anywhere inside it) and each letter is
// chosen by a vote weighted by Tesseract's confidence. It returns the
// merged text (repaired as by Repair) and how many readings voted; the
// empty string when no reading has text.
func Consensus(lines []Line) (string, int) {
	type reading struct {
		s   string
		w   float64
		src int
	}
	var rs []reading
	for _, l := range lines {
		// Punctuation at either end is a cut letter or a content remnant,
		// never part of a mark, and must not outvote letters there.
		s := strings.TrimFunc(Repair(l.Text), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})
		if Letters(s) < 3 {
			continue
		}
		rs = append(rs, reading{s, max(l.Conf, 1) / 100, l.Src})
	}
	if len(rs) == 0 {
		return "", 0
	}
	// fits reports whether r is close enough to a part of c to vote on it.
	fits := func(r, c string) (int, bool) {
		d := SubstringDistance(r, c)
		return d, 3*d <= len(r)
	}
	best, bestScore := -1, -1.0
	for i, c := range rs {
		var score float64
		for _, r := range rs {
			if d, ok := fits(r.s, c.s); ok {
				score += r.w * (1 - float64(d)/float64(len(r.s)))
			}
		}
		if score > bestScore || (score == bestScore && len(c.s) > len(rs[best].s)) {
			best, bestScore = i, score
		}
	}
	backbone := []rune(rs[best].s)
	votes := make([]map[string]float64, len(backbone))
	counts := make([]map[string]int, len(backbone))
	for i := range votes {
		votes[i] = map[string]float64{}
		counts[i] = map[string]int{}
	}
	// The backbone can be a reading of a tile cut by the frame edge: the
	// letters other readings have beyond either of its ends are kept when
	// readings of two different images agree on them.
	heads, tails := map[string]map[int]bool{}, map[string]map[int]bool{}
	headReads := map[string]int{} // readings with each head
	// Readings that start where the backbone does, and the images they
	// came from; and the same for readings that start one letter later.
	bare, second := 0, 0
	bareSrcs, secondSrcs := map[int]bool{}, map[int]bool{}
	extend := func(m map[string]map[int]bool, s string, src int) {
		if m[s] == nil {
			m[s] = map[int]bool{}
		}
		m[s][src] = true
	}
	n := 0
	last := len(backbone) - 1
	var unfit []string // readings that do not fit the backbone as a whole
	for _, r := range rs {
		if _, ok := fits(r.s, rs[best].s); !ok {
			unfit = append(unfit, r.s)
			continue
		}
		n++
		al, head := alignTo([]rune(r.s), backbone)
		// A reading that stops inside a word of the backbone, two
		// letters or more short of its end, is a copy the frame edge
		// cut, and its letter at the cut is a piece of one ("contosc"
		// for "contoso.com"): it does not vote there. (One letter short
		// is as often a letter the backbone has too many, and a reading
		// that stops before a space, a dash or a dot may be whole.)
		from, to := slices.IndexFunc(al, func(v alignVote) bool { return v.covered }), -1
		for p, v := range al {
			if v.covered {
				to = p
			}
		}
		for p, v := range al {
			if !v.covered || p == from && p > 1 && inWord(backbone[p-1]) || p == to && p < last-1 && inWord(backbone[p+1]) {
				continue
			}
			text := v.text
			if p == last && text != "" {
				// Votes on the last letter itself; what follows it is a
				// tail, judged apart.
				rr := []rune(text)
				text = string(rr[0])
				if len(rr) > 1 {
					extend(tails, string(rr[1:]), r.src)
				}
			}
			votes[p][text] += r.w
			counts[p][text]++
		}
		if head != "" && al[0].covered {
			extend(heads, head, r.src)
			headReads[head]++
		} else if al[0].covered && al[0].text != "" {
			bare++
			bareSrcs[r.src] = true
		} else if len(al) > 1 && !al[0].covered && al[1].covered && al[1].text != "" {
			second++
			secondSrcs[r.src] = true
		}
	}
	agreed := func(m map[string]map[int]bool) string {
		best := ""
		for s, srcs := range m {
			if len(srcs) >= 2 && (len(srcs) > len(m[best]) || len(srcs) == len(m[best]) && s < best) {
				best = s
			}
		}
		return best
	}
	head, tail := agreed(heads), agreed(tails)
	if len([]rune(head)) == 1 && headReads[head] <= bare && mixed(heads[head], bareSrcs) {
		// One letter more at the head that some looks of one image have
		// and others do not ("llucas" and "lucas", "gsofia" and "sofia")
		// is a letter read twice or a stroke of the content beside it: a
		// letter the frame edge cut off the backbone's copy is in every
		// look of a whole copy. Then it needs most readings there.
		head = ""
	}
	if head == "" {
		// The head of an address whose other copies the frame edge cut
		// off ("raj" of "rajt614@…" where the backbone reads
		// "t614@…") may be in one image only: then its looks must agree
		// on it, and it must be two or more letters an address can start
		// with (a single one is as often a stroke of the content beside
		// the first letter: "tlschmidt").
		head = agreedLooks(headReads)
		if head == "" {
			// Only then the heads of readings that fit the backbone's
			// beginning alone (a whole copy read with remnants after
			// it, where the backbone is a cut copy): they fit less well.
			looseHeads := map[string]int{}
			for _, s := range unfit {
				if h := headBefore([]rune(s), backbone); h != "" {
					looseHeads[h]++
				}
			}
			head = agreedLooks(looseHeads)
		}
	}
	wins := make([]string, len(backbone))
	for p, vs := range votes {
		own := string(backbone[p])
		win, ww := own, markWeight(own, vs[own])
		for t, w := range vs {
			w = markWeight(t, w)
			if w > ww || (w == ww && t < win && win != own) {
				win, ww = t, w
			}
		}
		wins[p] = win
	}
	placeAt(wins, votes)
	// Letters at either end that a single reading has (a cut neighbour,
	// a stroke of content) are dropped when other readings are there to
	// confirm.
	lo, hi := 0, len(wins)
	if n >= 2 {
		for lo < hi && counts[lo][wins[lo]] < 2 {
			lo++
		}
		for hi > lo && counts[hi-1][wins[hi-1]] < 2 {
			hi--
		}
	}
	if lo == 0 && head == "" && bare <= second && mixed(bareSrcs, secondSrcs) {
		// The same for the backbone's own first letter.
		lo = 1
	}
	out := strings.Join(wins[lo:hi], "")
	if lo == 0 {
		out = head + out
	}
	if hi == len(wins) {
		out += tail
	}
	return out, n
}

// placeAt puts the '@' of an address where the readings voted for one
// but no position elected it: the primary model reads a monospaced '@' as
// 'G' (made '6' beside digits), or as 'G' and '@' both, in most looks, the
// second model as '@', and the letter vote left the address without one.
// The votes that hold an '@' need atShare of the votes at its place, and
// the text must then hold an address. A vote for the '@' alone is taken
// over one that adds a letter to it (that letter is the '@' read twice).
func placeAt(wins []string, votes []map[string]float64) {
	if slices.ContainsFunc(wins, func(w string) bool { return strings.Contains(w, "@") }) {
		return
	}
	at, atW, atText := -1, 0.0, ""
	for p, vs := range votes {
		var total, withAt, best float64
		text := ""
		for t, w := range vs {
			total += w
			if strings.Contains(t, "@") {
				withAt += w
				if t == "@" || text != "@" && (w > best || w == best && t < text) {
					text, best = t, w
				}
			}
		}
		if withAt >= atShare*total && withAt > atW {
			at, atW, atText = p, withAt, text
		}
	}
	if at < 0 {
		return
	}
	was := wins[at]
	wins[at] = atText
	if len(Emails(strings.Join(wins, ""))) == 0 {
		wins[at] = was
	}
}

// atShare is the share of the votes at a place that puts an '@' there
// when no place elected one.
const atShare = 0.2

// markWeight is the weight of a vote for text: halved when it holds a
// character no identity mark is written with (`*`, `~`, quotes: content
// remnants or a damaged letter), so that a letter read by fewer or less
// confident readings can win over it.
func markWeight(text string, w float64) float64 {
	if strings.ContainsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-@+ ", r))
	}) {
		return w / 2
	}
	return w
}

// agreedLooks returns the head the most readings have, when two or more
// have it and it is two letters or more an address can start with.
func agreedLooks(reads map[string]int) string {
	head := ""
	for h, k := range reads {
		if k >= 2 && len(h) >= 2 && handleHead.MatchString(h) && (k > reads[head] || k == reads[head] && h < head) {
			head = h
		}
	}
	return head
}

// handleHead is a head that can start a local part.
var handleHead = regexp.MustCompile(`^[a-z0-9][a-z0-9._]*$`)

// headBefore returns the word r has before a part of it that matches
// the beginning of c, or "" when no part of r does: the head of a whole
// copy whose reading runs on into remnants ("lucas_patel36@ ii abun" for
// the backbone "as_patel38@firma.eu"). The part must cover headMatch
// letters of c or more, with an error in three letters at most, and is
// placed where it matches best (most letters, fewest errors).
func headBefore(r, c []rune) string {
	bestK, bestScore := 0, prefixMatch(r, c)
	for k := 1; k < len(r); k++ {
		if score := prefixMatch(r[k:], c); score > bestScore {
			bestK, bestScore = k, score
		}
	}
	head := string(r[:bestK])
	if i := strings.LastIndexByte(head, ' '); i >= 0 {
		head = head[i+1:]
	}
	return head
}

// headMatch is the fewest letters of the backbone the part of a reading
// after its head must cover.
const headMatch = 6

// prefixMatch scores how well a beginning of r matches a beginning of c:
// the letters of c covered less three per error, for the best cover of
// headMatch letters or more, by as many of r, with at most one error in
// three; 0 when there is none.
func prefixMatch(r, c []rune) int {
	prev := make([]int, len(c)+1)
	cur := make([]int, len(c)+1)
	for j := range prev {
		prev[j] = j
	}
	best := 0
	for i := 1; i <= len(r); i++ {
		cur[0] = i
		editRow(prev, cur, r[i-1], c)
		for j := headMatch; j <= len(c) && i >= headMatch; j++ {
			if 3*cur[j] <= j {
				best = max(best, j-3*cur[j])
			}
		}
		prev, cur = cur, prev
	}
	return best
}

// alignVote is what one reading says about one letter of the backbone: the
// letter it has there, followed by any letters it has in addition before
// the next one ("" when it lacks the letter).
type alignVote struct {
	text    string
	covered bool
}

// alignTo aligns r to the part of c it matches best (edit distance, free
// ends in c) and returns its vote for each letter of c, and the letters r
// has before the first letter of c.
func alignTo(r, c []rune) ([]alignVote, string) {
	nr, nc := len(r), len(c)
	d := make([][]int, nr+1)
	for i := range d {
		d[i] = make([]int, nc+1)
		d[i][0] = i
	}
	for i := 1; i <= nr; i++ {
		for j := 1; j <= nc; j++ {
			sub := d[i-1][j-1]
			if r[i-1] != c[j-1] {
				sub++
			}
			d[i][j] = min(sub, d[i-1][j]+1, d[i][j-1]+1)
		}
	}
	end := 0
	for j := 1; j <= nc; j++ {
		if d[nr][j] < d[nr][end] {
			end = j
		}
	}
	// Walk back, recording operations; then replay them forwards.
	type op struct {
		kind byte // 'm' match/substitute, 'i' extra letter in r, 'd' letter of c missing
		pos  int  // position in c (m, d)
		ch   rune // letter of r (m, i)
	}
	var ops []op
	i, j := nr, end
	for i > 0 {
		cost := 1
		if j > 0 && r[i-1] == c[j-1] {
			cost = 0
		}
		switch {
		case j > 0 && d[i][j] == d[i-1][j-1]+cost:
			ops = append(ops, op{'m', j - 1, r[i-1]})
			i, j = i-1, j-1
		case d[i][j] == d[i-1][j]+1:
			ops = append(ops, op{'i', 0, r[i-1]})
			i--
		default:
			ops = append(ops, op{'d', j - 1, 0})
			j--
		}
	}
	out := make([]alignVote, nc)
	last := -1
	var head []rune
	for k := len(ops) - 1; k >= 0; k-- {
		switch o := ops[k]; o.kind {
		case 'm':
			out[o.pos] = alignVote{text: string(o.ch), covered: true}
			last = o.pos
		case 'd':
			out[o.pos] = alignVote{covered: true}
			last = o.pos
		case 'i':
			if last >= 0 {
				out[last].text += string(o.ch)
			} else {
				head = append(head, o.ch)
			}
		}
	}
	return out, string(head)
}

// mixed reports whether an image is in both sets.
func mixed(a, b map[int]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

// inWord reports whether r continues a word past a cut: a letter or a
// digit (a reading that stops before a dash or a dot may be whole).
func inWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
