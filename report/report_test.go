package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// sampleReport exercises every optional field, hostile strings included.
func sampleReport() *ScanReport {
	r := &ScanReport{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "tracescan", Version: "test"},
		Files: []FileReport{
			{
				Path: "exports/zoom_0.mp4",
				Media: &MediaInfo{Format: "mov,mp4,m4a,3gp,3g2,mj2", DurationS: 61.5, SizeBytes: 123456,
					Streams: []Stream{
						{Index: 0, Type: "video", Codec: "h264", Width: 1280, Height: 720, FrameRate: 25},
						{Index: 1, Type: "audio", Codec: "aac", SampleRate: 48000, Channels: 2},
					}},
				Platform: &Platform{Name: "zoom_local", Label: "Zoom local recording", Confidence: "high",
					Evidence: []string{"file name zoom_0.mp4"}, Implies: "Zoom can mark shared screens and audio."},
				Findings: []Finding{
					{Kind: KindMetadata, Severity: Low, Detector: "metadata", Score: 1, ScoreMeaning: "exact tag value",
						Title: "Recording date in the container", Text: "2024-05-01T10:02:33Z", Key: "format:creation_time",
						Advice: "Strip metadata.", Command: "ffmpeg -i zoom_0.mp4 -map_metadata -1 -c copy out.mp4"},
					{Kind: KindMetadata, Severity: High, Detector: "metadata", Score: 1, ScoreMeaning: "exact tag value",
						Title: "Email address in a tag", Text: "anna.schmidt@example.com\x1b[2J", Key: "format:comment",
						Identities: []Identity{{Type: "email", Value: "anna.schmidt@example.com"}},
						Advice:     "Strip metadata."},
					{Kind: KindVisibleWatermark, Severity: High, Detector: "video", Score: 12.5, ScoreMeaning: "z-score",
						FalsePositiveRate: Ptr(0.01), Title: "Visible email watermark", Text: "j.doe@example.com",
						TimeStart: Ptr(3.0), TimeEnd: Ptr(58.0), Region: &Region{X: 10, Y: 20, W: 300, H: 40},
						Layout: "tiled", Opacity: Ptr(0.12), Advice: "Blur the region."},
					{Kind: KindAudioWatermark, Severity: Medium, Detector: "audio", Score: 9.1, ScoreMeaning: "robust z",
						PValue: Ptr(1e-6), Title: "Repeated spread-spectrum pattern", BandHz: &Band{Low: 2000, High: 6000},
						PeriodS: Ptr(4.5), Channel: "mid", Method: "long_lag_autocorrelation", Advice: "Publish a transcript."},
				},
				Errors: nil,
			},
			{Path: "exports/broken.mp4", Errors: []string{"cannot read as media: moov atom not found"}},
		},
	}
	r.Finalize()
	r.Summary.FilesSkipped = 2
	r.Summary.ElapsedS = 1.25
	return r
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file; got:\n%s", name, got)
	}
}

func TestJSONGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.json", b.Bytes())

	back, err := ReadJSON(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var b2 bytes.Buffer
	if err := WriteJSON(&b2, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), b2.Bytes()) {
		t.Error("JSON does not round-trip")
	}
}

func TestTextGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, sampleReport(), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsRune(b.Bytes(), 0x1b) {
		t.Error("text output without colour contains an escape character")
	}
	golden(t, "report.txt", b.Bytes())
}

func TestTextColour(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, sampleReport(), TextOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), ansiRed) {
		t.Error("colour output has no colour")
	}
	if strings.Contains(b.String(), "\x1b[2J") {
		t.Error("hostile escape from a media string reached the terminal")
	}
}

func TestFinalizeOrderAndCounts(t *testing.T) {
	r := sampleReport()
	if r.Files[0].Path != "exports/broken.mp4" {
		t.Errorf("files not sorted by path: %q first", r.Files[0].Path)
	}
	fs := r.Files[1].Findings
	for i := 1; i < len(fs); i++ {
		if fs[i].Severity > fs[i-1].Severity {
			t.Errorf("findings not sorted by severity at %d", i)
		}
	}
	want := map[string]int{"info": 0, "low": 1, "medium": 1, "high": 2}
	for k, v := range want {
		if r.Summary.BySeverity[k] != v {
			t.Errorf("BySeverity[%s] = %d, want %d", k, r.Summary.BySeverity[k], v)
		}
	}
	if r.Summary.FilesFailed != 1 || r.Summary.FilesScanned != 1 {
		t.Errorf("summary = %+v", r.Summary)
	}
}

func TestParseSeverity(t *testing.T) {
	tests := []struct {
		in   string
		want Severity
		ok   bool
	}{
		{"info", Info, true}, {"low", Low, true}, {"medium", Medium, true}, {"high", High, true},
		{"none", High + 1, true}, {"HIGH", 0, false}, {"", 0, false}, {"critical", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseSeverity(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ParseSeverity(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in, want string
		keepNL         bool
	}{
		{"plain", "Anna Schmidt", "Anna Schmidt", false},
		{"csi", "red\x1b[31mtext\x1b[0m", "redtext", false},
		{"osc title", "a\x1b]0;owned\x07b", "ab", false},
		{"osc st", "a\x1b]8;;http://x\x1b\\b", "ab", false},
		{"c1 csi", "a\u009b2Jb", "ab", false},
		{"controls", "a\x00b\x07c\x7fd", "abcd", false},
		{"newline", "a\nb\r\nc", "a b c", false},
		{"keep newline", "a\nb", "a\nb", true},
		{"bidi", "abc\u202egnp.exe", "abcgnp.exe", false},
		{"bad utf8", "a\xffb", "a\uFFFDb", false},
		{"unicode kept", "Café – Ünïcode", "Café – Ünïcode", false},
		{"trailing esc", "abc\x1b", "abc", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in, tt.keepNL); got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"a\x1b[31mb", "\x1b]0;x\x07", "\u009b", "ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s, false)
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("control %U left in %q", r, out)
			}
		}
	})
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{{0, "0:00.0"}, {61.5, "1:01.5"}, {3725, "1:02:05.0"}, {-1, "0:00.0"}}
	for _, tt := range tests {
		if got := FormatDuration(tt.in); got != tt.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
