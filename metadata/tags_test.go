package metadata

import (
	"context"
	"strings"
	"testing"

	"tracescan/media"
	"tracescan/report"
)

// TestTagRules checks the severity rules on tags without ffmpeg, including
// containers (Matroska) that spell keys in capitals, and hostile keys.
func TestTagRules(t *testing.T) {
	info := &media.Info{
		Path: "/nonexistent/dir/clip.mkv",
		Tags: map[string]string{
			"TITLE":                        "Budget review",
			"ENCODER":                      "Zoom Video Communications",
			"COMMENT":                      "Meeting ID: 812 3456 7890",
			"location":                     "Berlin, Alexanderplatz",
			"com.apple.quicktime.software": "17.4.1",
			"major_brand":                  "isom",
			"\x1b[2Jevil":                  "x",
			"empty":                        "   ",
		},
		Streams: []media.StreamInfo{
			{Index: 0, Type: "audio", Tags: map[string]string{"DURATION": "00:00:06.000000000", "vendor_id": "[0][0][0][0]", "language": "eng"}},
			{Index: 1, Type: "video", Tags: map[string]string{"vendor_id": "appl", "handler_name": "Core Media Video"}},
		},
	}
	fs, err := New().Detect(context.Background(), info)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]report.Severity{
		"format:TITLE":                        report.Medium,
		"format:ENCODER":                      report.Low,
		"format:COMMENT":                      report.Medium,
		"format:location":                     report.High,
		"format:com.apple.quicktime.software": report.Low,
		"format:evil":                         report.Low,
		"stream1:vendor_id":                   report.Low,
		"stream1:handler_name":                report.Info,
		"platform:zoom_local":                 report.Info,
	}
	got := map[string]report.Severity{}
	for _, f := range fs {
		got[f.Key] = f.Severity
		if strings.ContainsRune(f.Key+f.Title, 0x1b) {
			t.Errorf("escape in %q", f.Key)
		}
	}
	for k, sev := range want {
		if g, ok := got[k]; !ok {
			t.Errorf("no finding %s in %v", k, got)
		} else if g != sev {
			t.Errorf("%s: %s, want %s", k, g, sev)
		}
	}
	for _, k := range []string{"format:major_brand", "stream0:DURATION", "stream0:vendor_id", "stream0:language", "format:empty"} {
		if _, ok := got[k]; ok {
			t.Errorf("unexpected finding %s", k)
		}
	}
}
