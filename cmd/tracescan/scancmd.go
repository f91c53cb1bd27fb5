package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"tracescan/report"
	"tracescan/scan"
	"tracescan/store"
)

func scanCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "scan",
		Usage:     "scan recordings and folders for identifying marks",
		ArgsUsage: "PATH...",
		Description: "Scans files and folders (recursively). Media is recognised by its content, not its\n" +
			"name; other files in folders are skipped and counted. Side files next to a recording\n" +
			"(chat logs, captions, playlists) are checked with it.\n\n" +
			"Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,\n" +
			"2 usage error, 3 some input could not be scanned (the others still were).\n\n" +
			"Examples:\n" +
			"   tracescan scan leak.mp4\n" +
			"   tracescan scan --format json --fail-on high ./exports/\n" +
			"   tracescan scan --redact --scanners metadata *.m4a",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "scanners", Value: strings.Join(scannerNames, ","), Usage: "comma-separated scanners to run: " + strings.Join(scannerNames, ", ")},
			&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "files scanned at once (default: number of cores)"},
			&cli.BoolFlag{Name: "follow-symlinks", Usage: "follow symbolic links inside folders (links named on the command line are always followed)"},
			&cli.StringSliceFlag{Name: "include", Usage: "only scan files whose name or relative path matches `GLOB` (repeatable)"},
			&cli.StringSliceFlag{Name: "exclude", Usage: "skip files whose name or relative path matches `GLOB` (repeatable)"},
			&cli.DurationFlag{Name: "timeout", Usage: "give up on a single file after `DURATION` (e.g. 10m); 0 means no limit"},
			&cli.StringFlag{Name: "db", Usage: "results store `PATH` (default: per-user cache, see README)"},
			&cli.BoolFlag{Name: "no-store", Usage: "do not read or write the results store"},
			&cli.StringFlag{Name: "shard", Usage: "scan only share `K/N` of the inputs (by path hash), for N machines"},
		}, reportFlags("no progress or warnings on stderr")...),
		Action: func(c *cli.Context) error { return runScan(c, stdout, stderr) },
	}
}

func runScan(c *cli.Context, stdout, stderr io.Writer) error {
	if c.NArg() == 0 {
		return usagef("scan needs at least one file or folder")
	}
	outs, failOn, err := parseReportFlags(c)
	if err != nil {
		return err
	}
	var shard scan.Shard
	if s := c.String("shard"); s != "" {
		if shard, err = scan.ParseShard(s); err != nil {
			return usagef("%v", err)
		}
	}
	if c.Int("jobs") < 0 {
		return usagef("--jobs must be positive")
	}
	for _, g := range append(c.StringSlice("include"), c.StringSlice("exclude")...) {
		if _, err := filepath.Match(g, ""); err != nil {
			return usagef("bad glob %q: %v", g, err)
		}
	}
	detectors, err := buildDetectors(c.String("scanners"))
	if err != nil {
		return err
	}
	log := newLogger(stderr, c.Bool("verbose"), c.Bool("quiet"))

	restore, err := privateTempDir()
	if err != nil {
		return err
	}
	defer restore()

	var st *store.Store
	if !c.Bool("no-store") {
		if st, err = openStore(c); err != nil {
			return err
		}
		defer st.Close()
	}

	progress := newProgress(stderr, c.Bool("quiet"))
	rep, err := scan.Run(c.Context, c.Args().Slice(), scan.Options{
		Detectors:      detectors,
		Jobs:           c.Int("jobs"),
		FollowSymlinks: c.Bool("follow-symlinks"),
		Include:        c.StringSlice("include"),
		Exclude:        c.StringSlice("exclude"),
		FileTimeout:    c.Duration("timeout"),
		Platform:       platformGuesser(c.String("scanners")),
		Store:          st,
		Shard:          shard,
		Progress:       progress.update,
		Logger:         log,
		Tool:           report.Tool{Name: "tracescan", Version: version},
	})
	progress.done()
	if err != nil {
		return err
	}
	if err := deliver(c, rep, outs, stdout); err != nil {
		return err
	}
	if !c.Bool("quiet") {
		printSummary(stderr, rep)
	}
	// One line per unreadable input, naming the file and the reason.
	failed := false
	for _, f := range rep.Files {
		for _, e := range f.Errors {
			failed = true
			fmt.Fprintf(stderr, "tracescan: %s: %s\n", report.Sanitize(f.Path, false), report.Sanitize(e, false))
		}
	}
	switch {
	case failed:
		return &exitCodeError{exitErrors}
	case reaches(rep, failOn):
		return &exitCodeError{exitFindings}
	}
	return nil
}

func reaches(rep *report.ScanReport, failOn report.Severity) bool {
	for _, f := range rep.Files {
		if s, ok := f.MaxSeverity(); ok && s >= failOn {
			return true
		}
	}
	return false
}

// writeEvidence saves each finding's pictures and records their paths.
func writeEvidence(dir string, rep *report.ScanReport) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating evidence dir: %w", err)
	}
	n := 0
	for i := range rep.Files {
		for j := range rep.Files[i].Findings {
			x := &rep.Files[i].Findings[j]
			for k := range x.Images {
				ev := &x.Images[k]
				if len(ev.Data) == 0 {
					continue
				}
				n++
				name := filepath.Join(dir, fmt.Sprintf("%03d-%s.png", n, x.Kind))
				if err := os.WriteFile(name, ev.Data, 0o600); err != nil {
					return fmt.Errorf("writing evidence: %w", err)
				}
				ev.Path = name
			}
		}
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progress draws one self-overwriting line on stderr when it is a terminal.
type progress struct {
	w       io.Writer
	enabled bool
	start   time.Time
	drawn   bool
}

func newProgress(stderr io.Writer, quiet bool) *progress {
	return &progress{w: stderr, enabled: !quiet && isTerminal(stderr), start: time.Now()}
}

func (p *progress) update(done, total int, path string) {
	if !p.enabled {
		return
	}
	name := report.Sanitize(filepath.Base(path), false)
	if len(name) > 40 {
		name = name[:37] + "..."
	}
	fmt.Fprintf(p.w, "\r\x1b[K[%d/%d] %s  %.0fs", done, total, name, time.Since(p.start).Seconds())
	p.drawn = true
}

func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

func openStore(c *cli.Context) (*store.Store, error) {
	path := c.String("db")
	if path == "" {
		var err error
		if path, err = store.DefaultPath(); err != nil {
			return nil, err
		}
	}
	return store.Open(c.Context, path)
}

// printSummary closes a run on stderr: counts and time, never on stdout.
func printSummary(w io.Writer, rep *report.ScanReport) {
	s := rep.Summary
	cached := 0
	for _, f := range rep.Files {
		if f.Cached {
			cached++
		}
	}
	fmt.Fprintf(w, "tracescan: %d scanned (%d from the results store), %d skipped, %d failed; findings: high %d, medium %d, low %d, info %d; %.1f s\n",
		s.FilesScanned, cached, s.FilesSkipped, s.FilesFailed, s.BySeverity["high"], s.BySeverity["medium"],
		s.BySeverity["low"], s.BySeverity["info"], s.ElapsedS)
}

// privateTempDir points TMPDIR (used by ffmpeg children and Go code) at a
// new private folder for decoded audio and frames of a leaked meeting. The
// returned function removes it and restores TMPDIR; callers defer it, so it
// also runs after Ctrl-C, which only cancels the context.
func privateTempDir() (restore func(), err error) {
	tmp, err := os.MkdirTemp("", "tracescan-")
	if err != nil {
		return nil, fmt.Errorf("creating private temp dir: %w", err)
	}
	prevTmp, hadTmp := os.LookupEnv("TMPDIR")
	os.Setenv("TMPDIR", tmp)
	return func() {
		os.RemoveAll(tmp)
		if hadTmp {
			os.Setenv("TMPDIR", prevTmp)
		} else {
			os.Unsetenv("TMPDIR")
		}
	}, nil
}
