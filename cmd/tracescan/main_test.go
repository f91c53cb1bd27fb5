package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"tracescan/internal/fftest"
	"tracescan/ocr"
	"tracescan/report"
)

// TestMain keeps the default results store of every test run, in-process
// or in a child, out of the user's cache.
func TestMain(m *testing.M) {
	if os.Getenv("TRACESCAN_TEST_MAIN") == "1" {
		os.Exit(run(append([]string{"tracescan"}, os.Args[1:]...), os.Stdout, ocr.StableStderr()))
	}
	cache, err := os.MkdirTemp("", "tracescan-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", cache)
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}

// runCLI drives the program in-process.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"tracescan"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// fixtures makes one clean recording, one with identifying tags, and every
// kind of bad input the CLI must survive.
type fixtures struct {
	dir, clean, tagged, bad string
	badFiles                map[string]string // name -> expected reason
}

func makeFixtures(t *testing.T) fixtures {
	t.Helper()
	root := t.TempDir()
	f := fixtures{dir: root, badFiles: map[string]string{}}
	good := filepath.Join(root, "good")
	os.MkdirAll(good, 0o755)
	f.clean = filepath.Join(good, "Café Meeting – Ünïcode.m4a")
	fftest.Run(t, "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", "-map_metadata", "-1", "-fflags", "+bitexact", f.clean)
	f.tagged = filepath.Join(good, "tagged.m4a")
	fftest.Run(t, "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", "-metadata", "artist=Anna Schmidt",
		"-metadata", "comment=recorded by anna.schmidt@example.com", f.tagged)

	f.bad = filepath.Join(root, "bad")
	os.MkdirAll(f.bad, 0o755)
	write := func(name string, data []byte, reason string) {
		os.WriteFile(filepath.Join(f.bad, name), data, 0o644)
		f.badFiles[name] = reason
	}
	write("empty.mp4", nil, "empty file")
	write("notes.mp4", []byte("These are meeting notes, not a video.\n"), "cannot read as media")
	src := filepath.Join(root, "src.mp4")
	fftest.Run(t, "-f", "lavfi", "-i", "testsrc2=s=160x120:d=2", "-c:v", "libx264", "-preset", "ultrafast", src)
	data, _ := os.ReadFile(src)
	write("truncated.mp4", data[:len(data)/4], "cannot read as media")
	fftest.Run(t, "-f", "lavfi", "-i", "anullsrc=r=48000", "-t", "0", "-c:a", "aac", filepath.Join(f.bad, "zero.m4a"))
	f.badFiles["zero.m4a"] = "no audio or video stream"
	os.Symlink("loop.mp4", filepath.Join(f.bad, "loop.mp4"))
	f.badFiles["loop.mp4"] = "symbolic link loop"
	return f
}

func TestExitCodes(t *testing.T) {
	f := makeFixtures(t)
	tests := []struct {
		name       string
		args       []string
		want       int
		stderrHas  string
		stdoutHas  string
		stdoutNone string
	}{
		{"version", []string{"version"}, exitOK, "", "tracescan ", ""},
		{"help", []string{"--help"}, exitOK, "", "USAGE", ""},
		{"scan help", []string{"scan", "--help"}, exitOK, "", "--fail-on", ""},
		{"clean file", []string{"scan", "--scanners", "metadata", f.clean}, exitOK, "", "No identifying marks", ""},
		{"findings", []string{"scan", "--scanners", "metadata", f.tagged}, exitFindings, "", "HIGH", ""},
		{"findings below fail-on", []string{"scan", "--scanners", "metadata", "--fail-on", "none", f.tagged}, exitOK, "", "HIGH", ""},
		{"redacted", []string{"scan", "--scanners", "metadata", "--redact", f.tagged}, exitFindings, "", "masked", "anna.schmidt@example.com"},
		{"no args", []string{"scan"}, exitUsage, "at least one", "", ""},
		{"bad flag", []string{"scan", "--nope", f.clean}, exitUsage, "nope", "", ""},
		{"bad format", []string{"scan", "--format", "xml", f.clean}, exitUsage, "format", "", ""},
		{"bad scanner", []string{"scan", "--scanners", "radar", f.clean}, exitUsage, "radar", "", ""},
		{"bad fail-on", []string{"scan", "--fail-on", "urgent", f.clean}, exitUsage, "fail-on", "", ""},
		{"unknown command", []string{"scna"}, exitUsage, "scna", "", ""},
		{"missing file", []string{"scan", "--scanners", "metadata", filepath.Join(f.dir, "nope.mp4")}, exitErrors, "no such file", "", ""},
		{"bad folder, good file", []string{"scan", "--scanners", "metadata", f.bad, f.tagged}, exitErrors, "empty file", "HIGH", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.want, out, errs)
			}
			if !strings.Contains(errs, tt.stderrHas) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderrHas, errs)
			}
			if !strings.Contains(out, tt.stdoutHas) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdoutHas, out)
			}
			if tt.stdoutNone != "" && strings.Contains(out, tt.stdoutNone) {
				t.Errorf("stdout contains %q", tt.stdoutNone)
			}
		})
	}
}

// TestBadInputs checks that every bad input gets exactly one stderr line
// naming it with the reason, that the good files are still scanned, and that
// nothing is modified.
func TestBadInputs(t *testing.T) {
	f := makeFixtures(t)
	before := snapshot(t, f.dir)
	code, out, errs := runCLI(t, "scan", "--scanners", "metadata", "--format", "json", f.dir)
	if code != exitErrors {
		t.Errorf("exit %d, want %d", code, exitErrors)
	}
	var rep report.ScanReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	for name, reason := range f.badFiles {
		t.Run(name, func(t *testing.T) {
			n := 0
			for _, l := range lines {
				if strings.Contains(l, name) {
					n++
					if !strings.Contains(l, reason) {
						t.Errorf("stderr line %q lacks reason %q", l, reason)
					}
				}
			}
			if n != 1 {
				t.Errorf("%d stderr lines name %s, want 1:\n%s", n, name, errs)
			}
		})
	}
	scanned := map[string]bool{}
	for _, fr := range rep.Files {
		if len(fr.Errors) == 0 {
			scanned[filepath.Base(fr.Path)] = true
		}
	}
	for _, p := range []string{f.clean, f.tagged} {
		if !scanned[filepath.Base(p)] {
			t.Errorf("%s was not scanned", p)
		}
	}
	if after := snapshot(t, f.dir); !equalMaps(before, after) {
		t.Error("inputs were modified by the scan")
	}
}

// TestUnreadableFile runs the binary as an unprivileged user, since root
// reads a mode-000 file anyway.
func TestUnreadableFile(t *testing.T) {
	dir, err := os.MkdirTemp("", "tracescan-perm-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	p := filepath.Join(dir, "secret.mp4")
	fftest.Run(t, "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", p)
	os.Chmod(p, 0)
	if os.Geteuid() != 0 {
		code, _, errs := runCLI(t, "scan", "--no-store", "--scanners", "metadata", p)
		if code != exitErrors || !strings.Contains(errs, "permission denied") {
			t.Errorf("exit %d, stderr %q", code, errs)
		}
		return
	}
	cmd := cliCommand(t, "scan", "--no-store", "--scanners", "metadata", p)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err = cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	if code != exitErrors || !strings.Contains(errb.String(), "secret.mp4: permission denied") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

func TestOutputFileAndTempDirRemoved(t *testing.T) {
	f := makeFixtures(t)
	out := filepath.Join(t.TempDir(), "r.json")
	tmpBefore, _ := filepath.Glob(filepath.Join(os.TempDir(), "tracescan-*"))
	code, stdout, _ := runCLI(t, "scan", "--scanners", "metadata", "--format", "json", "-o", out, f.tagged)
	if code != exitFindings {
		t.Errorf("exit %d", code)
	}
	if stdout != "" {
		t.Errorf("stdout not empty with -o: %q", stdout)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want 0600 (it names people)", st.Mode().Perm())
	}
	tmpAfter, _ := filepath.Glob(filepath.Join(os.TempDir(), "tracescan-*"))
	if len(tmpAfter) > len(tmpBefore) {
		t.Errorf("temp dirs left behind: %v", tmpAfter)
	}
}

func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || info.Mode()&os.ModeSymlink != 0 {
			return nil
		}
		b, _ := os.ReadFile(p)
		m[p] = info.ModTime().String() + string(b)
		return nil
	})
	return m
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
