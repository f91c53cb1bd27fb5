package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"tracescan/report"
	"tracescan/samples/screenshare"
)

func TestDiffUsageAndBadInput(t *testing.T) {
	t.Parallel()
	f := makeFixtures(t)
	missing := filepath.Join(f.dir, "missing.mp4")
	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"one copy", []string{"diff", f.clean}, exitUsage, "exactly two files"},
		{"a folder", []string{"diff", f.clean, f.dir}, exitUsage, "is a folder"},
		{"missing copy", []string{"diff", f.clean, missing}, exitErrors, "missing.mp4: no such file"},
		{"not media", []string{"diff", filepath.Join(f.bad, "notes.mp4"), f.clean}, exitErrors, "notes.mp4: "},
		{"unknown medium", []string{"diff", "--scanners", "metadata", f.clean, f.tagged}, exitUsage, "not \"metadata\""},
	}
	for _, tc := range tests {
		code, _, stderr := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.inStderr) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", tc.name, code, stderr, tc.code, tc.inStderr)
		}
		if tc.code == exitErrors && strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%s: want one error line, got %q", tc.name, stderr)
		}
	}
}

// TestDiffVideoPair compares two viewers' copies of one screen share (one
// mark each), one recording encoded twice, and copies of two different
// meetings, through the CLI in a child process (Tesseract needs its thread
// limit set before the process starts).
func TestDiffVideoPair(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name    string
		seed    int64
		spec    screenshare.PairSpec
		code    int
		flagged bool // a copy_difference finding is expected
	}{
		{"two viewers", 111, screenshare.PairSpec{Kind: screenshare.PairPositive, Duration: 10, Opacity: 0.25, Layout: screenshare.LayoutTiled}, exitFindings, true},
		{"one recording encoded twice", 112, screenshare.PairSpec{Kind: screenshare.PairNegative, Duration: 9}, exitOK, false},
		{"different meetings", 113, screenshare.PairSpec{Kind: screenshare.PairDifferent, Duration: 9}, exitErrors, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lbl, err := screenshare.GeneratePair(ctx, t.TempDir(), tc.seed, tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			cmd := cliCommand(t, "diff", "--format", "json", "--scanners", "video", lbl.A.Path, lbl.B.Path)
			cmd.Env = append(cmd.Env, "OMP_THREAD_LIMIT=1")
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			code := exitCode(cmd.Run())
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.code, errb.String())
			}
			if tc.code == exitErrors {
				if !strings.Contains(errb.String(), "do not line up") {
					t.Errorf("stderr %q does not say the copies do not line up", errb.String())
				}
				return
			}
			var rep report.ScanReport
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatalf("json: %v\n%s", err, out.String())
			}
			if len(rep.Files) != 1 || rep.Files[0].ComparedWith != lbl.B.Path {
				t.Fatalf("want one report comparing %s with %s, got %+v", lbl.A.Path, lbl.B.Path, rep.Files)
			}
			copies := ""
			for _, f := range rep.Files[0].Findings {
				if f.Kind == report.KindCopyDifference {
					copies += f.Copy
				}
			}
			// Pairs count as flagged when either copy's mark is found; each
			// finding names its copy.
			if (copies != "") != tc.flagged || strings.Trim(copies, "ab") != "" {
				t.Errorf("copy_difference findings for copies %q, want flagged=%v", copies, tc.flagged)
			}
		})
	}
}
