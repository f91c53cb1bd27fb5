package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

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

// reportFlags are the flags scan and diff share: the report's formats and
// files, the exit threshold, redaction, evidence, colour and logging.
// quietUsage says what --quiet silences for the command.
func reportFlags(quietUsage string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "report format: text, json or html"},
		&cli.StringSliceFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of stdout, or add an output with FORMAT=FILE (repeatable; files are mode 0600)"},
		&cli.StringFlag{Name: "fail-on", Value: "medium", Usage: "exit 1 when a finding reaches `SEVERITY`: info, low, medium, high or none"},
		&cli.BoolFlag{Name: "redact", Usage: "mask emails, names and phone numbers in the report (the report of a leak is itself sensitive)"},
		&cli.StringFlag{Name: "evidence-dir", Usage: "write evidence pictures (PNG) into `DIR`"},
		&cli.BoolFlag{Name: "no-color", Usage: "no colours in text output (NO_COLOR is honoured too)"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: quietUsage},
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "debug logging on stderr"},
	}
}

// parseReportFlags checks --format, --output and --fail-on.
func parseReportFlags(c *cli.Context) ([]output, report.Severity, error) {
	outs, err := parseOutputs(c.String("format"), c.StringSlice("output"))
	if err != nil {
		return nil, 0, err
	}
	failOn, ok := report.ParseSeverity(c.String("fail-on"))
	if !ok {
		return nil, 0, usagef("unknown --fail-on %q (want info, low, medium, high or none)", c.String("fail-on"))
	}
	return outs, failOn, nil
}

// deliver redacts the report if asked, writes the evidence pictures and
// then the report to every output.
func deliver(c *cli.Context, rep *report.ScanReport, outs []output, stdout io.Writer) error {
	if c.Bool("redact") {
		redactReport(rep)
	}
	if dir := c.String("evidence-dir"); dir != "" {
		if err := writeEvidence(dir, rep); err != nil {
			return err
		}
	}
	return writeOutputs(rep, outs, stdout, c.Bool("no-color"))
}
