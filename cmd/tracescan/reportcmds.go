package main

import (
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"tracescan/report"
	"tracescan/store"
)

func outputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "report format: text, json or html"},
		&cli.StringSliceFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE`, or add an output with FORMAT=FILE (repeatable)"},
		&cli.BoolFlag{Name: "redact", Usage: "mask emails, names and phone numbers"},
		&cli.BoolFlag{Name: "no-color", Usage: "no colours in text output"},
	}
}

// reportCommand re-renders stored results without rescanning.
func reportCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "report",
		Usage: "render past results from the results store, without rescanning",
		Description: "Prints the latest stored result of every file in the results store.\n\n" +
			"Example:\n   tracescan report --db results.db --format html -o report.html",
		Flags: append(outputFlags(), &cli.StringFlag{Name: "db", Usage: "results store `PATH` (default: per-user cache)"}),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("report takes no arguments")
			}
			outs, err := parseOutputs(c.String("format"), c.StringSlice("output"))
			if err != nil {
				return err
			}
			path := c.String("db")
			if path == "" {
				if path, err = store.DefaultPath(); err != nil {
					return err
				}
			}
			if _, err := os.Stat(path); err != nil {
				return fmt.Errorf("no results store at %s: %w", path, err)
			}
			st, err := store.Open(c.Context, path)
			if err != nil {
				return err
			}
			defer st.Close()
			files, err := st.Latest(c.Context)
			if err != nil {
				return err
			}
			rep := &report.ScanReport{SchemaVersion: report.SchemaVersion,
				Tool: report.Tool{Name: "tracescan", Version: version}, Files: files}
			rep.Finalize()
			return finishReport(c, rep, outs, stdout)
		},
	}
}

// mergeCommand combines the JSON reports of several shards.
func mergeCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "combine JSON reports (e.g. from --shard runs) into one",
		ArgsUsage: "REPORT.json...",
		Description: "Files that appear in several reports keep the last report's result.\n\n" +
			"Example:\n   tracescan merge shard-1.json shard-2.json --format json -o all.json",
		Flags: outputFlags(),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usagef("merge needs at least one JSON report")
			}
			outs, err := parseOutputs(c.String("format"), c.StringSlice("output"))
			if err != nil {
				return err
			}
			merged := &report.ScanReport{SchemaVersion: report.SchemaVersion,
				Tool: report.Tool{Name: "tracescan", Version: version}}
			index := map[string]int{}
			for _, name := range c.Args().Slice() {
				r, err := readReport(name)
				if err != nil {
					return err
				}
				merged.Redacted = merged.Redacted || r.Redacted
				merged.Summary.FilesSkipped += r.Summary.FilesSkipped
				merged.Summary.ElapsedS = max(merged.Summary.ElapsedS, r.Summary.ElapsedS)
				for _, f := range r.Files {
					if i, ok := index[f.Path]; ok {
						merged.Files[i] = f
						continue
					}
					index[f.Path] = len(merged.Files)
					merged.Files = append(merged.Files, f)
				}
			}
			elapsed := merged.Summary.ElapsedS
			merged.Finalize()
			merged.Summary.ElapsedS = elapsed
			return finishReport(c, merged, outs, stdout)
		},
	}
}

func readReport(name string) (*report.ScanReport, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := report.ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return r, nil
}

// finishReport redacts if asked, renders, and maps findings and errors to
// the exit code as scan does.
func finishReport(c *cli.Context, rep *report.ScanReport, outs []output, stdout io.Writer) error {
	if c.Bool("redact") {
		redactReport(rep)
	}
	if err := writeOutputs(rep, outs, stdout, c.Bool("no-color")); err != nil {
		return err
	}
	if rep.Summary.FilesFailed > 0 {
		return &exitCodeError{exitErrors}
	}
	if reaches(rep, report.Medium) {
		return &exitCodeError{exitFindings}
	}
	return nil
}
