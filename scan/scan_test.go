package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"tracescan/internal/fftest"

	"tracescan/media"
	"tracescan/report"
)

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWalk(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.mp4"), "x")
	writeFile(t, filepath.Join(dir, "sub", "b.m4a"), "x")
	writeFile(t, filepath.Join(dir, "sub", "notes.txt"), "x")
	writeFile(t, filepath.Join(dir, ".hidden", "c.mp4"), "x")
	writeFile(t, filepath.Join(dir, ".DS_Store"), "x")
	os.Symlink(dir, filepath.Join(dir, "sub", "loop"))                      // a loop back to the root
	os.Symlink(filepath.Join(dir, "a.mp4"), filepath.Join(dir, "link.mp4")) // a file link
	os.Symlink(filepath.Join(dir, "self"), filepath.Join(dir, "self"))      // a link to itself

	rel := func(r walkResult) []string {
		var out []string
		for _, c := range r.files {
			p, _ := filepath.Rel(dir, c.path)
			out = append(out, p)
		}
		sort.Strings(out)
		return out
	}
	tests := []struct {
		name      string
		paths     []string
		opt       walkOptions
		want      string
		skipped   int
		errSubstr string
	}{
		{"links not followed", []string{dir}, walkOptions{}, "a.mp4 sub/b.m4a sub/notes.txt", 3, "symbolic link loop"},
		{"links followed, loop reported", []string{dir}, walkOptions{followSymlinks: true},
			"a.mp4 link.mp4 sub/b.m4a sub/notes.txt", 1, "symbolic link loop"},
		{"include", []string{dir}, walkOptions{include: []string{"*.m4a"}}, "sub/b.m4a", 5, "symbolic link loop"},
		{"exclude relative path", []string{dir}, walkOptions{exclude: []string{"sub/*"}}, "a.mp4", 5, "symbolic link loop"},
		{"explicit link loop", []string{filepath.Join(dir, "self")}, walkOptions{}, "", 0, "symbolic link loop"},
		{"missing", []string{filepath.Join(dir, "nope")}, walkOptions{}, "", 0, "no such file"},
		{"explicit file twice", []string{filepath.Join(dir, "a.mp4"), filepath.Join(dir, "a.mp4")}, walkOptions{}, "a.mp4", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := walk(tt.paths, tt.opt)
			if got := strings.Join(rel(r), " "); got != tt.want {
				t.Errorf("files = %q, want %q", got, tt.want)
			}
			if len(r.skipped) != tt.skipped {
				t.Errorf("skipped = %v, want %d", r.skipped, tt.skipped)
			}
			var errs []string
			for _, e := range r.errors {
				errs = append(errs, e.err.Error())
			}
			joined := strings.Join(errs, "; ")
			if tt.errSubstr == "" && joined != "" || !strings.Contains(joined, tt.errSubstr) {
				t.Errorf("errors = %q, want %q", joined, tt.errSubstr)
			}
		})
	}
}

// fakeDetector counts calls and returns one finding per file.
type fakeDetector struct {
	name  string
	calls atomic.Int32
	delay time.Duration
	err   error
}

func (d *fakeDetector) Name() string { return d.name }
func (d *fakeDetector) Detect(ctx context.Context, info *media.Info) ([]report.Finding, error) {
	d.calls.Add(1)
	select {
	case <-time.After(d.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if d.err != nil {
		return nil, d.err
	}
	return []report.Finding{{Kind: report.KindMetadata, Severity: report.Low, Detector: d.name,
		Title: "seen", Text: filepath.Base(info.Path)}}, nil
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"one.mp4", "two words.m4a", "ünï.mkv"} {
		fftest.Run(t, "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", "-f", "mp4", filepath.Join(dir, name))
	}
	writeFile(t, filepath.Join(dir, "readme.txt"), "hello")            // skipped: not media, not a media name
	writeFile(t, filepath.Join(dir, "fake.mp4"), "not really a video") // error: media name, not media
	writeFile(t, filepath.Join(dir, "empty.wav"), "")

	good := &fakeDetector{name: "metadata"}
	bad := &fakeDetector{name: "audio", err: errors.New("decoder exploded")}
	rep, err := Run(context.Background(), []string{dir}, Options{Detectors: []Detector{good, bad}, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.FilesSkipped != 1 {
		t.Errorf("skipped = %d, want 1", rep.Summary.FilesSkipped)
	}
	if len(rep.Files) != 5 {
		t.Fatalf("%d files in report", len(rep.Files))
	}
	byName := map[string]report.FileReport{}
	for _, f := range rep.Files {
		byName[filepath.Base(f.Path)] = f
	}
	for _, name := range []string{"one.mp4", "two words.m4a", "ünï.mkv"} {
		f := byName[name]
		if len(f.Findings) != 1 || f.Media == nil {
			t.Errorf("%s: findings %v media %v", name, f.Findings, f.Media)
		}
		if len(f.Errors) != 1 || !strings.Contains(f.Errors[0], "audio: decoder exploded") {
			t.Errorf("%s: errors %v", name, f.Errors)
		}
	}
	if e := byName["fake.mp4"].Errors; len(e) != 1 || !strings.Contains(e[0], "cannot read as media") {
		t.Errorf("fake.mp4 errors = %v", e)
	}
	if e := byName["empty.wav"].Errors; len(e) != 1 || !strings.Contains(e[0], "empty file") {
		t.Errorf("empty.wav errors = %v", e)
	}
	if good.calls.Load() != 3 {
		t.Errorf("detector ran %d times, want 3", good.calls.Load())
	}
}

func TestRunCancel(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.m4a", "b.m4a", "c.m4a", "d.m4a"} {
		fftest.Run(t, "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", filepath.Join(dir, name))
	}
	ctx, cancel := context.WithCancel(context.Background())
	slow := &fakeDetector{name: "metadata", delay: time.Minute}
	go func() { time.Sleep(300 * time.Millisecond); cancel() }()
	start := time.Now()
	_, err := Run(ctx, []string{dir}, Options{Detectors: []Detector{slow}, Jobs: 2})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancel took %v", d)
	}
}

func TestRunTimeout(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.m4a")
	fftest.Run(t, "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", p)
	slow := &fakeDetector{name: "metadata", delay: time.Minute}
	rep, err := Run(context.Background(), []string{p}, Options{Detectors: []Detector{slow}, FileTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if e := rep.Files[0].Errors; len(e) != 1 || !strings.Contains(e[0], "timed out") {
		t.Errorf("errors = %v", e)
	}
}

func TestShard(t *testing.T) {
	var paths []string
	for i := range 1000 {
		paths = append(paths, fmt.Sprintf("exports/meeting-%04d.mp4", i))
	}
	for _, n := range []int{1, 2, 3, 7} {
		counts := make([]int, n)
		for _, p := range paths {
			owners := 0
			for k := 1; k <= n; k++ {
				if (Shard{Index: k, Of: n}).Owns(p) {
					owners++
					counts[k-1]++
				}
			}
			if owners != 1 {
				t.Fatalf("%s owned by %d of %d shards", p, owners, n)
			}
		}
		for k, c := range counts {
			if c < 1000/n/2 {
				t.Errorf("shard %d/%d got %d of 1000 files", k+1, n, c)
			}
		}
	}
	for _, bad := range []string{"0/2", "3/2", "x/2", "1", "1/0", ""} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	if s, err := ParseShard("2/3"); err != nil || s != (Shard{2, 3}) {
		t.Errorf("ParseShard(2/3) = %v, %v", s, err)
	}
}

// TestDetectorKeyNamesBuild: stored results are keyed by the build, so an
// upgraded or rebuilt program does not serve results its old code found.
func TestDetectorKeyNamesBuild(t *testing.T) {
	id := buildID()
	if id == "" || id == "unknown" {
		t.Fatalf("build id %q", id)
	}
	key := detectorKey(nil)
	if !strings.HasSuffix(key, "+"+id) {
		t.Errorf("detector key %q does not name the build %q", key, id)
	}
}
