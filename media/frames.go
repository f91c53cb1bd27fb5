package media

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// Frame is one decoded video frame. Pix is row-major, Channels bytes per pixel
// (1 = gray, 3 = BGR, matching OpenCV's order). Pix belongs to the caller.
type Frame struct {
	Time     float64 // presentation time in seconds
	Width    int
	Height   int
	Channels int
	Pix      []byte
}

// FrameOptions bounds how many frames are sampled and at which size.
type FrameOptions struct {
	// MaxFrames is the most frames delivered; they are spread over the whole
	// duration. 0 means 240.
	MaxFrames int
	// MaxWidth downscales wider frames (keeping the aspect ratio); 0 keeps
	// the source size.
	MaxWidth int
	// Gray delivers one channel instead of BGR.
	Gray bool
	// DuplicateThreshold is the mean absolute difference (0-255) on a small
	// thumbnail below which a frame counts as a near-duplicate of the last
	// delivered one and is dropped. 0 means 0.5; negative keeps every frame.
	DuplicateThreshold float64
	// MinKeyFrames: with fewer key frames than this in the file, frames are
	// sampled by time from a full decode instead. 0 means 16.
	MinKeyFrames int
}

// FrameStats says how frames were sampled.
type FrameStats struct {
	KeyFrames  int  // key frames in the file
	Decoded    int  // frames ffmpeg delivered to us
	Duplicates int  // dropped as near-duplicates
	Delivered  int  // frames handed to the callback
	KeyOnly    bool // true when only key frames were decoded
}

// SampleFrames decodes a bounded, time-spread sample of frames and calls fn
// for each one that is not a near-duplicate of the previous delivered frame.
// Only key frames are decoded when the file has enough of them, which is an
// order of magnitude cheaper than decoding every frame.
func SampleFrames(ctx context.Context, info *Info, opt FrameOptions, fn func(Frame) error) (FrameStats, error) {
	var stats FrameStats
	vs, ok := info.Video()
	if !ok {
		return stats, fmt.Errorf("no video stream")
	}
	if opt.MaxFrames <= 0 {
		opt.MaxFrames = 240
	}
	if opt.DuplicateThreshold == 0 {
		opt.DuplicateThreshold = 0.5
	}
	if opt.MinKeyFrames <= 0 {
		opt.MinKeyFrames = 16
	}
	duration := vs.Duration
	if duration <= 0 {
		duration = info.Duration
	}
	w, h := vs.Width, vs.Height
	if opt.MaxWidth > 0 && w > opt.MaxWidth {
		h = (h*opt.MaxWidth/w + 1) &^ 1
		w = opt.MaxWidth
	}
	if w <= 0 || h <= 0 {
		return stats, fmt.Errorf("video stream has no size")
	}
	d := decodeJob{info: info, vs: vs, opt: opt, w: w, h: h, ch: 1, pixFmt: "gray"}
	if !opt.Gray {
		d.ch, d.pixFmt = 3, "bgr24"
	}
	if duration > 0 {
		d.gap = duration / float64(opt.MaxFrames)
	}

	// The key frames are listed while the key-frame decode already runs
	// (listing reads the whole file: ~0.85 s for 10 min of 1080p). Frames
	// decoded before the listing says whether key frames suffice are held
	// back; when they do not, that decode is dropped and the file decoded
	// by time instead.
	type keyResult struct {
		keys []float64
		err  error
	}
	kctx, kcancel := context.WithCancel(ctx)
	defer kcancel()
	keysCh := make(chan keyResult, 1)
	go func() {
		k, err := keyFrameTimes(kctx, info.Path, vs.Index)
		keysCh <- keyResult{k, err}
	}()
	var kr keyResult
	decided := false
	enough := func() bool {
		return kr.err == nil && (len(kr.keys) >= opt.MinKeyFrames || duration <= 0)
	}
	var held []Frame
	errFallback := errors.New("too few key frames")
	dctx, dcancel := context.WithCancel(ctx)
	defer dcancel()
	d.keyOnly = true
	st, err := d.run(dctx, func(f Frame) error {
		if !decided {
			select {
			case kr = <-keysCh:
				decided = true
			default:
				held = append(held, f)
				return nil
			}
		}
		if !enough() {
			return errFallback
		}
		for _, hf := range held {
			if err := fn(hf); err != nil {
				return err
			}
		}
		held = nil
		return fn(f)
	})
	if !decided {
		kr = <-keysCh
		decided = true
	}
	if kr.err != nil {
		return stats, kr.err
	}
	if len(kr.keys) == 0 {
		return stats, errors.New("video stream has no frames")
	}
	if enough() {
		for _, hf := range held {
			if err == nil {
				err = fn(hf)
			}
		}
		st.KeyFrames = len(kr.keys)
		st.KeyOnly = true
		return st, err
	}
	if err != nil && !errors.Is(err, errFallback) {
		return stats, err
	}
	dcancel()
	d.keyOnly = false
	st, err = d.run(ctx, fn)
	st.KeyFrames = len(kr.keys)
	st.KeyOnly = false
	return st, err
}

// decodeJob is one ffmpeg decode of a video stream to raw frames.
type decodeJob struct {
	info    *Info
	vs      StreamInfo
	opt     FrameOptions
	w, h    int
	ch      int
	pixFmt  string
	gap     float64
	keyOnly bool
}

// run decodes and calls fn for each frame that is not a near-duplicate of
// the previous delivered one, up to opt.MaxFrames.
func (d decodeJob) run(ctx context.Context, fn func(Frame) error) (FrameStats, error) {
	var stats FrameStats
	opt, w, h, ch, gap := d.opt, d.w, d.h, d.ch, d.gap
	var filters []string
	args := []string{"-nostdin", "-hide_banner", "-nostats", "-v", "info"}
	if d.keyOnly {
		args = append(args, "-skip_frame", "nokey")
		if gap > 0 {
			filters = append(filters, fmt.Sprintf("select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,%.4f)'", gap*0.999))
		}
	} else {
		// Rare key frames: decode everything but keep one frame per gap.
		step := gap
		if step <= 0 || step > 2 {
			step = 2
		}
		filters = append(filters, fmt.Sprintf("fps=1/%.4f", step))
	}
	// checksum=0: the per-frame plane checksums cost more than a
	// third of the key-frame decode at 1080p, and only pts_time is read.
	filters = append(filters, "showinfo=checksum=0", fmt.Sprintf("scale=%d:%d:flags=area", w, h))
	args = append(args, "-i", "file:"+d.info.Path, "-map", "0:"+strconv.Itoa(d.vs.Index),
		"-an", "-sn", "-dn", "-vf", strings.Join(filters, ","),
		"-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", d.pixFmt, "pipe:1")

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return stats, err
	}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		return stats, err
	}
	if err := cmd.Start(); err != nil {
		return stats, fmt.Errorf("starting ffmpeg: %w", err)
	}
	// showinfo writes one line per frame before the frame reaches stdout.
	times := make(chan float64, 1024)
	var errLines bytes.Buffer
	errDone := make(chan struct{})
	go func() {
		defer close(errDone)
		defer close(times)
		sc := bufio.NewScanner(errPipe)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if i := strings.Index(line, "pts_time:"); i >= 0 && strings.Contains(line, "showinfo") {
				f := strings.Fields(line[i+len("pts_time:"):])
				if len(f) > 0 {
					if t, err := strconv.ParseFloat(f[0], 64); err == nil {
						select {
						case times <- t:
						case <-ctx.Done():
							return
						}
					}
				}
				continue
			}
			if strings.Contains(line, "rror") && errLines.Len() < 2048 {
				errLines.WriteString(line + "\n")
			}
		}
	}()

	size := w * h * ch
	br := bufio.NewReaderSize(out, 1<<20)
	var prevThumb []float32
	var cbErr error
	lastT := -1.0
	for {
		pix := make([]byte, size)
		if _, err := io.ReadFull(br, pix); err != nil {
			break
		}
		stats.Decoded++
		t, ok := <-times
		if !ok {
			t = lastT + gap
		}
		lastT = t
		thumb := thumbnail(pix, w, h, ch)
		if prevThumb != nil && opt.DuplicateThreshold > 0 && meanAbsDiff(thumb, prevThumb) < opt.DuplicateThreshold {
			stats.Duplicates++
			continue
		}
		prevThumb = thumb
		if stats.Delivered >= opt.MaxFrames {
			continue
		}
		stats.Delivered++
		if cbErr = fn(Frame{Time: t, Width: w, Height: h, Channels: ch, Pix: pix}); cbErr != nil {
			cancel()
			break
		}
	}
	// Drain so ffmpeg can exit, then reap it.
	go func() {
		for range times {
		}
	}()
	werr := cmd.Wait()
	<-errDone
	if cbErr != nil {
		return stats, cbErr
	}
	if ctx.Err() != nil && stats.Delivered < opt.MaxFrames {
		if perr := context.Cause(ctx); perr != nil && !errors.Is(perr, context.Canceled) {
			return stats, perr
		}
	}
	if werr != nil && stats.Delivered == 0 {
		msg := strings.TrimSpace(errLines.String())
		if msg == "" {
			msg = werr.Error()
		}
		return stats, fmt.Errorf("ffmpeg video decode: %s", firstLine(msg, d.info.Path))
	}
	return stats, nil
}

// keyFrameTimes lists key frame times by demuxing packets (no decoding).
func keyFrameTimes(ctx context.Context, path string, stream int) ([]float64, error) {
	cmd := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-select_streams", strconv.Itoa(stream),
		"-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", "-i", "file:"+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{buf: &stderr, max: 2048}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting ffprobe: %w", err)
	}
	var keys []float64
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		pts, flags, ok := strings.Cut(sc.Text(), ",")
		if !ok || !strings.HasPrefix(flags, "K") {
			continue
		}
		t, err := strconv.ParseFloat(pts, 64)
		if err != nil {
			continue
		}
		keys = append(keys, t)
	}
	if err := cmd.Wait(); err != nil && len(keys) == 0 {
		return nil, fmt.Errorf("listing key frames: %s", firstLine(stderr.String(), path))
	}
	return keys, nil
}

const thumbW, thumbH = 32, 18

// thumbnail averages the frame down to 32x18 gray for duplicate checks.
func thumbnail(pix []byte, w, h, ch int) []float32 {
	out := make([]float32, thumbW*thumbH)
	cnt := make([]float32, thumbW*thumbH)
	stepY := max(1, h/(thumbH*8))
	stepX := max(1, w/(thumbW*8))
	for y := 0; y < h; y += stepY {
		ty := y * thumbH / h
		row := pix[y*w*ch:]
		for x := 0; x < w; x += stepX {
			tx := x * thumbW / w
			out[ty*thumbW+tx] += float32(row[x*ch])
			cnt[ty*thumbW+tx]++
		}
	}
	for i := range out {
		if cnt[i] > 0 {
			out[i] /= cnt[i]
		}
	}
	return out
}

func meanAbsDiff(a, b []float32) float64 {
	var s float64
	for i := range a {
		d := a[i] - b[i]
		if d < 0 {
			d = -d
		}
		s += float64(d)
	}
	return s / float64(len(a))
}
