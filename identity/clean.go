package identity

import (
	"strings"
	"unicode/utf8"

	"tracescan/report"
)

// MaxCleanLen bounds a cleaned string in bytes: a tag can hold megabytes,
// and a report line that long is an attack on the reader, not evidence.
const MaxCleanLen = 4096

// Clean makes a string read from a media file safe to show: ANSI and OSC
// escape sequences, control characters and bidi overrides are removed,
// newlines and tabs become spaces, and absurd lengths are cut with "…".
func Clean(s string) string { return CleanOpt(s, false, MaxCleanLen) }

// CleanOpt is Clean with control over newlines (kept when keepNewlines is
// set, for multi-line side files) and the maximum length in bytes (<= 0 means
// MaxCleanLen).
func CleanOpt(s string, keepNewlines bool, maxLen int) string {
	if maxLen <= 0 {
		maxLen = MaxCleanLen
	}
	if len(s) > 4*maxLen+64 {
		// Do not sanitise megabytes we are going to drop anyway.
		s = s[:4*maxLen+64]
	}
	s = report.Sanitize(s, keepNewlines)
	if !keepNewlines {
		s = strings.TrimSpace(s)
	}
	return Truncate(s, maxLen)
}

// Truncate cuts s to at most maxLen bytes on a rune boundary, marking the cut
// with "…".
func Truncate(s string, maxLen int) string {
	if len(s) <= maxLen {
		return s
	}
	cut := maxLen - len("…")
	if cut < 0 {
		cut = 0
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
