package samples_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tracescan/media"
	"tracescan/samples"
	"tracescan/scan"
)

func needFFmpeg(t *testing.T) {
	t.Helper()
	for _, bin := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed (make test installs it)", bin)
		}
	}
}

func TestWriteMeetingRecording(t *testing.T) {
	needFFmpeg(t)
	ctx := context.Background()
	dir := t.TempDir()
	path, label, err := samples.WriteMeetingRecording(ctx, dir, 42)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "zoom_0.mp4" || filepath.Base(filepath.Dir(path)) != samples.MeetingFolder {
		t.Errorf("path %s", path)
	}
	info, err := media.Probe(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Duration < samples.MeetingDuration-0.5 || info.Duration > samples.MeetingDuration+0.5 {
		t.Errorf("duration %.2f s", info.Duration)
	}
	if _, ok := info.Video(); !ok {
		t.Error("no video stream")
	}
	if _, ok := info.Audio(); !ok {
		t.Error("no audio stream")
	}
	for k, v := range label.Tags {
		got := info.Tags[k]
		if k == "creation_time" {
			got = strings.Replace(got, ".000000Z", "Z", 1)
		}
		if got != v {
			t.Errorf("tag %s = %q, want %q", k, info.Tags[k], v)
		}
	}
	var titles []string
	for _, c := range info.Chapters {
		titles = append(titles, c.Tags["title"])
	}
	if strings.Join(titles, "|") != strings.Join(label.Chapters, "|") {
		t.Errorf("chapters %q, want %q", titles, label.Chapters)
	}
	for _, s := range append(label.SideFiles, label.ParticipantAudio) {
		if _, err := os.Stat(filepath.Join(label.Folder, s)); err != nil {
			t.Error(err)
		}
	}
	if _, err := media.Probe(ctx, filepath.Join(label.Folder, label.ParticipantAudio)); err != nil {
		t.Errorf("participant audio: %v", err)
	}
	if label.Platform != "zoom_local" || len(label.Identities) == 0 || label.Clean {
		t.Errorf("label %+v", label)
	}
}

func TestWriteCleanControl(t *testing.T) {
	needFFmpeg(t)
	ctx := context.Background()
	path, label, err := samples.WriteCleanControl(ctx, t.TempDir(), 1)
	if err != nil {
		t.Fatal(err)
	}
	info, err := media.Probe(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for k := range info.Tags {
		switch k {
		case "major_brand", "minor_version", "compatible_brands":
		default:
			t.Errorf("clean control has tag %s=%q", k, info.Tags[k])
		}
	}
	if len(info.Chapters) != 0 || !label.Clean {
		t.Errorf("chapters %v, label %+v", info.Chapters, label)
	}
}

// TestWriteBadInputs checks each bad input against the scan's own error
// message, which is the contract the CLI's bad-input table relies on.
func TestWriteBadInputs(t *testing.T) {
	needFFmpeg(t)
	ctx := context.Background()
	dir := t.TempDir()
	want, err := samples.WriteBadInputs(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{samples.BadEmpty, samples.BadTruncated, samples.BadText, samples.BadSilent0, samples.BadUnicode} {
		if _, ok := want[name]; !ok {
			t.Errorf("%s missing from the map", name)
		}
	}
	var paths []string
	for name := range want {
		paths = append(paths, filepath.Join(dir, name))
	}
	rep, err := scan.Run(ctx, paths, scan.Options{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Files) != len(want) {
		t.Fatalf("%d file reports, want %d", len(rep.Files), len(want))
	}
	for _, fr := range rep.Files {
		sub := want[filepath.Base(fr.Path)]
		errs := strings.Join(fr.Errors, "; ")
		switch {
		case sub == "" && errs != "":
			t.Errorf("%s: unexpected error %q", fr.Path, errs)
		case sub != "" && !strings.Contains(errs, sub):
			t.Errorf("%s: errors %q lack %q", fr.Path, errs, sub)
		}
	}
}

func TestWriteDemo(t *testing.T) {
	needFFmpeg(t)
	paths, err := samples.WriteDemo(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Error(err)
		}
	}
}
