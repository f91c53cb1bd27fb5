package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"tracescan/compare"
	"tracescan/report"
	"tracescan/scan"
)

func diffCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "compare two copies of one meeting: what differs between them is their personal marks",
		ArgsUsage: "COPY-A COPY-B",
		Description: "Aligns two recordings of the same meeting (offsets of minutes, other codecs, sample\n" +
			"rates, resolutions, crops and clock drift are allowed) and reports what differs beyond\n" +
			"what encoding alone leaves: hidden audio marks (band, time, level against the codec\n" +
			"floor) and each copy's visible mark (region, text). Copies of different meetings are\n" +
			"an error, not a finding.\n\n" +
			"Exit codes as for scan: 0 nothing at or above --fail-on, 1 findings at or above it,\n" +
			"2 usage error, 3 a copy could not be read or the copies do not line up.\n\n" +
			"Example:\n   tracescan diff --format html -o diff.html copy-from-anna.mp4 copy-from-ben.mp4",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "scanners", Value: "audio,video", Usage: "what to compare: audio, video or both"},
		}, reportFlags("no warnings on stderr")...),
		Action: func(c *cli.Context) error { return runDiff(c, stdout, stderr) },
	}
}

func runDiff(c *cli.Context, stdout, stderr io.Writer) error {
	if c.NArg() != 2 {
		return usagef("diff needs exactly two files, the two copies")
	}
	outs, failOn, err := parseReportFlags(c)
	if err != nil {
		return err
	}
	var opt compare.Options
	for _, s := range strings.Split(c.String("scanners"), ",") {
		switch strings.TrimSpace(s) {
		case "audio":
			opt.Audio = true
		case "video":
			opt.Video = true
		case "":
		default:
			return usagef("diff compares audio and video, not %q", s)
		}
	}
	if !opt.Audio && !opt.Video {
		return usagef("--scanners needs audio, video or both")
	}
	newLogger(stderr, c.Bool("verbose"), c.Bool("quiet"))
	a, b := c.Args().Get(0), c.Args().Get(1)
	for _, p := range []string{a, b} {
		if st, err := os.Stat(p); err != nil {
			fmt.Fprintf(stderr, "tracescan: %s: %s\n", report.Sanitize(p, false), scan.DescribeStat(err))
			return &exitCodeError{exitErrors}
		} else if st.IsDir() {
			return usagef("%s is a folder: diff compares two files", p)
		}
	}

	restore, err := privateTempDir()
	if err != nil {
		return err
	}
	defer restore()

	start := time.Now()
	fr, err := compare.Compare(c.Context, a, b, opt)
	if err != nil {
		if errors.Is(err, c.Context.Err()) && c.Context.Err() != nil {
			return c.Context.Err()
		}
		var ie *compare.InputError
		switch {
		case errors.As(err, &ie):
			fmt.Fprintf(stderr, "tracescan: %s: %s\n", report.Sanitize(ie.Path, false), report.Sanitize(ie.Err.Error(), false))
		default:
			fmt.Fprintf(stderr, "tracescan: %s and %s: %s\n", report.Sanitize(a, false), report.Sanitize(b, false), err)
		}
		return &exitCodeError{exitErrors}
	}
	rep := &report.ScanReport{SchemaVersion: report.SchemaVersion,
		Tool: report.Tool{Name: "tracescan", Version: version}, Files: []report.FileReport{*fr}}
	rep.Finalize()
	rep.Summary.ElapsedS = time.Since(start).Seconds()
	if err := deliver(c, rep, outs, stdout); err != nil {
		return err
	}
	for _, e := range fr.Errors {
		if !c.Bool("quiet") {
			fmt.Fprintf(stderr, "tracescan: %s\n", report.Sanitize(e, false))
		}
	}
	if reaches(rep, failOn) {
		return &exitCodeError{exitFindings}
	}
	return nil
}
