package identity

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"tracescan/report"
)

// Mask returns the masked form of one identity value for --redact. It keeps
// just enough to tell findings apart in a report (first letters, a TLD, the
// last two digits) without printing the person's data:
//
//	email           jane.doe@example.com -> j***@e******.com
//	name            Anna Schmidt         -> A*** S******
//	phone           +49 30 1234567       -> +** ** *****67
//	meeting number  812 3456 7890        -> *** **** **90
//	meeting code    abc-defg-hij         -> a**-d***-h**
//	location        +52.5200+013.4050/   -> +**.****+***.****/
func Mask(value, typ string) string {
	switch typ {
	case TypeEmail:
		local, domain, ok := strings.Cut(value, "@")
		if !ok {
			return maskWord(value)
		}
		labels := strings.Split(domain, ".")
		for i := range labels {
			if i < len(labels)-1 { // keep the TLD: it is shared by millions
				labels[i] = maskWord(labels[i])
			}
		}
		return firstRune(local) + "***@" + strings.Join(labels, ".")
	case TypeLocalPart:
		return firstRune(value) + "***"
	case TypePhone, TypeMeetingNumber:
		return maskDigits(value, 2)
	case TypeLocation:
		return maskDigits(value, 0)
	case TypeName, TypeMeetingCode:
		return maskWords(value)
	}
	return maskWords(value)
}

func firstRune(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}

// maskWord keeps the first rune and replaces the others with '*'.
func maskWord(w string) string {
	if w == "" {
		return w
	}
	n := utf8.RuneCountInString(w)
	return firstRune(w) + strings.Repeat("*", n-1)
}

// maskWords masks each run of letters or digits, keeping separators.
func maskWords(s string) string {
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 {
			b.WriteString(maskWord(s[start:end]))
			start = -1
		}
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		b.WriteRune(r)
	}
	flush(len(s))
	return b.String()
}

// maskDigits replaces every digit but the last keep with '*'.
func maskDigits(s string, keep int) string {
	total := len(digits(s))
	b := []byte(s)
	seen := 0
	for i, c := range b {
		if isDigit(c) {
			seen++
			if seen <= total-keep {
				b[i] = '*'
			}
		}
	}
	return string(b)
}

// MaskAll replaces every occurrence of the given identities in s with their
// masked form. Names are also replaced in their joined spellings
// ("AnnaSchmidt", "Anna_Schmidt") and emails regardless of case, because
// file names and tags write them that way.
func MaskAll(s string, ids []report.Identity) string {
	type rep struct{ from, to string }
	var reps []rep
	for _, id := range ids {
		if id.Value == "" {
			continue
		}
		m := Mask(id.Value, id.Type)
		reps = append(reps, rep{id.Value, m})
		if id.Type == TypeName {
			ws := strings.Fields(id.Value)
			mw := strings.Fields(m)
			if len(ws) == len(mw) {
				for _, sep := range []string{"", "_", ".", "-"} {
					reps = append(reps, rep{strings.Join(ws, sep), strings.Join(mw, sep)})
				}
			}
		}
		if id.Type == TypeEmail {
			if local, _, ok := strings.Cut(id.Value, "@"); ok && len(local) > 1 {
				// The local part on its own is what a tiled watermark or a
				// folder name often shows.
				reps = append(reps, rep{local + "@", Mask(local, TypeLocalPart) + "@"})
			}
		}
	}
	// Longest first, so that "Anna Maria Schmidt" wins over "Anna Maria".
	sort.SliceStable(reps, func(i, j int) bool { return len(reps[i].from) > len(reps[j].from) })
	for _, r := range reps {
		s = replaceFold(s, r.from, r.to)
	}
	return s
}

// replaceFold replaces old with repl, matching ASCII case-insensitively.
func replaceFold(s, old, repl string) string {
	if old == "" {
		return s
	}
	ls, lo := strings.ToLower(s), strings.ToLower(old)
	if len(ls) != len(s) || len(lo) != len(old) {
		// Lowercasing changed byte lengths (rare non-ASCII): exact match only.
		return strings.ReplaceAll(s, old, repl)
	}
	var b strings.Builder
	i := 0
	for {
		j := strings.Index(ls[i:], lo)
		if j < 0 {
			b.WriteString(s[i:])
			return b.String()
		}
		b.WriteString(s[i : i+j])
		b.WriteString(repl)
		i += j + len(old)
	}
}

// Redact masks everything Find recognises in s.
func Redact(s string) string {
	ms := FindMatches(s)
	if len(ms) == 0 {
		return s
	}
	var b strings.Builder
	prev := 0
	for _, m := range ms {
		if m.Start < prev {
			continue
		}
		b.WriteString(s[prev:m.Start])
		b.WriteString(Mask(s[m.Start:m.End], m.Type))
		prev = m.End
	}
	b.WriteString(s[prev:])
	// A second pass catches other spellings of the same identities.
	return MaskAll(b.String(), Find(s))
}
