package metadata

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracescan/media"
	"tracescan/report"
)

func TestAnalyzeName(t *testing.T) {
	tests := []struct {
		stem     string
		isDir    bool
		platform string
		severity report.Severity
		name     string // expected name identity, if any
	}{
		{"zoom_0", false, PlatformZoomLocal, report.Low, ""},
		{"zoom_12", false, PlatformZoomLocal, report.Low, ""},
		{"audio_only", false, PlatformZoomLocal, report.Low, ""},
		{"audioAnnaSchmidt31415926", false, PlatformZoomLocal, report.High, "Anna Schmidt"},
		// A participant whose first name is not in the list is still a name.
		{"audioXanderQuill20230515", false, PlatformZoomLocal, report.High, "Xander Quill"},
		{"2024-05-01 10.02.33 Anna Schmidt's Zoom Meeting", true, PlatformZoomLocal, report.High, "Anna Schmidt"},
		{"2024-05-01 10.02.33 Xander Quill's Personal Meeting Room", true, PlatformZoomLocal, report.High, "Xander Quill"},
		{"2024-05-01 10.02.33 Budget sync", true, PlatformZoomLocal, report.Medium, ""},
		{"2024-05-01 10.02.33 Zoom Meeting", true, PlatformZoomLocal, report.Low, ""},
		{"GMT20240501-100233_Recording_avo_1920x1080", false, PlatformZoomCloud, report.Low, ""},
		{"GMT20240501-100233_Recording_gvo_1280x720", false, PlatformZoomCloud, report.Low, ""},
		{"GMT20240501-100233_Recording_as_1920x1080", false, PlatformZoomCloud, report.Low, ""},
		{"GMT20240501-100233_Recording_gallery_1280x720", false, PlatformZoomCloud, report.Low, ""},
		{"GMT20240501-100233_Recording", false, PlatformZoomCloud, report.Low, ""},
		{"Meeting in _General_-20240501_100233-Meeting Recording", false, PlatformTeams, report.Low, ""},
		{"Meeting in _Merger Talks_-20240501_100233-Meeting Recording", false, PlatformTeams, report.Medium, ""},
		{"Weekly sync-20240501_100233-Meeting Recording", false, PlatformTeams, report.Medium, ""},
		{"abc-defg-hij (2024-05-01 at 10_02 GMT-7)", false, PlatformGoogleMeet, report.Medium, ""},
		{"Budget review (2024-05-01 at 10_02 GMT+2)", false, PlatformGoogleMeet, report.Medium, ""},
		{"Anna Schmidt's Personal Room-20240501 1002-1", false, PlatformWebex, report.High, "Anna Schmidt"},
		{"Design review-20240501 1002-1", false, PlatformWebex, report.Medium, ""},
		{"holiday 2024-05-01", false, "", report.Low, ""},
		{"Interview with Sarah Connor", false, "", report.High, "Sarah Connor"},
	}
	for _, tt := range tests {
		t.Run(tt.stem, func(t *testing.T) {
			hits := analyzeName(tt.stem, tt.isDir)
			if len(hits) == 0 {
				t.Fatal("no hit")
			}
			sev, plat, names := report.Info, "", []string{}
			for _, h := range hits {
				if h.severity > sev {
					sev = h.severity
				}
				if h.platform != "" && plat == "" {
					plat = h.platform
				}
				for _, id := range h.ids {
					if id.Type == "name" {
						names = append(names, id.Value)
					}
				}
			}
			if plat != tt.platform || sev != tt.severity {
				t.Errorf("platform %q severity %s, want %q %s (%+v)", plat, sev, tt.platform, tt.severity, hits)
			}
			if tt.name != "" && !contains(names, tt.name) {
				t.Errorf("names %v lack %q", names, tt.name)
			}
		})
	}
	for _, neg := range []string{"clip", "recording", "lecture-3", "IMG_1234", "final cut v2", "Sharing Started", "1920x1080"} {
		if hits := analyzeName(neg, false); len(hits) != 0 {
			t.Errorf("analyzeName(%q) = %+v, want nothing", neg, hits)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestSideIdentities(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // values, in order
	}{
		{"zoom chat to everyone", "10:02:33 From Anna Schmidt to Everyone:\n\thi\n", []string{"Anna Schmidt"}},
		{"zoom chat old format", "10:02:33\t From  Xander Quill : hi there\n", []string{"Xander Quill"}},
		{"zoom chat direct", "10:03:30 From Anna Schmidt to Bob Jones(Direct Message):\n\tok\n", []string{"Anna Schmidt", "Bob Jones"}},
		{"zoom chat To", "10:03:30 From Kim Lee To Everyone:\n\tok\n", []string{"Kim Lee"}},
		{"vtt voice", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Xander Quill>hello\n", []string{"Xander Quill"}},
		{"vtt voice class", "<v.loud Anna Schmidt>hi</v>", []string{"Anna Schmidt"}},
		{"speaker prefix", "1\n00:00:01,000 --> 00:00:02,000\nXander Quill: hello\n", []string{"Xander Quill"}},
		{"single given name speaker", "00:00:01.000 --> 00:00:02.000\nAnna: hello\n", []string{"Anna"}},
		{"chat email sender", "10:02:33 From anna@example.com to Everyone:\n", []string{"anna@example.com"}},
		{"playlist", "zoom_0.mp4\naudioXanderQuill31415926.m4a\n", []string{"Xander Quill"}},
		{"no people", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nthe budget is fine\n", nil},
		{"headings are not speakers", "Action Items: none\nNote: later\nhttps://example.org\n", nil},
		{"timestamps only", "00:00:01.000 --> 00:00:02.000\n10:02:33\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, id := range sideIdentities(tt.text) {
				got = append(got, id.Value)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	tests := []struct {
		name     string
		path     string
		side     []string
		chapters []string
		tags     map[string]string
		want     string
		conf     string
	}{
		{"zoom local", "2024-05-01 10.02.33 Anna Schmidt's Zoom Meeting/zoom_0.mp4", []string{"playback.m3u"}, nil, nil, PlatformZoomLocal, "high"},
		{"zoom local file only", "x/zoom_0.mp4", nil, nil, nil, PlatformZoomLocal, "medium"},
		{"zoom chapters only", "x/clip.mp4", nil, []string{"Sharing Started"}, nil, PlatformZoomLocal, "low"},
		{"zoom cloud", "x/GMT20240501-100233_Recording_gvo_1280x720.mp4", []string{"GMT20240501-100233_Recording.transcript.vtt"}, nil, nil, PlatformZoomCloud, "high"},
		{"teams", "x/Meeting in _General_-20240501_100233-Meeting Recording.mp4", nil, nil, nil, PlatformTeams, "medium"},
		{"meet", "x/abc-defg-hij (2024-05-01 at 10_02 GMT-7).mp4", nil, nil, nil, PlatformGoogleMeet, "medium"},
		{"webex", "x/Anna Schmidt's Personal Room-20240501 1002-1.mp4", nil, nil, nil, PlatformWebex, "medium"},
		{"webex tag", "x/clip.mp4", nil, nil, map[string]string{"encoder": "Cisco Webex"}, PlatformWebex, "low"},
		{"unknown", "x/clip.mp4", []string{"notes.txt"}, nil, map[string]string{"encoder": "Lavf59.27.100"}, PlatformUnknown, "low"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, tt.path)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.side {
				if err := os.WriteFile(filepath.Join(filepath.Dir(p), s), []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			info := &media.Info{Path: p, Tags: tt.tags}
			for _, c := range tt.chapters {
				info.Chapters = append(info.Chapters, media.Chapter{Tags: map[string]string{"title": c}})
			}
			got := Fingerprint(info)
			if got.Name != tt.want || got.Confidence != tt.conf {
				t.Errorf("got %s/%s, want %s/%s (evidence %q)", got.Name, got.Confidence, tt.want, tt.conf, got.Evidence)
			}
			if got.Implies == "" || got.Label == "" || len(got.Evidence) == 0 {
				t.Errorf("incomplete platform %+v", got)
			}
		})
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/tmp/a.mp4", "/tmp/a.mp4"},
		{"my file.mp4", "'my file.mp4'"},
		{"Anna's.mp4", `'Anna'\''s.mp4'`},
		{"$(rm -rf x).mp4", "'$(rm -rf x).mp4'"},
		{"-i.mp4", "'./-i.mp4'"},
		{"a\x1b[31mb.mp4", "ab.mp4"},
		{"Café – Ü.mp4", "'Café – Ü.mp4'"},
		{"", "''"},
	}
	for _, tt := range tests {
		if got := shellQuote(tt.in); got != tt.want {
			t.Errorf("shellQuote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSideFileBounded checks that a huge side file is read only up to the
// limit and that side files which are not regular files are skipped.
func TestSideFileBounded(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "clip.mp4")
	big := strings.Repeat("the budget is fine\n", 10000) + "10:02:33 From Anna Schmidt to Everyone:\n"
	if err := os.WriteFile(filepath.Join(dir, "chat.txt"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dir.vtt"), 0o755); err != nil {
		t.Fatal(err)
	}
	d := New()
	d.MaxSideFileBytes = 4096
	fs, err := d.sideFileFindings(context.Background(), &media.Info{Path: rec})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 {
		t.Fatalf("got %d side findings, want 1: %+v", len(fs), fs)
	}
	f := fs[0]
	if f.Severity != report.Medium || len(f.Identities) != 0 || !strings.Contains(f.Text, "first 4096 bytes") {
		t.Errorf("bounded read: %+v", f)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.Detect(ctx, &media.Info{Path: rec}); err == nil {
		t.Error("Detect ignored a cancelled context")
	}
}
