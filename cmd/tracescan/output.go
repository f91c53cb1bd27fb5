package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"tracescan/report"
)

var formats = []string{"text", "json", "html"}

// output is one destination of the report.
type output struct {
	format string
	path   string // "" is stdout
}

// parseOutputs reads --format and the -o values. "-o FILE" sends the
// --format report to FILE instead of stdout; "-o FORMAT=FILE" adds another
// output and leaves stdout as it is.
func parseOutputs(format string, specs []string) ([]output, error) {
	if !validFormat(format) {
		return nil, usagef("unknown --format %q (want %s)", format, strings.Join(formats, ", "))
	}
	main := output{format: format}
	var outs []output
	for _, spec := range specs {
		if f, path, ok := strings.Cut(spec, "="); ok && validFormat(f) {
			if path == "" {
				return nil, usagef("-o %s= needs a file name", f)
			}
			outs = append(outs, output{format: f, path: path})
			continue
		}
		if main.path != "" {
			return nil, usagef("two -o files for --format %s; use -o FORMAT=FILE for more outputs", format)
		}
		main.path = spec
	}
	if main.path == "" && format == "html" {
		return nil, usagef("--format html needs -o FILE (it is a page, not terminal output)")
	}
	return append([]output{main}, outs...), nil
}

func validFormat(f string) bool {
	for _, x := range formats {
		if x == f {
			return true
		}
	}
	return false
}

// writeOutputs renders the report to every output. Files are created mode
// 0600 because the report names people.
func writeOutputs(rep *report.ScanReport, outs []output, stdout io.Writer, noColor bool) error {
	for _, o := range outs {
		w := stdout
		if o.path != "" {
			f, err := os.OpenFile(o.path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
			if err != nil {
				return fmt.Errorf("opening report file: %w", err)
			}
			w = f
			err = render(w, rep, o, noColor, stdout)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			continue
		}
		if err := render(w, rep, o, noColor, stdout); err != nil {
			return err
		}
	}
	return nil
}

func render(w io.Writer, rep *report.ScanReport, o output, noColor bool, stdout io.Writer) error {
	switch o.format {
	case "json":
		return report.WriteJSON(w, rep)
	case "html":
		return report.WriteHTML(w, rep)
	default:
		color := o.path == "" && !noColor && os.Getenv("NO_COLOR") == "" && isTerminal(stdout)
		return report.WriteText(w, rep, report.TextOptions{Color: color})
	}
}
