// Package samples generates small, labelled test media with ffmpeg: a
// Zoom-like local recording full of identifying metadata, a clean control,
// and broken inputs. Tests generate into t.TempDir(); the demo and the
// evaluation command use the same generators, so what they show is what the
// tests check.
package samples

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"tracescan/report"
)

// Label is the ground truth of a generated sample: what a scanner should
// find in it.
type Label struct {
	// Platform is the expected report.Platform.Name ("zoom_local", "unknown").
	Platform string
	// Folder is the folder holding the recording and its side files.
	Folder string
	// Tags are the container tags written, by key.
	Tags map[string]string
	// Chapters are the chapter titles, in order.
	Chapters []string
	// SideFiles are the side files written beside the recording (base names).
	SideFiles []string
	// ParticipantAudio is the per-participant audio file (base name), if any.
	ParticipantAudio string
	// Identities are the personal data planted anywhere in the sample.
	Identities []report.Identity
	// Clean is true for controls that must yield no finding above info.
	Clean bool
}

// The people and places planted in the meeting sample.
const (
	HostName     = "Anna Schmidt"
	HostEmail    = "anna.schmidt@example.com"
	GuestName    = "Bob Jones"
	HostPhone    = "+49 30 1234567"
	MeetingStart = "2024-05-01T10:02:33Z"
	// MeetingFolder is Zoom's local folder naming: date, time, topic.
	MeetingFolder = "2024-05-01 10.02.33 Anna Schmidt's Zoom Meeting"
	// GPS position in ISO 6709, as iPhones write it (Berlin).
	LocationISO6709 = "+52.5200+013.4050+034.000/"
	// ParticipantAudioName is Zoom's per-participant audio file name.
	ParticipantAudioName = "audioAnnaSchmidt31415926.m4a"
	// MeetingDuration is the length of the generated recording in seconds.
	MeetingDuration = 6.0
)

// ffmpeg runs ffmpeg with args, returning its stderr in the error.
func ffmpeg(ctx context.Context, args ...string) error {
	full := append([]string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y"}, args...)
	cmd := exec.CommandContext(ctx, "ffmpeg", full...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("ffmpeg is not installed (run make deps): %w", err)
		}
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 500 {
			msg = msg[:500]
		}
		return fmt.Errorf("ffmpeg: %s: %w", msg, err)
	}
	return nil
}

// content returns ffmpeg lavfi inputs for a test picture and a tone; the seed
// varies the tone so that two samples are not byte-identical.
func content(seed int64, seconds float64) []string {
	r := rand.New(rand.NewSource(seed))
	freq := 300 + r.Intn(600)
	d := strconv.FormatFloat(seconds, 'f', -1, 64)
	return []string{
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=s=320x180:r=10:d=%s", d),
		"-f", "lavfi", "-i", fmt.Sprintf("sine=f=%d:r=48000:d=%s", freq, d),
	}
}

// encode are the codec options for small, fast H.264/AAC output.
var encode = []string{"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k"}

const chatLog = `10:02:40 From Anna Schmidt to Everyone:
	Hi all, the slides are at https://example.com/deck
10:03:05 From  Bob Jones : can you share your screen?
10:03:30 From Anna Schmidt to Bob Jones(Direct Message):
	call me at +49 30 1234567 or anna.schmidt@example.com
`

const captions = `WEBVTT

1
00:00:01.000 --> 00:00:03.000
Anna Schmidt: Welcome everyone, I will share my screen.

2
00:00:03.500 --> 00:00:05.500
<v Bob Jones>Thanks Anna, we can see it.
`

// WriteMeetingRecording writes a ~6 s Zoom-like local recording into
// dir/MeetingFolder: zoom_0.mp4 with identifying tags and "Sharing
// Started/Stopped" chapters, the side files meeting_saved_chat.txt and
// zoom_0.transcript.vtt, and a per-participant audio file. It returns the
// path of zoom_0.mp4 and what a scanner should find.
func WriteMeetingRecording(ctx context.Context, dir string, seed int64) (string, Label, error) {
	folder := filepath.Join(dir, MeetingFolder)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return "", Label{}, err
	}
	tags := map[string]string{
		"title":                                "Anna Schmidt's Zoom Meeting",
		"artist":                               HostName,
		"comment":                              "Recorded by " + HostEmail,
		"creation_time":                        MeetingStart,
		"com.apple.quicktime.location.ISO6709": LocationISO6709,
	}
	// The share runs from the start: MP4 chapter tracks always begin at 0,
	// so a first marker at 2 s would be read back at 0 s anyway.
	chapters := ";FFMETADATA1\n" +
		"[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=4000\ntitle=Sharing Started\n" +
		"[CHAPTER]\nTIMEBASE=1/1000\nSTART=4000\nEND=6000\ntitle=Sharing Stopped\n"
	chapPath := filepath.Join(dir, fmt.Sprintf(".chapters-%d.txt", seed))
	if err := os.WriteFile(chapPath, []byte(chapters), 0o644); err != nil {
		return "", Label{}, err
	}
	defer os.Remove(chapPath)

	out := filepath.Join(folder, "zoom_0.mp4")
	args := content(seed, MeetingDuration)
	// The chapter titles travel with the ffmetadata input's metadata:
	// -map_metadata -1 would drop them too.
	args = append(args, "-i", chapPath, "-map", "0:v", "-map", "1:a", "-map_metadata", "2", "-map_chapters", "2")
	for _, k := range sortedKeys(tags) {
		args = append(args, "-metadata", k+"="+tags[k])
	}
	// use_metadata_tags keeps the QuickTime keys (location) that the plain
	// MP4 muxer would drop.
	args = append(args, encode...)
	args = append(args, "-movflags", "use_metadata_tags", "file:"+out)
	if err := ffmpeg(ctx, args...); err != nil {
		return "", Label{}, fmt.Errorf("writing %s: %w", out, err)
	}

	audio := filepath.Join(folder, ParticipantAudioName)
	r := rand.New(rand.NewSource(seed + 1))
	if err := ffmpeg(ctx, "-f", "lavfi", "-i", fmt.Sprintf("sine=f=%d:r=48000:d=%g", 200+r.Intn(400), MeetingDuration),
		"-c:a", "aac", "-b:a", "48k", "file:"+audio); err != nil {
		return "", Label{}, fmt.Errorf("writing %s: %w", audio, err)
	}
	side := map[string]string{"meeting_saved_chat.txt": chatLog, "zoom_0.transcript.vtt": captions}
	for _, name := range sortedKeys(side) {
		if err := os.WriteFile(filepath.Join(folder, name), []byte(side[name]), 0o644); err != nil {
			return "", Label{}, err
		}
	}
	return out, Label{
		Platform:         "zoom_local",
		Folder:           folder,
		Tags:             tags,
		Chapters:         []string{"Sharing Started", "Sharing Stopped"},
		SideFiles:        sortedKeys(side),
		ParticipantAudio: ParticipantAudioName,
		Identities: []report.Identity{
			{Type: "name", Value: HostName},
			{Type: "email", Value: HostEmail},
			{Type: "name", Value: GuestName},
			{Type: "phone", Value: HostPhone},
		},
	}, nil
}

// WriteCleanControl writes a neutral-named recording with no tags, chapters
// or side files (dir/clip-<seed>.mp4). Any finding above info on it is a
// false positive.
func WriteCleanControl(ctx context.Context, dir string, seed int64) (string, Label, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", Label{}, err
	}
	out := filepath.Join(dir, fmt.Sprintf("clip-%d.mp4", seed))
	args := content(seed, 3)
	args = append(args, "-map", "0:v", "-map", "1:a", "-map_metadata", "-1", "-map_chapters", "-1")
	args = append(args, encode...)
	// bitexact keeps ffmpeg from writing its own encoder tags.
	args = append(args, "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", "file:"+out)
	if err := ffmpeg(ctx, args...); err != nil {
		return "", Label{}, fmt.Errorf("writing %s: %w", out, err)
	}
	return out, Label{Platform: "unknown", Folder: dir, Clean: true}, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
