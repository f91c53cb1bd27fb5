package ocr

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"tracescan/identity"
	"tracescan/report"
)

// OCR of faint overlays misreads the '@' (as ©, ®, 'a' or '&' next to
// spaces) and puts spaces around it and around dots. These patterns accept
// such readings; identity.Find then judges the repaired text.
var (
	atLike      = regexp.MustCompile(`\s*[@©®]\s*|\s+&\s+|\s*\(at\)\s*`)
	dotSpaces   = regexp.MustCompile(`\s*\.\s*`)
	tolerantRe  = regexp.MustCompile(`([a-z0-9][a-z0-9._%+\-]{0,63})@([a-z0-9][a-z0-9\-]*(?:[.,][a-z0-9\-]+)*[.,][a-z]{2,})`)
	commaInWord = regexp.MustCompile(`([a-z0-9]),([a-z0-9])`)
	// underscoreTwice is an underscore beside a comma or a low double
	// quote, or a low quote alone after a space, between letters.
	underscoreTwice = regexp.MustCompile(`([a-z0-9])(?:_,|,_|_„|„_| ?„)([a-z0-9])`)
	colonInLocal    = regexp.MustCompile(`([a-z0-9]):([a-z0-9][a-z0-9._-]*@)`)
	localPartRe     = regexp.MustCompile(`^[a-z][a-z0-9._\-]{2,40}[a-z0-9]$`)
	stampWords      = []string{"confidential", "internal", "draft", "restricted", "secret", "private",
		"do not distribute", "sample", "copy", "proprietary", "classified"}
)

// Repair fixes the spacing and '@' misreads of one OCR line so that an
// email regex can find the address.
func Repair(s string) string {
	// A slash has no place in an address: in a monospaced mark it is a
	// '7' ("patel5/@" for "patel57@").
	s = slashInLocal.ReplaceAllStringFunc(strings.TrimSpace(s), func(m string) string { return strings.ReplaceAll(m, "/", "7") })
	// A faint '2' reads as '?' (the same top curve): next to a digit in
	// a word it is one ("annah?70@" for "annah270@").
	s = questionDigit.ReplaceAllStringFunc(s, func(m string) string { return strings.ReplaceAll(m, "?", "2") })
	s = dollarDigit.ReplaceAllStringFunc(s, func(m string) string { return strings.ReplaceAll(m, "$", "5") })
	// A faint '8' reads as '&' ("tanaka&6@" for "tanaka86@").
	s = ampDigit.ReplaceAllStringFunc(s, func(m string) string { return strings.ReplaceAll(m, "&", "8") })
	s = strings.ToLower(digitCapitals(s))
	s = strings.NewReplacer("—", "-", "–", "-", "|", "l", "“", "", "”", "", "‘", "", "’", "").Replace(s)
	s = atLike.ReplaceAllString(s, "@")
	// The Latin model reads a dot of a local part as a colon, which no
	// address has ("keiko:meyer@").
	s = colonInLocal.ReplaceAllString(s, "${1}.${2}")
	// An italic 'l' reads as '[': in an address, before a letter, it is one
	// ("[patel@x.org" for "lpatel@x.org").
	s = bracketInLocal.ReplaceAllStringFunc(s, func(m string) string { return strings.ReplaceAll(m, "[", "l") })
	// Before the '@' only (in a domain a comma is a misread dot):
	if i := strings.LastIndex(s, "@"); i > 0 {
		// An underscore read twice, as itself and as a comma or a low
		// quote beside it ("emma_,schmidt23@", "emma „schmidt23@"), is one;
		local := underscoreTwice.ReplaceAllString(s[:i], "${1}_${2}")
		// and a low underscore reads as a comma ("anna,meyer@x.org").
		s = commaInWord.ReplaceAllString(local, "${1}_${2}") + s[i:]
	}
	// "name @ example . com": no spaces around dots inside an address.
	if strings.Contains(s, "@") {
		// A Meet code before the address, its space read as a dash, an
		// underscore or a dot ("pww-acrz-edo-osilva@x.com",
		// "yqi-egjv-yej_omeyer@x.eu"), is a code and an address.
		// One of the code's dashes can be lost ("mit-ahcfswe_annar700@"):
		// it is put back, as the code's letters are at fixed places.
		// (Of the three alternatives, the groups of those not matched
		// expand to nothing.)
		s = codeBeforeAddress.ReplaceAllString(s, "$1${2}${5}${8}-${3}${6}${9}-${4}${7}${10} $11")
		s = dotSpaces.ReplaceAllString(s, ".")
		// A wide gap among the digits of a local part: "keikor75 2@x.org".
		s = splitLocalDigits.ReplaceAllString(s, "${1}${2}")
		// A wide letter gap reads as a space: "x@mail.examp le.org". The
		// halves are joined when the address would otherwise end in a
		// label that is no top-level domain.
		s = splitDomain.ReplaceAllStringFunc(s, func(m string) string {
			sp := strings.LastIndex(m, " ")
			head := m[:sp]
			if tld := head[strings.LastIndexAny(head, ".@")+1:]; commonTLDs[tld] {
				return m
			}
			return head + m[sp+1:]
		})
	}
	return s
}

// bracketInLocal is a local part with an opening bracket before a letter.
var bracketInLocal = regexp.MustCompile(`[a-z0-9._\-]*\[[a-z][a-z0-9._\-\[]*@`)

// codeBeforeAddress is a Meet code (abc-defg-hij, one of its two dashes
// possibly lost) joined by a dash, an underscore or a dot to the local
// part of an address, or followed by a dot and a space (a speck read as a
// dot after the code: "tqj-cyvvz-ugs. lmeyer@"). A code after an
// underscore is one too: tiles on a line read as one run
// ("omeyer@x.eu--_yqi-egjv-yej_omeyer@x.eu"). With both dashes read, the
// middle group may hold a letter more, a 'v' or an 'r' read twice
// ("cyvvz" for "cyvz"). A local part of ten letters with a dash at one
// of those places is rare.
var codeBeforeAddress = regexp.MustCompile(`(^|[^a-z0-9.%+\-])(?:([a-z]{3})-([a-z]{4,5})-([a-z]{3})|([a-z]{3})-?([a-z]{4})-([a-z]{3})|([a-z]{3})-([a-z]{4})([a-z]{3}))(?:[-_.]+|\. )([a-z0-9%+][a-z0-9._%+]*@)`)

// splitDomain is an address's domain followed, after one space, by the
// rest of a domain name.
var splitDomain = regexp.MustCompile(`@[a-z0-9][a-z0-9.\-]*[a-z0-9] [a-z0-9\-]*\.[a-z]{2,}\b`)

// commonTLDs are top-level domains an address read up to a space may
// rightly end with.
var commonTLDs = map[string]bool{"com": true, "org": true, "net": true, "edu": true, "gov": true,
	"io": true, "eu": true, "de": true, "uk": true, "fr": true, "nl": true, "ch": true, "at": true,
	"it": true, "es": true, "se": true, "no": true, "dk": true, "fi": true, "pl": true, "be": true,
	"us": true, "ca": true, "au": true, "jp": true, "cn": true, "in": true, "br": true, "info": true}

// dollarDigit is a dollar sign next to a digit: a faint '5'.
var dollarDigit = regexp.MustCompile(`[0-9]\$|\$[0-9]`)

// ampDigit is an ampersand next to a digit in a word.
var ampDigit = regexp.MustCompile(`[a-zA-Z0-9]&[0-9]|[0-9]&[a-zA-Z0-9]`)

// splitLocalDigits is a word ending in a digit followed, after a space, by
// one or two digits and the '@': one local part read with a gap.
var splitLocalDigits = regexp.MustCompile(`([a-z0-9._%+\-]*[0-9]) ([0-9]{1,2}@)`)

// questionDigit is a question mark between a letter or digit and a digit.
var questionDigit = regexp.MustCompile(`[a-zA-Z0-9]\?[0-9]|[0-9]\?[a-zA-Z0-9]`)

// slashInLocal is a local part with a slash among its characters.
var slashInLocal = regexp.MustCompile(`(?i)[a-z0-9._\-]*/[a-z0-9._/\-]*[@©®]`)

// capitalDigits maps capitals to the digits Tesseract takes them for.
var capitalDigits = map[rune]rune{'S': '5', 'O': '0', 'B': '8', 'Z': '2', 'G': '6', 'I': '1'}

// digitCapitals turns a capital next to a digit, in a word with small
// letters, back into the digit it is a misread of: addresses are shown in
// small letters, and Tesseract reads a faint '5' as 'S' ("patelS7" for
// "patel57") and lowering the case would make it a letter for good.
func digitCapitals(s string) string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return s
	}
	changed := false
	for k, w := range words {
		rs := []rune(w)
		if !slices.ContainsFunc(rs, unicode.IsLower) {
			continue
		}
		for i, r := range rs {
			d, ok := capitalDigits[r]
			if ok && ((i > 0 && unicode.IsDigit(rs[i-1])) || (i+1 < len(rs) && unicode.IsDigit(rs[i+1]))) {
				rs[i] = d
				changed = true
			}
		}
		words[k] = string(rs)
	}
	if !changed {
		return s
	}
	// Rebuild with single spaces only when something changed, so that
	// other readings keep their spacing.
	return strings.Join(words, " ")
}

// Emails returns the emails in an OCR line, tolerant of misreads.
func Emails(s string) []string {
	var out []string
	for _, m := range tolerantRe.FindAllStringSubmatch(Repair(s), -1) {
		local := afterSeparatorRun(strings.Trim(m[1], ".-_"))
		domain := singleHyphens(strings.ReplaceAll(m[2], ",", "."))
		if local == "" {
			continue
		}
		out = append(out, local+"@"+domain)
	}
	return out
}

// afterSeparatorRun is local from after its last run of separators that
// no address holds (three or more, or two of different kinds: "--+-",
// "._."), where remnants of the content before a mark were read into its
// local part ("4--+-olgaj777@", "i._.2nna.hassan@"); local itself when it
// has no such run, or too little after it.
func afterSeparatorRun(local string) string {
	runs := separatorRun.FindAllStringIndex(local, -1)
	for i := len(runs) - 1; i >= 0; i-- {
		run := local[runs[i][0]:runs[i][1]]
		if len(run) < 3 && strings.Count(run, run[:1]) == len(run) {
			continue // a doubled separator: a misread, not a remnant
		}
		if rest := local[runs[i][1]:]; len(rest) >= 2 {
			return rest
		}
		break
	}
	return local
}

var separatorRun = regexp.MustCompile(`[._+\-]{2,}`)

// singleHyphens collapses runs of hyphens inside the labels of a domain.
// Tesseract often reads a faint hyphen as two ("uni--bonn"); a real label
// with two hyphens in a row is rare outside the "xn--" prefix of
// internationalised names (RFC 5891 reserves "--" at the third and fourth
// place), which is kept.
func singleHyphens(domain string) string {
	labels := strings.Split(domain, ".")
	for i, l := range labels {
		if strings.HasPrefix(l, "xn--") {
			l = "xn--" + hyphenRun.ReplaceAllString(l[4:], "-")
		} else {
			l = hyphenRun.ReplaceAllString(l, "-")
		}
		labels[i] = l
	}
	return strings.Join(labels, ".")
}

var hyphenRun = regexp.MustCompile(`-{2,}`)

// classify returns the identities in OCR text. overlay is true for text of a
// semi-transparent overlay: there a lone handle ("jdoe42") is the viewer's
// email local part, as Zoom draws it.
func Classify(text string, overlay bool) []report.Identity {
	var ids []report.Identity
	seen := map[string]bool{}
	add := func(id report.Identity) {
		k := id.Type + "\x00" + strings.ToLower(id.Value)
		if !seen[k] {
			seen[k] = true
			ids = append(ids, id)
		}
	}
	for _, e := range Emails(text) {
		add(report.Identity{Type: identity.TypeEmail, Value: e})
	}
	// Names need their capitals: search the raw line too. Addresses are
	// read as Emails reads them (remnants before a run of separators
	// dropped), so that each is one identity.
	for _, id := range append(identity.Find(Repair(text)), identity.Find(text)...) {
		if es := Emails(id.Value); id.Type == identity.TypeEmail && len(es) == 1 {
			id.Value = es[0]
		}
		add(id)
	}
	if overlay && len(ids) == 0 {
		f := strings.Fields(Repair(text))
		// Specks and strokes around a handle with digits or separators
		// are remnants of the content beneath it, not words of the mark.
		g := slices.DeleteFunc(slices.Clone(f), func(w string) bool {
			return strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 || utf8.RuneCountInString(w) == 1
		})
		if len(g) == 1 && strings.ContainsAny(g[0], "0123456789._") {
			f = g
		}
		if len(f) == 1 {
			// Tiles in a row read as one word, joined by a run of
			// separators ("peter_pa'ell5___peter_patel15"): the one after
			// the run is whole.
			if h := afterSeparatorRun(f[0]); localPartRe.MatchString(h) && !IsStamp(h) && hasDigitOrSep(h) {
				add(report.Identity{Type: identity.TypeLocalPart, Value: h})
			}
		}
	}
	return ids
}

// RepeatedHandle returns the handle-like word (a possible local part of
// four letters or more, not a stamp word) that the most readings hold as a
// word of their own, and how many hold it. A tiled mark of a short handle
// ("ochen") reads as that word again and again between content remnants;
// remnants differ from place to place.
func RepeatedHandle(texts []string) (string, int) {
	counts := map[string]int{}
	for _, t := range texts {
		seen := map[string]bool{}
		for _, w := range HandleWords(t) {
			if !seen[w] && len(w) >= 4 && localPartRe.MatchString(w) && !IsStamp(w) {
				seen[w] = true
				counts[w]++
			}
		}
	}
	return MostCommon(counts)
}

// MostCommon returns the key with the highest count (ties: the first in
// sort order, so the choice does not depend on map order) and its count.
func MostCommon(counts map[string]int) (string, int) {
	best, n := "", 0
	for w, c := range counts {
		if c > n || c == n && w < best {
			best, n = w, c
		}
	}
	return best, n
}

// Alnum counts the letters and digits of s (Letters counts ASCII letters
// only; a digit group may be part of a local part).
func Alnum(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// HandleAmongRemnants returns the one word of a reading that can be a local
// part (as Classify takes a lone handle) when every other word is a remnant
// of the content beneath the mark (fewer than three letters and digits:
// "J Ft enovak; —"); "" otherwise.
func HandleAmongRemnants(text string) string {
	handle := ""
	for _, w := range strings.Fields(Repair(text)) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if Alnum(w) < 3 {
			continue
		}
		if handle != "" || !localPartRe.MatchString(w) || IsStamp(w) || !hasDigitOrSep(w) {
			return ""
		}
		handle = w
	}
	return handle
}

// HandleWords splits a reading into the words a local part can be made
// of: runs of small letters, digits, dots and underscores, repaired, with
// no dot or underscore at either end.
func HandleWords(text string) []string {
	ws := strings.FieldsFunc(Repair(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_')
	})
	for i, w := range ws {
		ws[i] = strings.Trim(w, "._")
	}
	return ws
}

// hasDigitOrSep tells a handle (a.schmidt, jdoe42) from an ordinary word.
func hasDigitOrSep(s string) bool {
	return strings.ContainsAny(s, "0123456789._-") || len(s) >= 6
}

// isStamp reports text that is a generic marking, not an identity. OCR of
// a faint, tilted stamp often gets part of the word ("TIAL", "CONFIDEN"), so
// four letters in a row of a long stamp word count.
func IsStamp(s string) bool {
	if hasStampWord(s) {
		return true
	}
	for _, tok := range letterTokens(s) {
		if partStampWord(tok) {
			return true
		}
	}
	return false
}

// hasStampWord reports text that holds a stamp word whole.
func hasStampWord(s string) bool {
	l := strings.ToLower(s)
	for _, w := range stampWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// letterTokens splits text, lowered, into runs of letters.
func letterTokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r < 'a' || r > 'z' })
}

// partStampWord reports a token of lower-case letters that is part of a
// long stamp word, read partly or with a letter misread.
func partStampWord(tok string) bool {
	if len(tok) < 4 {
		return false
	}
	for _, w := range stampWords {
		// A token much longer than the word is not the word partly
		// read: content remnants run together ("rlassidtamnit")
		// hold some four letters of one by chance.
		if len(w) < 8 || strings.Contains(w, " ") || len(tok) > len(w)+2 {
			continue
		}
		for i := 0; i+4 <= len(tok); i++ {
			if strings.Contains(w, tok[i:i+4]) {
				return true
			}
		}
		// A letter misread or dropped inside the word ("ENFIAL" for
		// CONFIDENTIAL): a longer token within a few edits of a
		// part of the word.
		if len(tok) >= 5 && SubstringDistance(tok, w) <= len(tok)/4 {
			return true
		}
	}
	return false
}

// stampShare is the share of a reading's letters in tokens that are part
// of a stamp word.
func stampShare(s string) float64 {
	all, part := 0, 0
	for _, tok := range letterTokens(s) {
		all += len(tok)
		if partStampWord(tok) {
			part += len(tok)
		}
	}
	if all == 0 {
		return 0
	}
	return float64(part) / float64(all)
}

// minStampShare is the share of an overlay's reading that a stamp word read
// in part must hold for the overlay to be a stamp. A partly read stamp is
// most of its reading ("a RESTS AL", "CON FIDENTIAL"); a faint
// watermark read as content remnants holds some five letters within one
// edit of a part of a stamp word by chance ("inate ... ACOH LOSO_COM",
// "... Jepen ERDAL tmn."), among many more letters.
const minStampShare = 1.0 / 3

// SubstringDistance is the least edit distance between a and any substring
// of b (Sellers' approximate substring matching).
func SubstringDistance(a, b string) int {
	prev := make([]int, len(b)+1) // row 0: a match may start anywhere
	cur := make([]int, len(b)+1)
	bb := []byte(b)
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		editRow(prev, cur, a[i-1], bb)
		prev, cur = cur, prev
	}
	best := len(a)
	for _, v := range prev {
		best = min(best, v)
	}
	return best
}

// editRow fills cur[1:], the edit distances of a prefix of a ending in x
// to each prefix of b, from prev, those of the prefix one shorter (cur[0]
// is set by the caller: where a match may start).
func editRow[T comparable](prev, cur []int, x T, b []T) {
	for j := 1; j <= len(b); j++ {
		c := prev[j-1]
		if x != b[j-1] {
			c++
		}
		cur[j] = min(c, prev[j]+1, cur[j-1]+1)
	}
}

// Letters counts ASCII letters: a reading with few of them is noise.
func Letters(s string) int {
	n := 0
	for _, c := range s {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			n++
		}
	}
	return n
}

// LooksLikeStamp reports an overlay reading without an identity that is a
// generic marking: a stamp word (also partly read), or mostly capitals with
// no '@', four of them in a row ("AIDET-He" for a faint CONFIDENTIAL):
// stamps are set in capitals, identity marks (emails, handles) in lower
// case. A reading with an '@' is a partly read address, never a stamp.
func LooksLikeStamp(s string) bool {
	if strings.Contains(s, "@") {
		return false
	}
	if hasStampWord(s) || stampShare(s) >= minStampShare {
		return true
	}
	n, up := 0, 0
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z':
			n++
			up++
		case c >= 'a' && c <= 'z':
			n++
		}
	}
	return n >= 4 && float64(up) >= 0.6*float64(n) && capitalRun.MatchString(s)
}

// capitalRun is four capitals in a row: a stamp's word, even misread, keeps
// some; content remnants read as short capital syllables ("PSN IM ET NP")
// do not.
var capitalRun = regexp.MustCompile(`[A-Z]{4}`)

// KnownDomain returns email with its domain replaced by the one most of
// the readings' emails have, when email's own does not end in a domain of
// the DNS root (".oly" or ".ce", read from ".org" and ".de"; "mail.exa", a
// tile cut by the frame edge) and some readings of a domain close to it
// do, or when it does but no reading holds it (unreadDomain); ok is false
// when email keeps its domain. Ties go to the domain read first.
func KnownDomain(email string, readings []Line) (fixed string, ok bool) {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return email, false
	}
	domain := email[at+1:]
	if identity.KnownTLD(lastLabel(domain)) {
		return unreadDomain(email, readings)
	}
	counts, order := domainsRead(readings, func(d string) bool {
		return identity.KnownTLD(lastLabel(d)) && 3*SubstringDistance(domain, d) <= len(domain)
	})
	best := ""
	for _, d := range order {
		if counts[d] > counts[best] {
			best = d
		}
	}
	if best == "" {
		// No reading ends in a real domain: an ending one misread glyph
		// away from exactly one common ending is that one (".con" is
		// ".com" with the last leg of its 'm' lost).
		return misreadTLD(email)
	}
	return email[:at+1] + best, true
}

// unreadDomain returns email with its domain replaced by the one most
// readings end in, at least two and more than any other, when no reading
// ends in email's own: the letter vote assembled it from misreads of
// different copies ("uni-boinn.de" from "uni-boiin.de" and "uni-bonn.de"
// read twice). Only domains with the same ending and close to it count (a
// real ending is never overruled, see KnownDomain); ok is false when email
// keeps its domain.
func unreadDomain(email string, readings []Line) (fixed string, ok bool) {
	at := strings.LastIndexByte(email, '@')
	domain := email[at+1:]
	counts, order := domainsRead(readings, func(d string) bool {
		return lastLabel(d) == lastLabel(domain) && 3*SubstringDistance(domain, d) <= len(domain)
	})
	if counts[domain] > 0 {
		return email, false
	}
	best, tie := "", false
	for _, d := range order {
		switch {
		case counts[d] > counts[best]:
			best, tie = d, false
		case counts[d] == counts[best]:
			tie = true
		}
	}
	if counts[best] < 2 || tie {
		return email, false
	}
	return email[:at+1] + best, true
}

// domainsRead counts the domains of the readings' emails that keep
// accepts, and lists them in the order first read.
func domainsRead(readings []Line, keep func(domain string) bool) (map[string]int, []string) {
	counts := map[string]int{}
	var order []string
	for _, l := range readings {
		for _, e := range Emails(strings.ToLower(l.Text)) {
			d := e[strings.LastIndexByte(e, '@')+1:]
			if !keep(d) {
				continue
			}
			if counts[d] == 0 {
				order = append(order, d)
			}
			counts[d]++
		}
	}
	return counts, order
}

// tldConfusions are the glyphs Tesseract reads for others in a mark's
// ending, each way round it happens.
var tldConfusions = [][2]string{{"n", "m"}, {"rn", "m"}, {"m", "rn"}, {"c", "e"}, {"e", "c"}, {"cl", "d"}, {"ii", "u"}, {"0", "o"}}

// misreadTLD returns email with its unknown ending replaced by the one
// common ending (commonTLDs) that one confusion of tldConfusions makes of
// it, if exactly one does.
func misreadTLD(email string) (string, bool) {
	dot := strings.LastIndexByte(email, '.')
	if dot < strings.LastIndexByte(email, '@') {
		return email, false
	}
	tld := strings.ToLower(email[dot+1:])
	var found []string
	for _, c := range tldConfusions {
		for i := 0; i+len(c[0]) <= len(tld); i++ {
			if tld[i:i+len(c[0])] != c[0] {
				continue
			}
			if t := tld[:i] + c[1] + tld[i+len(c[0]):]; commonTLDs[t] && !slices.Contains(found, t) {
				found = append(found, t)
			}
		}
	}
	if len(found) != 1 {
		return email, false
	}
	return email[:dot+1] + found[0], true
}

// lastLabel is the part of a domain after its last dot.
func lastLabel(domain string) string { return domain[strings.LastIndexByte(domain, '.')+1:] }

// MajorityHead returns email with the first letters of its local part
// replaced by those most readings have, when they differ only there: the
// head of an address lies next to content remnants, and the letter-by-letter
// vote can side with a misread there that a whole crop repeats in all its
// looks ("2jkoc606@" in three looks of one tile, "keikoc606@" in three of
// another). Each reading votes once for the local part it holds before an
// '@'; a local part that starts with a digit votes half, as few addresses
// do and a faint 'a' or 'k' reads as '2'. ok is false when email keeps its
// local part.
func MajorityHead(email string, readings []Line) (fixed string, ok bool) {
	at := strings.LastIndexByte(email, '@')
	if at <= 0 {
		return email, false
	}
	local := email[:at]
	weights := map[string]float64{}
	var order []string
	for _, l := range readings {
		seen := map[string]bool{}
		lps := LocalPartsRead(l.Text)
		if readSpaced(l.Text, local) {
			lps = append(lps, local)
		}
		for _, lp := range lps {
			if seen[lp] {
				continue
			}
			seen[lp] = true
			if lp != local && !otherHead(local, lp) {
				continue
			}
			w := 1.0
			if unicode.IsDigit(rune(lp[0])) {
				w = 0.5
			}
			if weights[lp] == 0 {
				order = append(order, lp)
			}
			weights[lp] += w
		}
	}
	best := local
	for _, lp := range order {
		if weights[lp] > weights[best] {
			best = lp
		}
	}
	if best == local {
		return email, false
	}
	return best + email[at:], true
}

// ForeignHead returns email without a head that the letter vote took from
// readings of another matte only: most of readings (the matte's own) hold
// the local part after that head whole, as a local part of its own, and
// none holds the head's letters before it. A matte of frames without the
// mark adds content remnants beside its head ("wo.emma.patel@" where all
// six own readings read "emma.patel@"). The head ends in a separator, as
// a remnant joined to the address does; a head read as a word of its own
// ("jonas novak@") is held, and stays. ok is false when email keeps its
// head.
func ForeignHead(email string, readings []Line) (fixed string, ok bool) {
	at := strings.LastIndexByte(email, '@')
	if at <= 0 {
		return email, false
	}
	local := email[:at]
	read := 0 // readings with any text
	tails := map[string]int{}
	var held []string // each reading's text before its last '@'
	for _, l := range readings {
		t := Repair(l.Text)
		if strings.TrimSpace(t) == "" {
			continue
		}
		read++
		seen := map[string]bool{}
		for _, lp := range LocalPartsRead(l.Text) {
			if len(lp) < len(local) && strings.HasSuffix(local, lp) && strings.ContainsRune("._-", rune(local[len(local)-len(lp)-1])) && !seen[lp] {
				seen[lp] = true
				tails[lp]++
			}
		}
		if i := strings.LastIndexByte(t, '@'); i > 0 {
			held = append(held, t[:i])
		}
	}
	best := ""
	for lp, n := range tails {
		if n > tails[best] || n == tails[best] && len(lp) > len(best) {
			best = lp
		}
	}
	if best == "" || 2*tails[best] <= read {
		return email, false
	}
	head := strings.Trim(local[:len(local)-len(best)], "._-")
	if head == "" {
		return email, false
	}
	for _, h := range held {
		if strings.Contains(strings.TrimSuffix(h, best), head) {
			return email, false
		}
	}
	return best + email[at:], true
}

// readSpaced reports whether text holds local before an '@' with a space
// inside it: a head read as a word of its own ("li _jensen59@") is read,
// and votes for itself.
func readSpaced(text, local string) bool {
	for _, m := range spacedLocal.FindAllStringSubmatch(Repair(text), -1) {
		if strings.Contains(m[1], " ") && strings.TrimLeft(strings.ReplaceAll(m[1], " ", ""), "._-") == local {
			return true
		}
	}
	return false
}

// spacedLocal is a run of local-part characters with at most one space
// among them, before an '@'.
var spacedLocal = regexp.MustCompile(`([a-z0-9._%+\-]+(?: [a-z0-9._%+\-]+)?)@`)

// localBeforeAt is the run of local-part characters before an '@'.
var localBeforeAt = regexp.MustCompile(`([a-z0-9._%+\-]+)@`)

// LocalPartsRead returns the local parts a reading holds before its '@'s
// (repaired, lower case), without the separators at their heads.
func LocalPartsRead(text string) []string {
	var out []string
	for _, m := range localBeforeAt.FindAllStringSubmatch(Repair(text), -1) {
		if lp := strings.TrimLeft(m[1], "._-"); lp != "" {
			out = append(out, lp)
		}
	}
	return out
}

// maxHead is how many first letters of a local part MajorityHead may
// change: the head next to the remnants, not the name.
const maxHead = 3

// otherHead reports whether b is local with other first letters: both
// share all but at most maxHead letters at the start, and b has no fewer
// there (a copy the frame edge cut, "ay_meyer89" of "raj_meyer89", is no
// vote against the whole one).
func otherHead(local, b string) bool {
	n := 0
	for n < len(local) && n < len(b) && local[len(local)-1-n] == b[len(b)-1-n] {
		n++
	}
	hl, hb := len(local)-n, len(b)-n
	return hl <= maxHead && hb <= maxHead && hb > 0 && hb >= hl && 2*n >= len(local)
}

// maxCutHead is the most letters CutHead restores: a name's head, not a
// word of the content beside a copy.
const maxCutHead = 5

// CutHead returns email with the head of its local part that content
// covered restored from another copy of the mark that holds it: the copy
// the reading came from lost its first letters ("a_patel83@" where another
// tile reads "emma_natel83@"). The other copy's local part must end in
// letters aligned with the whole local part (at most one of them
// different) and have two to maxCutHead letters before them, read alike
// in two looks or more of that copy (readings of one Src): most of those
// that read a head there, and a third of all. ok is false when no copy
// holds such a head.
func CutHead(email string, readings []Line) (fixed string, ok bool) {
	at := strings.LastIndexByte(email, '@')
	if at < 5 {
		return email, false
	}
	local := strings.ToLower(email[:at])
	type vote struct {
		src  int
		head string
	}
	votes := map[vote]int{}
	looks, withHead := map[int]int{}, map[int]int{}
	for _, l := range readings {
		looks[l.Src]++
		seen := map[string]bool{}
		for _, lp := range LocalPartsRead(l.Text) {
			if len(lp) < len(local)+2 || len(lp) > len(local)+maxCutHead {
				continue
			}
			head, tail := lp[:len(lp)-len(local)], lp[len(lp)-len(local):]
			if seen[head] || differing(tail, local) > 1 || strings.IndexFunc(head, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
				continue
			}
			if len(seen) == 0 {
				withHead[l.Src]++
			}
			seen[head] = true
			votes[vote{l.Src, head}]++
		}
	}
	best, bestN := "", 0
	for v, n := range votes {
		// Two looks or more, most of those that read a head there, and a
		// third of all the copy's looks.
		if n >= 2 && 2*n > withHead[v.src] && 3*n >= looks[v.src] && (n > bestN || n == bestN && v.head < best) {
			best, bestN = v.head, n
		}
	}
	if best == "" {
		return email, false
	}
	return best + email, true
}

// differing is the number of positions at which a and b (of one length)
// differ.
func differing(a, b string) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// CompleteAddress returns text with its address completed when the
// letter vote left it without a real domain: the domain of one copy is
// cut by the frame edge ("emmac877@uni-bon") or lost its dot
// ("mariac304@uni-bonnde") while the local part, voted on by every
// reading, is right (the caller checks that readings hold it). The domain
// is the one votedDomain gives for what was read. ok is false when text
// holds a whole address already or none can be completed.
func CompleteAddress(text string, readings []Line) (fixed string, ok bool) {
	s := Repair(text)
	if len(Emails(s)) > 0 {
		return text, false
	}
	m := partAddress.FindStringSubmatchIndex(s)
	if m == nil {
		return text, false
	}
	local, frag := s[m[2]:m[3]], strings.TrimRight(s[m[4]:m[5]], ".-")
	if len(frag) < minDomainPiece {
		return text, false
	}
	domain := votedDomain(frag, readings)
	if domain == "" {
		return text, false
	}
	email := local + "@" + domain
	if len(Emails(email)) == 0 {
		return text, false
	}
	return s[:m[2]] + email + s[m[5]:], true
}

// votedDomain is the domain ending in a top-level domain, read whole by
// some reading and close to frag, that the domains of all readings, whole
// or cut, fit best: each reading's domain costs a candidate its distance
// from it, at most a third of its length (a reading of another line
// costs every candidate alike). Two copies of a cut line read "uni-bonn.de"
// and "uni-bdnn.de" once each, and eleven cut ones "uni-bon.": those say
// which. Ties go to the candidate more readings hold whole, then to the one
// read first. It is "" when no reading holds a domain close to frag.
func votedDomain(frag string, readings []Line) string {
	var frags []string
	for _, l := range readings {
		for _, m := range partAddress.FindAllStringSubmatch(Repair(l.Text), -1) {
			if f := strings.TrimRight(m[2], ".-"); len(f) >= minDomainPiece {
				frags = append(frags, f)
			}
		}
	}
	best, bestCost, bestWhole := "", 0, 0
	for _, c := range frags {
		if !strings.Contains(c, ".") || !identity.KnownTLD(lastLabel(c)) || 3*SubstringDistance(frag, c) > len(frag) {
			continue
		}
		cost, whole := 0, 0
		for _, f := range frags {
			cost += min(SubstringDistance(f, c), (len(f)+2)/3)
			if f == c {
				whole++
			}
		}
		if best == "" || cost < bestCost || cost == bestCost && whole > bestWhole {
			best, bestCost, bestWhole = c, cost, whole
		}
	}
	return best
}

// partAddress is a local part and what follows its '@' up to a space.
var partAddress = regexp.MustCompile(`([a-z0-9][a-z0-9._%+\-]*)@([a-z0-9][a-z0-9.\-]*)`)

// minDomainPiece is the fewest characters of a domain that are matched
// to the domains of other readings: fewer fit most domains.
const minDomainPiece = 4
