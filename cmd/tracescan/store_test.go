package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"
	"tracescan/internal/fftest"

	"tracescan/report"
)

// cliCommand runs the program in a child process (to kill it, or to run it
// as another user): the test binary itself, which TestMain turns into the
// CLI when TRACESCAN_TEST_MAIN is set. It is copied to a folder any user
// can read.
func cliCommand(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "tracescan-bin-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "tracescan")
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TRACESCAN_TEST_MAIN=1")
	// A child another parallel test forked while the copy was open for
	// writing holds it until that child execs, and starting the copy
	// meanwhile fails with "text file busy" (golang.org/issue/22315): a
	// CI run once saw exit -1 and no output. Wait until it starts.
	for try := 0; ; try++ {
		probe := exec.Command(bin, "version")
		probe.Env = env
		err := probe.Run()
		if !errors.Is(err, syscall.ETXTBSY) {
			break
		}
		if try == 100 {
			t.Fatalf("starting %s: %v", bin, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	return cmd
}

// findingsByFile is the comparable part of a report: per path, the findings
// with timing and cache flags left out.
func findingsByFile(t *testing.T, data []byte) map[string]string {
	t.Helper()
	var rep report.ScanReport
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, data)
	}
	out := map[string]string{}
	for _, f := range rep.Files {
		b, _ := json.Marshal(struct {
			F []report.Finding
			E []string
		}{f.Findings, f.Errors})
		out[filepath.Base(f.Path)] = string(b)
	}
	return out
}

func storedCount(dbPath string) int {
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro&_pragma=busy_timeout(2000)")
	if err != nil {
		return 0
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM paths`).Scan(&n); err != nil {
		return 0
	}
	return n
}

// TestKillAndResume kills a scan with SIGKILL halfway, resumes it, and
// checks that the result equals an uninterrupted scan's, and that the
// database stayed readable with every finished file kept.
func TestKillAndResume(t *testing.T) {
	dir := t.TempDir()
	const n = 24
	for i := range n {
		args := []string{"-f", "lavfi", "-i", fmt.Sprintf("sine=f=%d:d=4", 300+40*i), "-c:a", "aac"}
		if i%3 == 0 {
			args = append(args, "-metadata", fmt.Sprintf("artist=Speaker %d", i), "-metadata",
				fmt.Sprintf("comment=contact p%d@example.org", i))
		}
		fftest.Run(t, append(args, filepath.Join(dir, fmt.Sprintf("rec-%02d.m4a", i)))...)
	}
	scanArgs := []string{"scan", "--scanners", "metadata,audio", "--jobs", "1", "--format", "json", "--quiet", dir}

	// Uninterrupted reference, without a store.
	ref, err := cliCommand(t, append([]string{"scan", "--no-store"}, scanArgs[1:]...)...).Output()
	if code := exitCode(err); code != exitFindings && code != exitOK {
		t.Fatalf("reference scan exit %d: %v", code, err)
	}

	db := filepath.Join(t.TempDir(), "results.db")
	withDB := append([]string{scanArgs[0], "--db", db}, scanArgs[1:]...)
	cmd := cliCommand(t, withDB...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for storedCount(db) < n/4 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	kept := storedCount(db)
	if kept < n/4 || kept >= n {
		t.Fatalf("killed with %d of %d files stored: not halfway", kept, n)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	resumedCmd := cliCommand(t, withDB...)
	go func() { <-ctx.Done(); resumedCmd.Process.Kill() }()
	resumed, err := resumedCmd.Output()
	if code := exitCode(err); code != exitFindings && code != exitOK {
		t.Fatalf("resumed scan exit %d: %v", code, err)
	}
	var rep report.ScanReport
	json.Unmarshal(resumed, &rep)
	cached := 0
	for _, f := range rep.Files {
		if f.Cached {
			cached++
		}
	}
	if cached < kept {
		t.Errorf("resumed scan took %d files from the store, %d were kept", cached, kept)
	}
	want, got := findingsByFile(t, ref), findingsByFile(t, resumed)
	if len(want) != n || len(got) != n {
		t.Fatalf("reference has %d files, resumed %d, want %d", len(want), len(got), n)
	}
	var diffs []string
	for k, v := range want {
		if got[k] != v {
			diffs = append(diffs, k)
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("resumed findings differ for %v", diffs)
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// TestShardsMerge scans a folder in three shards, merges the JSON reports,
// and checks the merge equals one whole scan, with no file scanned twice.
func TestShardsMerge(t *testing.T) {
	dir := t.TempDir()
	for i := range 12 {
		args := []string{"-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac"}
		if i%2 == 0 {
			args = append(args, "-metadata", fmt.Sprintf("title=Call with p%d@example.org", i))
		}
		fftest.Run(t, append(args, filepath.Join(dir, fmt.Sprintf("r%02d.m4a", i)))...)
	}
	out := t.TempDir()
	_, whole, _ := runCLI(t, "scan", "--no-store", "--scanners", "metadata", "--format", "json", dir)
	var parts []string
	seen := map[string]int{}
	for k := 1; k <= 3; k++ {
		p := filepath.Join(out, fmt.Sprintf("shard-%d.json", k))
		code, _, errs := runCLI(t, "scan", "--no-store", "--scanners", "metadata", "--quiet",
			"--shard", fmt.Sprintf("%d/3", k), "-o", "json="+p, dir)
		if code != exitOK && code != exitFindings {
			t.Fatalf("shard %d exit %d: %s", k, code, errs)
		}
		data, _ := os.ReadFile(p)
		for name := range findingsByFile(t, data) {
			seen[name]++
		}
		parts = append(parts, p)
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s scanned by %d shards", name, n)
		}
	}
	merged := filepath.Join(out, "all.json")
	code, _, errs := runCLI(t, append([]string{"merge", "--format", "json", "-o", merged}, parts...)...)
	if code != exitFindings {
		t.Errorf("merge exit %d: %s", code, errs)
	}
	data, _ := os.ReadFile(merged)
	want, got := findingsByFile(t, []byte(whole)), findingsByFile(t, data)
	if len(want) != 12 || len(got) != 12 {
		t.Fatalf("whole scan %d files, merged %d", len(want), len(got))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s differs after merge", k)
		}
	}
}

// TestStoreRescanAndReport checks that an unchanged re-scan comes from the
// store and that `report` re-renders it, HTML included.
func TestStoreRescanAndReport(t *testing.T) {
	dir := t.TempDir()
	for i := range 4 {
		fftest.Run(t, "-f", "lavfi", "-i", fmt.Sprintf("sine=f=%d:d=1", 300+100*i), "-c:a", "aac", "-metadata", "artist=Anna Schmidt",
			filepath.Join(dir, fmt.Sprintf("r%d.m4a", i)))
	}
	db := filepath.Join(t.TempDir(), "r.db")
	_, first, _ := runCLI(t, "scan", "--db", db, "--scanners", "metadata", "--format", "json", dir)
	_, second, _ := runCLI(t, "scan", "--db", db, "--scanners", "metadata", "--format", "json", dir)
	var rep report.ScanReport
	json.Unmarshal([]byte(second), &rep)
	for _, f := range rep.Files {
		if !f.Cached {
			t.Errorf("%s rescanned although unchanged", f.Path)
		}
	}
	want, got := findingsByFile(t, []byte(first)), findingsByFile(t, []byte(second))
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: stored findings differ", k)
		}
	}
	// Another detector set is another key: nothing reused.
	_, third, _ := runCLI(t, "scan", "--db", db, "--scanners", "metadata,audio", "--format", "json", dir)
	var rep3 report.ScanReport
	json.Unmarshal([]byte(third), &rep3)
	for _, f := range rep3.Files {
		if f.Cached {
			t.Errorf("%s reused with a different detector set", f.Path)
		}
	}
	// A renamed copy is taken from the store but reports its own name.
	os.Rename(filepath.Join(dir, "r0.m4a"), filepath.Join(dir, "zoom_0.m4a"))
	_, fourth, _ := runCLI(t, "scan", "--db", db, "--scanners", "metadata", "--format", "json", dir)
	if !bytes.Contains([]byte(fourth), []byte("zoom_0.m4a -map")) || bytes.Contains([]byte(fourth), []byte("r0.m4a -map")) {
		t.Error("renamed file's findings still name the old path")
	}
	html := filepath.Join(t.TempDir(), "r.html")
	code, _, errs := runCLI(t, "report", "--db", db, "--format", "html", "-o", html)
	if code != exitFindings {
		t.Errorf("report exit %d: %s", code, errs)
	}
	page, _ := os.ReadFile(html)
	if !bytes.Contains(page, []byte("Anna Schmidt")) || !bytes.Contains(page, []byte("r3.m4a")) {
		t.Error("HTML report lacks the stored findings")
	}
	code, _, errs = runCLI(t, "report", "--db", filepath.Join(t.TempDir(), "none.db"))
	if code != exitErrors || !bytes.Contains([]byte(errs), []byte("no results store")) {
		t.Errorf("missing db: exit %d, %s", code, errs)
	}
}
