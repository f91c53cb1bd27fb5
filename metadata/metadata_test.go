package metadata

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tracescan/media"
	"tracescan/report"
	"tracescan/samples"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var reLibVersion = regexp.MustCompile(`(Lav[fc])\d+\.\d+\.\d+`)

func needFFmpeg(t *testing.T) {
	t.Helper()
	for _, bin := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed (make test installs it)", bin)
		}
	}
}

// makeMedia writes a 1 s file with a 64x64 picture and a tone at path,
// passing extra ffmpeg output options (metadata, chapters).
func makeMedia(t *testing.T, path string, chapters string, extra ...string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y",
		"-f", "lavfi", "-i", "sine=f=440:d=1", "-f", "lavfi", "-i", "color=c=gray:s=64x64:r=5:d=1"}
	maps := []string{"-map", "0:a", "-map", "1:v"}
	if chapters != "" {
		cp := filepath.Join(t.TempDir(), "chapters.txt")
		if err := os.WriteFile(cp, []byte(";FFMETADATA1\n"+chapters), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "-i", cp)
		maps = append(maps, "-map_metadata", "2", "-map_chapters", "2")
	}
	args = append(args, maps...)
	args = append(args, extra...)
	args = append(args, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "file:"+path)
	cmd := exec.Command("ffmpeg", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ffmpeg %v: %v\n%s", args, err, stderr.String())
	}
}

func detect(t *testing.T, path string) []report.Finding {
	t.Helper()
	ctx := context.Background()
	info, err := media.Probe(ctx, path)
	if err != nil {
		t.Fatalf("probe %s: %v", path, err)
	}
	fs, err := New().Detect(ctx, info)
	if err != nil {
		t.Fatalf("detect: %v", err)
	}
	return fs
}

// want is one finding a case must produce.
type want struct {
	kind     string
	key      string // prefix of Key
	severity report.Severity
	identity string // a value that must be among the identities, if set
}

func findingFor(fs []report.Finding, w want) *report.Finding {
	for i := range fs {
		f := &fs[i]
		if f.Kind == w.kind && strings.HasPrefix(f.Key, w.key) {
			return f
		}
	}
	return nil
}

func TestDetectGenerated(t *testing.T) {
	needFFmpeg(t)
	const sharing = "[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=400\ntitle=Sharing Started\n" +
		"[CHAPTER]\nTIMEBASE=1/1000\nSTART=400\nEND=1000\ntitle=Sharing Stopped\n"
	tests := []struct {
		name     string
		file     string // relative path
		chapters string
		side     map[string]string
		args     []string
		wants    []want
		// maxSeverity bounds every finding (negatives); -1 means no bound.
		maxSeverity report.Severity
	}{
		{name: "clean bitexact", file: "clip.mp4", maxSeverity: report.Info,
			args: []string{"-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact"}},
		{name: "clean with Lavf encoder", file: "talk.mp4", maxSeverity: report.Info,
			wants: []want{{kind: report.KindMetadata, key: "format:encoder", severity: report.Info}}},
		{name: "artist name", file: "a.mp4", maxSeverity: -1,
			args:  []string{"-metadata", "artist=Anna Schmidt"},
			wants: []want{{report.KindMetadata, "format:artist", report.High, "Anna Schmidt"}}},
		{name: "comment email", file: "a.mp4", maxSeverity: -1,
			args:  []string{"-metadata", "comment=ask jane.doe@example.com"},
			wants: []want{{report.KindMetadata, "format:comment", report.High, "jane.doe@example.com"}}},
		{name: "composer phone", file: "a.mp4", maxSeverity: -1,
			args:  []string{"-metadata", "composer=+49 30 1234567"},
			wants: []want{{report.KindMetadata, "format:composer", report.High, "+49 30 1234567"}}},
		{name: "generic title", file: "a.mp4", maxSeverity: report.Low,
			args:  []string{"-metadata", "title=Untitled"},
			wants: []want{{kind: report.KindMetadata, key: "format:title", severity: report.Low}}},
		{name: "specific title", file: "a.mp4", maxSeverity: report.Medium,
			args:  []string{"-metadata", "title=Quarterly budget review"},
			wants: []want{{kind: report.KindMetadata, key: "format:title", severity: report.Medium}}},
		{name: "creation time", file: "a.mp4", maxSeverity: report.Low,
			args:  []string{"-metadata", "creation_time=2024-05-01T10:02:33Z"},
			wants: []want{{kind: report.KindMetadata, key: "format:creation_time", severity: report.Low}}},
		{name: "quicktime device and location", file: "a.mov", maxSeverity: -1,
			args: []string{"-movflags", "use_metadata_tags",
				"-metadata", "com.apple.quicktime.make=Apple", "-metadata", "com.apple.quicktime.model=iPhone 13",
				"-metadata", "com.apple.quicktime.location.ISO6709=+52.5200+013.4050+034.000/"},
			wants: []want{
				{kind: report.KindMetadata, key: "format:com.apple.quicktime.make", severity: report.Medium},
				{kind: report.KindMetadata, key: "format:com.apple.quicktime.model", severity: report.Medium},
				{kind: report.KindMetadata, key: "format:com.apple.quicktime.location.ISO6709", severity: report.High},
			}},
		{name: "stream handler with name", file: "a.mp4", maxSeverity: -1,
			args:  []string{"-metadata:s:a:0", "handler_name=Anna Schmidt microphone"},
			wants: []want{{report.KindMetadata, "stream0:handler_name", report.High, "Anna Schmidt"}}},
		{name: "sharing chapters", file: "a.mp4", chapters: sharing, maxSeverity: report.Low,
			wants: []want{
				{kind: report.KindMetadata, key: "chapter0:title", severity: report.Low},
				{kind: report.KindMetadata, key: "chapter1:title", severity: report.Low},
			}},
		{name: "hostile title", file: "a.mp4", maxSeverity: -1,
			args:  []string{"-metadata", "title=\x1b[31mBudget\x1b]0;pwned\x07 review\x1b[0m"},
			wants: []want{{kind: report.KindMetadata, key: "format:title", severity: report.Medium}}},
		{name: "zoom folder and chat", file: "2024-05-01 10.02.33 Anna Schmidt's Zoom Meeting/zoom_0.mp4",
			maxSeverity: -1,
			side: map[string]string{
				"meeting_saved_chat.txt": "10:02:33 From Anna Schmidt to Everyone:\n\thi\n10:02:40 From  Kim Lee : hello\n",
				"zoom_0.vtt":             "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nthe budget is fine\n",
				"notes.txt":              "Anna Schmidt", // not a side file kind
			},
			wants: []want{
				{report.KindFileName, "folder_name:1", report.High, "Anna Schmidt"},
				{kind: report.KindFileName, key: "file_name", severity: report.Low},
				{report.KindSideFile, "meeting_saved_chat.txt", report.High, "Kim Lee"},
				{kind: report.KindSideFile, key: "zoom_0.vtt", severity: report.Medium},
				{kind: report.KindPlatform, key: "platform:zoom_local", severity: report.Info},
			}},
		{name: "participant audio", file: "rec/audioAnnaSchmidt31415926.m4a", maxSeverity: -1,
			wants: []want{{report.KindFileName, "file_name", report.High, "Anna Schmidt"}}},
		{name: "zoom cloud name", file: "GMT20240501-100233_Recording_avo_1920x1080.mp4", maxSeverity: report.Low,
			wants: []want{{kind: report.KindFileName, key: "file_name", severity: report.Low},
				{kind: report.KindPlatform, key: "platform:zoom_cloud", severity: report.Info}}},
		{name: "unicode name", file: "Café Meeting – Ünïcode.mp4", maxSeverity: report.Info,
			args: []string{"-map_metadata", "-1", "-fflags", "+bitexact"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tt.file)
			makeMedia(t, path, tt.chapters, tt.args...)
			for name, text := range tt.side {
				if err := os.WriteFile(filepath.Join(filepath.Dir(path), name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			fs := detect(t, path)
			for _, w := range tt.wants {
				f := findingFor(fs, w)
				if f == nil {
					t.Errorf("no %s finding with key %q in\n%s", w.kind, w.key, dump(fs))
					continue
				}
				if f.Severity != w.severity {
					t.Errorf("%s: severity %s, want %s (%s)", f.Key, f.Severity, w.severity, f.Title)
				}
				if w.identity != "" && !hasIdentity(f.Identities, w.identity) {
					t.Errorf("%s: identities %v lack %q", f.Key, f.Identities, w.identity)
				}
				if f.Advice == "" {
					t.Errorf("%s: no advice", f.Key)
				}
			}
			for _, f := range fs {
				if tt.maxSeverity >= 0 && f.Severity > tt.maxSeverity {
					t.Errorf("unexpected %s finding %s: %s (%q)", f.Severity, f.Key, f.Title, f.Text)
				}
				for _, s := range []string{f.Title, f.Text, f.Command, f.Advice} {
					if strings.ContainsAny(s, "\x1b\x07\x00") {
						t.Errorf("control characters in %q", s)
					}
				}
				if f.Kind == report.KindMetadata && !strings.Contains(f.Command, "-map_metadata -1") {
					t.Errorf("%s: command %q does not strip metadata", f.Key, f.Command)
				}
				if f.Detector != "metadata" || f.Title == "" {
					t.Errorf("incomplete finding %+v", f)
				}
			}
			if tt.name == "sharing chapters" {
				f := findingFor(fs, want{kind: report.KindMetadata, key: "chapter1:title"})
				if f.TimeStart == nil || *f.TimeStart < 0.3 || *f.TimeStart > 0.5 {
					t.Errorf("chapter1 start %v, want 0.4", f.TimeStart)
				}
			}
		})
	}
}

func hasIdentity(ids []report.Identity, v string) bool {
	for _, id := range ids {
		if id.Value == v {
			return true
		}
	}
	return false
}

func dump(fs []report.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.Severity.String() + " " + f.Kind + " " + f.Key + ": " + f.Title + "\n")
	}
	return b.String()
}

// TestStripCommandWorks runs the advised command and checks that the
// identifying findings are gone: advice that does not work is worse than none.
func TestStripCommandWorks(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "it's a test.mp4")
	makeMedia(t, path, "[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=Sharing Started\n",
		"-metadata", "artist=Anna Schmidt", "-metadata", "creation_time=2024-05-01T10:02:33Z",
		"-metadata:s:a:0", "handler_name=Anna Schmidt mic")
	fs := detect(t, path)
	var cmd string
	for _, f := range fs {
		if f.Kind == report.KindMetadata {
			cmd = f.Command
			break
		}
	}
	if cmd == "" {
		t.Fatal("no metadata finding")
	}
	out, err := exec.Command("sh", "-c", strings.Replace(cmd, "ffmpeg ", "ffmpeg -loglevel error -nostdin ", 1)).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, out)
	}
	for _, f := range detect(t, filepath.Join(dir, "recording-clean.mp4")) {
		if f.Kind == report.KindMetadata && f.Severity > report.Info {
			t.Errorf("after stripping: %s %s %q", f.Severity, f.Key, f.Text)
		}
	}
}

// TestGolden pins the findings of the generated meeting sample and of the
// clean control. Run with -update after an intended change.
func TestGolden(t *testing.T) {
	needFFmpeg(t)
	ctx := context.Background()
	dir := t.TempDir()
	meeting, _, err := samples.WriteMeetingRecording(ctx, dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	clean, _, err := samples.WriteCleanControl(ctx, filepath.Join(dir, "control"), 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, path string }{
		{"meeting", meeting},
		{"participant_audio", filepath.Join(filepath.Dir(meeting), samples.ParticipantAudioName)},
		{"clean", clean},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := detect(t, tc.path)
			b, err := json.MarshalIndent(fs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			// Temp paths differ per run, and library versions per ffmpeg
			// build (Lavf59.27.100 on Debian 12): neither is what is tested.
			got := strings.ReplaceAll(string(b), dir, "$DIR") + "\n"
			got = reLibVersion.ReplaceAllString(got, "${1}N.N.N")
			golden := filepath.Join("testdata", tc.name+".golden.json")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			wantB, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./metadata -run TestGolden -update)", err)
			}
			if got != string(wantB) {
				t.Errorf("findings differ from %s (run with -update if intended):\n%s", golden, got)
			}
		})
	}
}
