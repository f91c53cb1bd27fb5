// Package media probes recordings once with ffprobe and opens streaming
// decoders for their audio (float32 chunks) and video (a bounded sample of
// key frames). Nothing here loads a whole recording into memory.
package media

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// Info is what ffprobe reports about a file.
type Info struct {
	Path       string
	Format     string // ffprobe format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
	FormatLong string
	Duration   float64 // seconds; 0 when unknown
	Size       int64
	Tags       map[string]string
	Streams    []StreamInfo
	Chapters   []Chapter
}

// StreamInfo is one stream of a file.
type StreamInfo struct {
	Index      int
	Type       string // audio, video, subtitle, data, attachment
	Codec      string
	Width      int
	Height     int
	FrameRate  float64
	SampleRate int
	Channels   int
	Duration   float64
	Frames     int64
	Tags       map[string]string
	// AttachedPic is set for cover art: a video stream holding one picture.
	AttachedPic bool
}

// Chapter is one chapter marker.
type Chapter struct {
	Start, End float64
	Tags       map[string]string
}

// ErrNotMedia means ffprobe found no audio or video stream in the file.
var ErrNotMedia = errors.New("not a media file")

// Audio returns the first audio stream, if any.
func (in *Info) Audio() (StreamInfo, bool) {
	for _, s := range in.Streams {
		if s.Type == "audio" {
			return s, true
		}
	}
	return StreamInfo{}, false
}

// Video returns the first video stream that is not cover art, if any.
func (in *Info) Video() (StreamInfo, bool) {
	for _, s := range in.Streams {
		if s.Type == "video" && !s.AttachedPic {
			return s, true
		}
	}
	return StreamInfo{}, false
}

type probeJSON struct {
	Format struct {
		FormatName     string            `json:"format_name"`
		FormatLongName string            `json:"format_long_name"`
		Duration       string            `json:"duration"`
		Size           string            `json:"size"`
		Tags           map[string]string `json:"tags"`
		ProbeScore     int               `json:"probe_score"`
	} `json:"format"`
	Streams []struct {
		Index        int               `json:"index"`
		CodecType    string            `json:"codec_type"`
		CodecName    string            `json:"codec_name"`
		Width        int               `json:"width"`
		Height       int               `json:"height"`
		AvgFrameRate string            `json:"avg_frame_rate"`
		RFrameRate   string            `json:"r_frame_rate"`
		SampleRate   string            `json:"sample_rate"`
		Channels     int               `json:"channels"`
		Duration     string            `json:"duration"`
		NbFrames     string            `json:"nb_frames"`
		Tags         map[string]string `json:"tags"`
		Disposition  map[string]int    `json:"disposition"`
	} `json:"streams"`
	Chapters []struct {
		StartTime string            `json:"start_time"`
		EndTime   string            `json:"end_time"`
		Tags      map[string]string `json:"tags"`
	} `json:"chapters"`
}

// Probe runs ffprobe on path. It returns ErrNotMedia (wrapped) when the file
// is readable but holds no audio or video stream, and an error naming
// ffprobe's own complaint when it cannot parse the file.
func Probe(ctx context.Context, path string) (*Info, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() == 0 {
		return nil, fmt.Errorf("empty file: %w", ErrNotMedia)
	}
	// Open it ourselves first so that permission errors read as such and not
	// as an ffprobe parse failure.
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	f.Close()

	cmd := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-hide_banner",
		"-print_format", "json", "-show_format", "-show_streams", "-show_chapters",
		"-i", "file:"+path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, exec.ErrNotFound) {
			return nil, fmt.Errorf("ffprobe is not installed (run make deps): %w", err)
		}
		return nil, &ProbeError{Reason: firstLine(stderr.String(), path), Err: err}
	}
	var pj probeJSON
	if err := json.Unmarshal(stdout.Bytes(), &pj); err != nil {
		return nil, fmt.Errorf("reading ffprobe output: %w", err)
	}
	info := &Info{
		Path:       path,
		Format:     pj.Format.FormatName,
		FormatLong: pj.Format.FormatLongName,
		Duration:   parseFloat(pj.Format.Duration),
		Size:       st.Size(),
		Tags:       pj.Format.Tags,
	}
	for _, s := range pj.Streams {
		si := StreamInfo{
			Index: s.Index, Type: s.CodecType, Codec: s.CodecName,
			Width: s.Width, Height: s.Height,
			SampleRate: int(parseFloat(s.SampleRate)), Channels: s.Channels,
			Duration: parseFloat(s.Duration), Frames: int64(parseFloat(s.NbFrames)),
			Tags: s.Tags, AttachedPic: s.Disposition["attached_pic"] == 1,
		}
		si.FrameRate = parseRate(s.AvgFrameRate)
		if si.FrameRate == 0 {
			si.FrameRate = parseRate(s.RFrameRate)
		}
		info.Streams = append(info.Streams, si)
	}
	for _, c := range pj.Chapters {
		info.Chapters = append(info.Chapters, Chapter{
			Start: parseFloat(c.StartTime), End: parseFloat(c.EndTime), Tags: c.Tags,
		})
	}
	_, hasA := info.Audio()
	_, hasV := info.Video()
	if !hasA && !hasV {
		return info, fmt.Errorf("no audio or video stream (format %q): %w", info.Format, ErrNotMedia)
	}
	// Text, images and other non-recordings that ffmpeg can still parse.
	switch {
	case strings.Contains(info.Format, "image2"), strings.HasSuffix(info.Format, "_pipe"),
		info.Format == "tty", info.Format == "webvtt", info.Format == "srt":
		return info, fmt.Errorf("format %q is not a recording: %w", info.Format, ErrNotMedia)
	}
	return info, nil
}

// ProbeError is ffprobe refusing a file; Reason is its first message line.
type ProbeError struct {
	Reason string
	Err    error
}

func (e *ProbeError) Error() string { return "cannot read as media: " + e.Reason }
func (e *ProbeError) Unwrap() error { return e.Err }

// firstLine returns ffprobe's first non-empty line without the file name
// prefix it adds ("file:x.mp4: Invalid data ...").
func firstLine(s, path string) string {
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		line = strings.TrimPrefix(line, "file:"+path+": ")
		line = strings.TrimPrefix(line, path+": ")
		if len(line) > 200 {
			line = line[:200]
		}
		return line
	}
	return "ffprobe failed"
}

func parseFloat(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return v
}

func parseRate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		return parseFloat(s)
	}
	n, d := parseFloat(num), parseFloat(den)
	if d == 0 {
		return 0
	}
	return n / d
}
