package report

import (
	"fmt"
	"io"
	"strings"
)

// TextOptions controls the human-readable renderer.
type TextOptions struct {
	// Color enables ANSI colours; the caller decides (NO_COLOR, TTY).
	Color bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGreen  = "\x1b[32m"
)

type textWriter struct {
	w     io.Writer
	color bool
	err   error
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err != nil {
		return
	}
	_, t.err = fmt.Fprintf(t.w, format, args...)
}

func (t *textWriter) paint(code, s string) string {
	if !t.color {
		return s
	}
	return code + s + ansiReset
}

func severityColor(s Severity) string {
	switch s {
	case High:
		return ansiBold + ansiRed
	case Medium:
		return ansiYellow
	case Low:
		return ansiCyan
	}
	return ansiDim
}

// WriteText renders the report for a person reading a terminal. Every string
// that came from a media file is sanitised before it is printed.
func WriteText(w io.Writer, r *ScanReport, opt TextOptions) error {
	t := &textWriter{w: w, color: opt.Color}
	clean := func(s string) string { return Sanitize(s, false) }

	t.printf("%s %s: %d file(s) scanned, %d failed, %d skipped (%.1f s)\n",
		r.Tool.Name, r.Tool.Version, r.Summary.FilesScanned, r.Summary.FilesFailed,
		r.Summary.FilesSkipped, r.Summary.ElapsedS)
	if r.Redacted {
		t.printf("%s\n", t.paint(ansiDim, "Identities are masked (--redact)."))
	} else if hasIdentities(r) {
		t.printf("%s\n", t.paint(ansiBold, "This report names people. Treat it as confidential, or re-run with --redact."))
	}
	for i := range r.Files {
		f := &r.Files[i]
		t.printf("\n%s %s\n", t.paint(ansiBold, "=="), t.paint(ansiBold, clean(f.Path)))
		if f.ComparedWith != "" {
			t.printf("   compared with (copy B): %s\n", clean(f.ComparedWith))
		}
		if f.Media != nil {
			t.printf("   %s\n", t.paint(ansiDim, mediaLine(f.Media)))
		}
		for _, e := range f.Errors {
			t.printf("   %s %s\n", t.paint(ansiBold+ansiRed, "ERROR"), clean(e))
		}
		if f.Platform != nil {
			p := f.Platform
			t.printf("   Source: %s (%s confidence)\n", clean(p.Label), p.Confidence)
			if p.Implies != "" {
				t.printf("           %s\n", clean(p.Implies))
			}
		}
		if !anyAbove(f.Findings, Info) && len(f.Errors) == 0 {
			t.printf("   %s\n", t.paint(ansiGreen, "No identifying marks found by the scanners that ran."))
		}
		for j := range f.Findings {
			if f.Findings[j].Kind == KindPlatform && f.Platform != nil {
				continue // already shown as the Source line
			}
			writeFinding(t, &f.Findings[j], clean)
		}
	}
	s := r.Summary
	t.printf("\nSummary: high %d, medium %d, low %d, info %d\n",
		s.BySeverity["high"], s.BySeverity["medium"], s.BySeverity["low"], s.BySeverity["info"])
	return t.err
}

func writeFinding(t *textWriter, x *Finding, clean func(string) string) {
	sev := strings.ToUpper(x.Severity.String())
	t.printf("\n   %s  %s  %s\n", t.paint(severityColor(x.Severity), fmt.Sprintf("%-6s", sev)),
		t.paint(ansiDim, x.Kind), clean(x.Title))
	if x.Severity == Info {
		// Context, not a risk: one line keeps the report readable.
		if where := whereText(x); where != "" {
			t.printf("           %s\n", t.paint(ansiDim, clean(where)))
		}
		return
	}
	if x.Text != "" {
		t.printf("           found: %q\n", clean(x.Text))
	}
	if where := whereText(x); where != "" {
		t.printf("           where: %s\n", clean(where))
	}
	if sure := sureText(x); sure != "" {
		t.printf("           how sure: %s\n", clean(sure))
	}
	if x.Advice != "" {
		t.printf("           what to do: %s\n", clean(x.Advice))
	}
	if x.Command != "" {
		t.printf("           %s %s\n", t.paint(ansiDim, "$"), clean(x.Command))
	}
	for _, ev := range x.Images {
		if ev.Path != "" {
			t.printf("           evidence: %s (%s)\n", clean(ev.Path), clean(ev.Caption))
		}
	}
}

func mediaLine(m *MediaInfo) string {
	parts := []string{fmt.Sprintf("%s, %s", m.Format, FormatDuration(m.DurationS))}
	for _, s := range m.Streams {
		switch s.Type {
		case "video":
			parts = append(parts, fmt.Sprintf("video %s %dx%d %.4g fps", s.Codec, s.Width, s.Height, s.FrameRate))
		case "audio":
			parts = append(parts, fmt.Sprintf("audio %s %d Hz %d ch", s.Codec, s.SampleRate, s.Channels))
		}
	}
	return strings.Join(parts, "; ")
}

func whereText(x *Finding) string {
	var parts []string
	switch x.Copy {
	case "a", "b":
		parts = append(parts, "in copy "+strings.ToUpper(x.Copy))
	case "both":
		parts = append(parts, "between the copies")
	}
	if x.Key != "" {
		parts = append(parts, x.Key)
	}
	if x.TimeStart != nil {
		if x.TimeEnd != nil && *x.TimeEnd > *x.TimeStart {
			parts = append(parts, fmt.Sprintf("%s-%s", FormatDuration(*x.TimeStart), FormatDuration(*x.TimeEnd)))
		} else {
			parts = append(parts, "at "+FormatDuration(*x.TimeStart))
		}
	}
	if x.Region != nil {
		g := x.Region
		parts = append(parts, fmt.Sprintf("screen region x=%d y=%d w=%d h=%d", g.X, g.Y, g.W, g.H))
	}
	if x.BandHz != nil {
		parts = append(parts, fmt.Sprintf("%.0f-%.0f Hz", x.BandHz.Low, x.BandHz.High))
	}
	if x.Channel != "" {
		parts = append(parts, x.Channel+" channel")
	}
	if x.Layout != "" {
		parts = append(parts, x.Layout+" layout")
	}
	if x.Opacity != nil {
		// How faint it is tells a reader where to look for it.
		parts = append(parts, fmt.Sprintf("about %.0f %% opacity", 100*(*x.Opacity)))
	}
	if x.PeriodS != nil {
		parts = append(parts, fmt.Sprintf("repeats every %.3g s", *x.PeriodS))
	}
	return strings.Join(parts, ", ")
}

func sureText(x *Finding) string {
	var parts []string
	if x.ScoreMeaning != "" {
		parts = append(parts, fmt.Sprintf("score %.3g (%s)", x.Score, x.ScoreMeaning))
	}
	if x.PValue != nil {
		if *x.PValue <= 0 {
			// Below what a float64 holds: the evidence is overwhelming.
			parts = append(parts, "p < 1e-300")
		} else {
			parts = append(parts, fmt.Sprintf("p = %.2g", *x.PValue))
		}
	}
	if x.FalsePositiveRate != nil {
		parts = append(parts, fmt.Sprintf("estimated false-positive rate %.2g", *x.FalsePositiveRate))
	}
	return strings.Join(parts, ", ")
}

// FormatDuration writes seconds as m:ss.s or h:mm:ss.
func FormatDuration(s float64) string {
	if s < 0 {
		s = 0
	}
	h := int(s) / 3600
	m := int(s) / 60 % 60
	sec := s - float64(h*3600+m*60)
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%04.1f", h, m, sec)
	}
	return fmt.Sprintf("%d:%04.1f", m, sec)
}

func hasIdentities(r *ScanReport) bool {
	for _, f := range r.Files {
		for _, x := range f.Findings {
			if len(x.Identities) > 0 {
				return true
			}
		}
	}
	return false
}

func anyAbove(fs []Finding, s Severity) bool {
	for _, x := range fs {
		if x.Severity > s {
			return true
		}
	}
	return false
}
