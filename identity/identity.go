// Package identity recognises personal data in text read from recordings
// (tags, file names, chat side files, OCR of watermarks): emails, phone
// numbers, meeting codes and numbers, and personal names. It also masks them
// for --redact and cleans hostile strings before they reach a terminal.
//
// Recognition favours precision: a report that calls "1920x1080" a phone
// number or "Sharing Started" a person teaches users to ignore it. Numbers
// that look like dates, times, durations, resolutions, bitrates, versions or
// hex ids are therefore excluded before phone rules run.
package identity

import (
	"bufio"
	_ "embed"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"

	"tracescan/report"
)

// Identity types, as used in report.Identity.Type.
const (
	TypeEmail         = "email"
	TypeLocalPart     = "local_part"
	TypePhone         = "phone"
	TypeName          = "name"
	TypeMeetingCode   = "meeting_code"
	TypeMeetingNumber = "meeting_number"
	// TypeLocation is a GPS position (ISO 6709 or "lat, lon"). Find does not
	// look for it in free text (too many number pairs); the metadata
	// detector sets it from location tags so that --redact masks it.
	TypeLocation = "location"
)

// Match is one recognised identity with its byte span in the searched text.
type Match struct {
	report.Identity
	Start, End int
}

//go:embed given_names.txt
var givenNamesTxt string

var (
	givenOnce  sync.Once
	givenNames map[string]bool
)

func loadGivenNames() {
	givenNames = make(map[string]bool, 512)
	sc := bufio.NewScanner(strings.NewReader(givenNamesTxt))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		givenNames[line] = true
	}
}

// IsGivenName reports whether w (title case, e.g. "Anna") is in the embedded
// list of common given names.
func IsGivenName(w string) bool {
	givenOnce.Do(loadGivenNames)
	return givenNames[w]
}

var (
	// The optional spaces around @ tolerate OCR, which often reads
	// "anna @example.com"; the value is stored without them.
	reEmail = regexp.MustCompile(`(?i)[a-z0-9][a-z0-9._%+\-]*[ ]?@[ ]?[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}\b`)
	// Google Meet codes: three lowercase letters, four, three.
	reMeetCode = regexp.MustCompile(`\b[a-z]{3}-[a-z]{4}-[a-z]{3}\b`)
	// Meeting numbers need context: a bare 10-digit number is as likely a
	// Unix time or an order number.
	reMeetingNumCtx = regexp.MustCompile(`(?i)(?:meeting[ \t]*(?:id|number|no\.?|num|#)|webinar[ \t]*id|access[ \t]*code|konferenz-id|besprechungs-id|meeting-id|zoom\.us/[jw]/|webex\.com/meet/|/j/)[ \t]*[:#=]?[ \t]*(\d[\d \-]{7,16}\d)`)
	// Zoom shows 11-digit ids as "123 4567 8901": that grouping is not a
	// phone format unless it starts with 0 (a national trunk prefix).
	reMeetingNumGrouped = regexp.MustCompile(`\b[1-9]\d{2} \d{4} \d{4}\b`)

	rePhoneIntl     = regexp.MustCompile(`(?:\+|\b00)[1-9]\d{0,2}(?:[ \-./]?(?:\(\d{1,5}\)|\d{1,8})){1,6}`)
	rePhoneUSParen  = regexp.MustCompile(`\(\d{3}\)[ ]?\d{3}[ \-.]\d{4}\b`)
	rePhoneUS       = regexp.MustCompile(`\b\d{3}[ \-.]\d{3}[ \-.]\d{4}\b`)
	rePhoneNational = regexp.MustCompile(`\b0\d{1,4}(?:[ \-/]\d{2,8}){1,3}\b`)
	// Phone context lets an unseparated national number count.
	rePhoneCtx = regexp.MustCompile(`(?i)(?:tel|phone|mobile|mobil|handy|cell|call|fax)[ \t.]*[:#]?[ \t]*(\+?\d{7,15})\b`)

	// Hard negatives: spans that look numeric but are not phone numbers.
	negatives = []*regexp.Regexp{
		regexp.MustCompile(`\b\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\b`),                                             // times, durations
		regexp.MustCompile(`\b\d{4}[-./_]\d{1,2}[-./_]\d{1,2}\b`),                                                  // ISO dates
		regexp.MustCompile(`\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b`),                                                  // local dates
		regexp.MustCompile(`\b(?:GMT)?\d{8}[-_T ]\d{4,6}\b`),                                                       // 20240501-100233
		regexp.MustCompile(`\b\d{2,5}[ ]?[x×][ ]?\d{2,5}\b`),                                                       // resolutions
		regexp.MustCompile(`(?i)\bv?\d+(?:\.\d+){2,}\b`),                                                           // versions, IPs
		regexp.MustCompile(`(?i)\b\d+(?:[.,]\d+)?[ ]?(?:kb/s|kbit/s|kbps|mb/s|mbps|bps|khz|hz|fps|ms|kb|mb|gb)\b`), // units
		regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`),                 // UUIDs
		regexp.MustCompile(`(?i)\b(?:0x)?[0-9a-f]*(?:[a-f][0-9a-f]*\d|\d[0-9a-f]*[a-f])[0-9a-f]*\b`),               // hex ids with letters and digits
	}

	// Capitalised words (with Irish/hyphenated forms: O'Brien, Meyer-Lansky).
	reCapWord = regexp.MustCompile(`\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}\p{Ll}+)*`)
)

// nameParticles may sit between a given name and a family name.
var nameParticles = map[string]bool{
	"van": true, "von": true, "der": true, "den": true, "de": true, "da": true, "di": true,
	"del": true, "della": true, "la": true, "le": true, "du": true, "dos": true, "das": true,
	"ten": true, "ter": true, "bin": true, "al": true, "el": true, "zu": true, "y": true,
}

// notSurnames are capitalised words that follow given names in titles and
// UI text ("Emma Meeting", "Sharing Started") and are not family names.
var notSurnames = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`Meeting Meetings Recording Recordings Record Zoom Teams Team Webex Meet
		Room Rooms Started Stopped Start Stop Sharing Share Shared Screen Audio Video Chat Everyone From To
		The And Of In On At For With By Personal Conference Call Calls Webinar General Channel Transcript
		Notes Live Stream Studio Project Update Review Standup Sync Demo Weekly Daily Monthly Intro
		Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
		July August September October November December Gmt Utc Cet Pst Est Iphone Ipad Apple Android
		Windows Mac Macbook Pro Max Mini Plus Ultra Part Session Slides Slide Presentation Gallery
		Speaker Active View Only Host Guest Waiting Breakout Is Has Was Will Can And Or Not Joined Left
		Says Said Here There Hello Hi Thanks Please Agenda Minutes Summary Interview Lecture Class Course
		Private Public Direct Message Reply Version Edition Copy Final Draft Raw Edit Cut Export Backup
		Office Street Square Station Avenue Road Park Center Centre Hall House Group Inc Ltd Gmbh Llc
		University College School Hospital Foundation Institute Company Corp Bank Airport Hotel`) {
		notSurnames[w] = true
	}
}

// Find returns the identities in text, deduplicated, in order of first
// appearance.
func Find(text string) []report.Identity {
	ms := FindMatches(text)
	if len(ms) == 0 {
		return nil
	}
	out := make([]report.Identity, 0, len(ms))
	seen := map[string]bool{}
	for _, m := range ms {
		k := m.Type + "\x00" + normKey(m.Type, m.Value)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, m.Identity)
	}
	return out
}

// FindMatches returns every recognised identity with its span, ordered by
// position; overlapping matches are resolved by precedence (email, meeting
// code, meeting number, phone, name). Identities do not span lines, so the
// text is searched line by line: Go's regexp uses its fast backtracker only
// on short inputs, which makes a 1 MB chat log about 10x faster than one
// pass (BenchmarkFindChat1MB: ~0.1 s/MB).
func FindMatches(text string) []Match {
	var out []Match
	for off := 0; off < len(text); {
		end := strings.IndexByte(text[off:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += off
		}
		for _, m := range findLine(text[off:end]) {
			m.Start += off
			m.End += off
			out = append(out, m)
		}
		off = end + 1
	}
	return out
}

// findLine finds the identities in one line of text.
func findLine(text string) []Match {
	if len(strings.TrimSpace(text)) < 3 {
		return nil
	}
	// Byte masks instead of span lists keep a line with many matches
	// linear. Precedence is the order of the passes below: a span taken by
	// an email cannot become a name, a meeting number cannot become a phone.
	var claimed []Match
	owned := make([]bool, len(text))
	add := func(typ, val string, s, e int) {
		if val == "" || anySet(owned, s, e) {
			return
		}
		setRange(owned, s, e)
		claimed = append(claimed, Match{Identity: report.Identity{Type: typ, Value: val}, Start: s, End: e})
	}
	// Cheap byte tests skip the regexps that cannot match this line.
	nDigits, hasUpper := 0, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case isDigit(c):
			nDigits++
		case c >= 'A' && c <= 'Z' || c >= 0x80:
			hasUpper = true
		}
	}

	if strings.IndexByte(text, '@') >= 0 {
		for _, loc := range reEmail.FindAllStringIndex(text, -1) {
			v := strings.ReplaceAll(text[loc[0]:loc[1]], " ", "")
			add(TypeEmail, v, loc[0], loc[1])
		}
	}
	if strings.IndexByte(text, '-') >= 0 {
		for _, loc := range reMeetCode.FindAllStringIndex(text, -1) {
			// "foo-abc-defg-hij-bar" is a slug, not a code.
			if loc[0] > 0 && text[loc[0]-1] == '-' || loc[1] < len(text) && text[loc[1]] == '-' {
				continue
			}
			add(TypeMeetingCode, text[loc[0]:loc[1]], loc[0], loc[1])
		}
	}
	if nDigits >= 7 {
		findNumbers(text, nDigits, add)
	}
	if hasUpper {
		findNames(text, add)
	}
	sort.SliceStable(claimed, func(i, j int) bool { return claimed[i].Start < claimed[j].Start })
	return claimed
}

// findNumbers finds meeting numbers and phone numbers in a line with at
// least 7 digits.
func findNumbers(text string, nDigits int, add func(typ, val string, s, e int)) {
	lower := strings.ToLower(text)
	if nDigits >= 9 && containsAny(lower, meetingWords) {
		for _, loc := range reMeetingNumCtx.FindAllStringSubmatchIndex(text, -1) {
			s, e := loc[2], loc[3]
			d := digits(text[s:e])
			if len(d) >= 9 && len(d) <= 11 {
				add(TypeMeetingNumber, strings.TrimSpace(text[s:e]), s, e)
			}
		}
	}
	if nDigits >= 11 {
		for _, loc := range reMeetingNumGrouped.FindAllStringIndex(text, -1) {
			if boundaryOK(text, loc[0], loc[1]) {
				add(TypeMeetingNumber, text[loc[0]:loc[1]], loc[0], loc[1])
			}
		}
	}

	var neg []bool // computed on first use: most lines have no candidate
	inNeg := func(s, e int) bool {
		if neg == nil {
			neg = negativeMask(text)
		}
		return anySet(neg, s, e)
	}
	phone := func(s, e int, minDigits int) {
		v := strings.TrimRight(text[s:e], " -./")
		e = s + len(v)
		d := digits(v)
		if len(d) < minDigits || len(d) > 15 || !boundaryOK(text, s, e) || inNeg(s, e) {
			return
		}
		add(TypePhone, v, s, e)
	}
	if strings.IndexByte(text, '+') >= 0 || strings.Contains(text, "00") {
		for _, loc := range rePhoneIntl.FindAllStringIndex(text, -1) {
			s, e := loc[0], loc[1]
			// "+49 30 1234567 10:02" must not swallow the hour.
			if e < len(text) && (text[e] == ':' || text[e] == '.' && e+1 < len(text) && isDigit(text[e+1])) {
				if i := strings.LastIndexAny(text[s:e], " -./"); i > 0 {
					e = s + i
				}
			}
			phone(s, e, 8)
		}
	}
	if strings.IndexByte(text, '(') >= 0 {
		for _, loc := range rePhoneUSParen.FindAllStringIndex(text, -1) {
			phone(loc[0], loc[1], 10)
		}
	}
	for _, loc := range rePhoneUS.FindAllStringIndex(text, -1) {
		phone(loc[0], loc[1], 10)
	}
	if strings.IndexByte(text, '0') >= 0 {
		for _, loc := range rePhoneNational.FindAllStringIndex(text, -1) {
			phone(loc[0], loc[1], 9)
		}
	}
	if containsAny(lower, phoneWords) {
		for _, loc := range rePhoneCtx.FindAllStringSubmatchIndex(text, -1) {
			phone(loc[2], loc[3], 7)
		}
	}
}

// Words one of which reMeetingNumCtx and rePhoneCtx need; testing them
// first skips the (slow, case-folding) regexps on most lines.
var (
	meetingWords = []string{"meeting", "webinar", "access", "konferenz", "besprechung", "/j/", "/w/", "webex.com"}
	phoneWords   = []string{"tel", "phone", "mobil", "handy", "cell", "call", "fax"}
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// findNames looks for a given name from the embedded list followed by one or
// two capitalised words (optionally joined by particles), separated by a
// space or underscore, or written together in CamelCase ("AnnaSchmidt", as
// in Zoom's per-participant audio files).
func findNames(text string, add func(typ, val string, s, e int)) {
	words := reCapWord.FindAllStringIndex(text, -1)
	for i := 0; i < len(words); i++ {
		w0 := words[i]
		first := text[w0[0]:w0[1]]
		if !IsGivenName(first) {
			continue
		}
		// A given name glued to a preceding capitalised run ("McDonald",
		// "JavaEmma") is a word part, not a name start; glued to lowercase
		// it is CamelCase after a prefix ("audioAnnaSchmidt").
		if w0[0] > 0 {
			r, _ := utf8.DecodeLastRuneInString(text[:w0[0]])
			if unicode.IsUpper(r) {
				continue
			}
		}
		parts := []string{first}
		end := w0[1]
		last := ""
		j := i + 1
		var particles []string
		for j < len(words) && len(parts) < 3 {
			gap := text[end:words[j][0]]
			ps, ok := joinGap(gap)
			if !ok {
				break
			}
			w := text[words[j][0]:words[j][1]]
			if notSurnames[w] {
				break
			}
			particles = append(particles, ps...)
			parts = append(parts, strings.Join(append(particles, w), " "))
			particles = nil
			last = w
			end = words[j][1]
			j++
		}
		if last == "" {
			continue
		}
		// A possessive ("Anna Schmidt's") needs no handling: the word regex
		// stops before "'s". The name must end at a word boundary, though:
		// "AnnaSchmidtx" is not a name.
		if end < len(text) {
			r, _ := utf8.DecodeRuneInString(text[end:])
			if unicode.IsLower(r) {
				continue
			}
		}
		add(TypeName, strings.Join(parts, " "), w0[0], end)
		i = j - 1
	}
}

// joinGap accepts the separator between two name words: one space or
// underscore, nothing (CamelCase), or lowercase particles between spaces
// ("van der"). It returns the particles.
func joinGap(gap string) ([]string, bool) {
	switch gap {
	case "", " ", "_", "\u00a0":
		return nil, true
	}
	if len(gap) < 3 || gap[0] != ' ' || gap[len(gap)-1] != ' ' {
		return nil, false
	}
	fs := strings.Fields(gap)
	if len(fs) == 0 || len(fs) > 2 {
		return nil, false
	}
	for _, f := range fs {
		if !nameParticles[f] {
			return nil, false
		}
	}
	return fs, true
}

// negativeMask marks the bytes covered by a hard negative.
func negativeMask(text string) []bool {
	m := make([]bool, len(text))
	for _, re := range negatives {
		for _, loc := range re.FindAllStringIndex(text, -1) {
			setRange(m, loc[0], loc[1])
		}
	}
	return m
}

func anySet(m []bool, s, e int) bool {
	for i := s; i < e; i++ {
		if m[i] {
			return true
		}
	}
	return false
}

func setRange(m []bool, s, e int) {
	for i := s; i < e; i++ {
		m[i] = true
	}
}

// boundaryOK rejects numbers that continue into more digits, decimals or
// time/date punctuation on either side ("v1.0151 234567", "x0151-23").
func boundaryOK(text string, s, e int) bool {
	if s > 0 {
		c := text[s-1]
		if isDigit(c) || isLetter(c) || c == '.' || c == ':' || c == '/' || c == '_' {
			return false
		}
		if c == '-' && s > 1 && (isDigit(text[s-2]) || isLetter(text[s-2])) {
			return false
		}
	}
	if e < len(text) {
		c := text[e]
		if isDigit(c) || isLetter(c) || c == '_' {
			return false
		}
		if (c == '.' || c == ':' || c == '/' || c == '-' || c == 'x') && e+1 < len(text) && isDigit(text[e+1]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// normKey is the deduplication key of a value: emails are case-insensitive,
// numbers compare by their digits, names by their words.
func normKey(typ, v string) string {
	switch typ {
	case TypeEmail, TypeLocalPart, TypeMeetingCode:
		return strings.ToLower(v)
	case TypePhone, TypeMeetingNumber:
		d := digits(v)
		if strings.HasPrefix(v, "+") {
			return "+" + d
		}
		return d
	case TypeName:
		return strings.ToLower(strings.Join(strings.Fields(v), " "))
	}
	return v
}

// KnownTLD reports whether tld (without the dot, any case) is a top-level
// domain of the public DNS root, by the public suffix list compiled into
// the binary (no network). An email read with another ending has a
// misread ending.
func KnownTLD(tld string) bool {
	tld = strings.ToLower(tld)
	if tld == "" || strings.Contains(tld, ".") {
		return false
	}
	suffix, icann := publicsuffix.PublicSuffix("x." + tld)
	return icann && suffix == tld
}
