package samples

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// Bad input file names written by WriteBadInputs.
const (
	BadEmpty     = "empty.mp4"
	BadTruncated = "truncated.mp4"
	BadText      = "notes.mp4"
	BadSilent0   = "silent0.m4a"
	BadUnicode   = "Café Meeting – Ünïcode.mp4"
)

// WriteBadInputs writes inputs that a scanner must survive into dir and
// returns, for each file name, a substring of the error the scan should
// report for it ("" for the valid file with an awkward name). The strings
// match media.Probe and the scan's empty-media check.
func WriteBadInputs(ctx context.Context, dir string) (map[string]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	want := map[string]string{}

	if err := os.WriteFile(filepath.Join(dir, BadEmpty), nil, 0o644); err != nil {
		return nil, err
	}
	want[BadEmpty] = "empty file"

	// An MP4 cut after 3 KB: ffmpeg writes the moov index at the end, so
	// what is left has data but no index, like an interrupted download.
	full := filepath.Join(dir, ".full.mp4")
	args := append(content(7, 2), "-map", "0:v", "-map", "1:a")
	args = append(args, encode...)
	if err := ffmpeg(ctx, append(args, "file:"+full)...); err != nil {
		return nil, fmt.Errorf("writing the MP4 to truncate: %w", err)
	}
	b, err := os.ReadFile(full)
	os.Remove(full)
	if err != nil {
		return nil, err
	}
	if len(b) > 3<<10 {
		b = b[:3<<10]
	}
	if err := os.WriteFile(filepath.Join(dir, BadTruncated), b, 0o644); err != nil {
		return nil, err
	}
	want[BadTruncated] = "moov atom not found"

	notes := "Meeting notes\n- agree on the budget\n- next call on Monday\n"
	if err := os.WriteFile(filepath.Join(dir, BadText), []byte(notes), 0o644); err != nil {
		return nil, err
	}
	want[BadText] = "cannot read as media"

	// An AAC track with no samples at all. The plain MP4 muxer drops an
	// empty track (leaving a file with no streams); an empty fragmented
	// moov keeps the track, with duration 0.
	if err := ffmpeg(ctx, "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-t", "0", "-c:a", "aac",
		"-movflags", "+empty_moov+frag_keyframe", "-f", "ipod", "file:"+filepath.Join(dir, BadSilent0)); err != nil {
		return nil, fmt.Errorf("writing %s: %w", BadSilent0, err)
	}
	want[BadSilent0] = "no content"

	args = append(content(8, 2), "-map", "0:v", "-map", "1:a")
	args = append(args, encode...)
	if err := ffmpeg(ctx, append(args, "file:"+filepath.Join(dir, BadUnicode))...); err != nil {
		return nil, fmt.Errorf("writing %s: %w", BadUnicode, err)
	}
	want[BadUnicode] = ""
	return want, nil
}
