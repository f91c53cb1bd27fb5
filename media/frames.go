package media

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
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
	KeyFrames  int  // key frames listed: all, or the first MinKeyFrames when that many suffice
	Decoded    int  // frames ffmpeg delivered to us
	Duplicates int  // dropped as near-duplicates
	Delivered  int  // frames handed to the callback
	KeyOnly    bool // true when only key frames were decoded
}

// SampleFrames decodes a bounded, time-spread sample of frames and calls fn
// for each one that is not a near-duplicate of the previous delivered frame.
// Only key frames are decoded when the file has enough of them, which is an
// order of magnitude cheaper than decoding every frame; a long file's key
// frames are decoded by one ffmpeg per core, each over its own time range.
// fn sees the frames in time order either way.
func SampleFrames(ctx context.Context, info *Info, opt FrameOptions, fn func(Frame) error) (FrameStats, error) {
	return sampleFrames(ctx, info, opt, 0, fn)
}

// sampleFrames is SampleFrames with the key-frame decode split into parts
// concurrent processes; 0 chooses by the cores and the duration.
func sampleFrames(ctx context.Context, info *Info, opt FrameOptions, parts int, fn func(Frame) error) (FrameStats, error) {
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
	w, h, ch, pixFmt := frameGeometry(vs, opt)
	if w <= 0 || h <= 0 {
		return stats, fmt.Errorf("video stream has no size")
	}
	d := decodeJob{info: info, vs: vs, opt: opt, w: w, h: h, ch: ch, pixFmt: pixFmt}
	if duration > 0 {
		d.gap = duration / float64(opt.MaxFrames)
	}
	if parts <= 0 {
		parts = autoParts(duration)
	}

	// The key frames are listed while the key-frame decode already runs
	// (listing all reads the whole file, so it stops at MinKeyFrames). Frames
	// decoded before the listing says whether key frames suffice are held
	// back; when they do not, that decode is stopped and the file decoded
	// by time instead.
	dctx, dcancel := context.WithCancel(ctx)
	defer dcancel()
	var (
		keys    []float64
		keysErr error
	)
	decided := make(chan struct{})
	enough := func() bool {
		return keysErr == nil && (len(keys) >= opt.MinKeyFrames || duration <= 0)
	}
	go func() {
		defer close(decided)
		keys, keysErr = keyFrameTimes(ctx, info.Path, vs.Index, opt.MinKeyFrames)
		if !enough() {
			dcancel()
		}
	}()
	var held []Frame
	errFallback := errors.New("too few key frames")
	d.keyOnly = true
	if parts > 1 {
		// Frame threads hardly speed up a key-frame decode and cost
		// system time; the parts are what use the cores.
		d.threads = max(1, runtime.NumCPU()/parts)
	}
	st, err := d.sample(dctx, splitParts(duration, parts), func(f Frame) error {
		select {
		case <-decided:
		default:
			held = append(held, f)
			return nil
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
	<-decided
	if keysErr != nil {
		return stats, keysErr
	}
	if len(keys) == 0 {
		return stats, errors.New("video stream has no frames")
	}
	if enough() {
		for _, hf := range held {
			if err == nil {
				err = fn(hf)
			}
		}
		st.KeyFrames = len(keys)
		st.KeyOnly = true
		return st, err
	}
	// fn has seen no frame yet: whatever stopped the key-frame decode
	// (the fallback itself, or ffmpeg) does not matter unless ctx is done.
	if err := ctx.Err(); err != nil {
		return stats, context.Cause(ctx)
	}
	dcancel()
	// Key frames are rare here, so a part would spend most of its time
	// decoding up to its start: one process decodes everything.
	d.keyOnly, d.threads = false, 0
	st, err = d.sample(ctx, splitParts(duration, 1), fn)
	st.KeyFrames = len(keys)
	st.KeyOnly = false
	return st, err
}

// maxParts bounds the concurrent ffmpeg processes of one key-frame decode;
// minPartSeconds keeps a part long enough to repay starting a process.
const (
	maxParts       = 4
	minPartSeconds = 30
)

// autoParts is how many time ranges a key-frame decode is split into. One
// ffmpeg process decodes key frames on about one core whatever its thread
// count, so one process per core, each on its own range, uses the cores.
func autoParts(duration float64) int {
	n := min(runtime.NumCPU(), maxParts)
	return max(1, min(n, int(duration/minPartSeconds)))
}

// part is one time range of the stream, decoded by its own ffmpeg.
type part struct {
	from, to float64 // seconds from the stream start; to <= 0: to the end
}

// splitParts cuts [0, duration) into n equal parts. The cut points are
// rounded to what is passed to ffmpeg, so that the ranges fit exactly.
func splitParts(duration float64, n int) []part {
	if n <= 1 || duration <= 0 {
		return []part{{}}
	}
	ps := make([]part, n)
	for i := 1; i < n; i++ {
		cut, _ := strconv.ParseFloat(strconv.FormatFloat(duration*float64(i)/float64(n), 'f', 3, 64), 64)
		ps[i-1].to, ps[i].from = cut, cut
	}
	return ps
}

// decodeJob is one decode of a video stream to raw frames.
type decodeJob struct {
	info    *Info
	vs      StreamInfo
	opt     FrameOptions
	w, h    int
	ch      int
	pixFmt  string
	gap     float64
	keyOnly bool
	threads int // decoder threads per process; 0 lets ffmpeg choose
}

// decoded is a frame as one part's ffmpeg delivered it.
type decoded struct {
	t     float64
	pix   []byte
	thumb []float32 // nil without duplicate checks
}

// sample decodes the parts concurrently and calls fn in time order for
// each frame that is not a near-duplicate of the previous delivered one,
// up to opt.MaxFrames. Later parts are buffered while earlier ones are
// delivered: sampled frames are bounded, and callers rely on time order.
func (d decodeJob) sample(ctx context.Context, parts []part, fn func(Frame) error) (FrameStats, error) {
	var stats FrameStats
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chans := make([]chan decoded, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		// Room for a part's whole share of the sample, so that no part
		// waits for the ones before it to be delivered.
		chans[i] = make(chan decoded, d.opt.MaxFrames/len(parts)+16)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(chans[i])
			errs[i] = d.decode(ctx, p, func(f decoded) error {
				select {
				case chans[i] <- f:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}()
	}
	var prevThumb []float32
	var cbErr error
	for _, c := range chans {
		for f := range c {
			if cbErr != nil {
				continue
			}
			stats.Decoded++
			if prevThumb != nil && f.thumb != nil && meanAbsDiff(f.thumb, prevThumb) < d.opt.DuplicateThreshold {
				stats.Duplicates++
				continue
			}
			prevThumb = f.thumb
			if stats.Delivered >= d.opt.MaxFrames {
				continue
			}
			stats.Delivered++
			if cbErr = fn(Frame{Time: f.t, Width: d.w, Height: d.h, Channels: d.ch, Pix: f.pix}); cbErr != nil {
				cancel()
			}
		}
	}
	wg.Wait()
	if cbErr != nil {
		return stats, cbErr
	}
	if parent.Err() != nil && stats.Delivered < d.opt.MaxFrames {
		if perr := context.Cause(parent); !errors.Is(perr, context.Canceled) {
			return stats, perr
		}
	}
	if stats.Delivered == 0 {
		for _, err := range errs {
			if err != nil {
				return stats, err
			}
		}
	}
	return stats, nil
}

// decode runs one ffmpeg over part p and calls emit for each frame in it.
func (d decodeJob) decode(ctx context.Context, p part, emit func(decoded) error) error {
	w, h, ch, gap := d.w, d.h, d.ch, d.gap
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
	if d.threads > 0 {
		args = append(args, "-threads", strconv.Itoa(d.threads))
	}
	// Input -ss seeks to the key frame before from and drops frames
	// before it; times then count from from. Input -to stops before to.
	if p.from > 0 {
		args = append(args, "-ss", strconv.FormatFloat(p.from, 'f', -1, 64))
	}
	if p.to > 0 {
		args = append(args, "-to", strconv.FormatFloat(p.to, 'f', -1, 64))
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
		return err
	}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting ffmpeg: %w", err)
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
						case times <- t + p.from:
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
	var emitErr error
	n := 0
	lastT := p.from - gap
	for {
		pix := make([]byte, size)
		if _, err := io.ReadFull(br, pix); err != nil {
			break
		}
		t, ok := <-times
		if !ok {
			t = lastT + gap
		}
		lastT = t
		// Each frame belongs to exactly one part, whatever the demuxer
		// makes of the cut points.
		if (p.from > 0 && t < p.from) || (p.to > 0 && t >= p.to) {
			continue
		}
		n++
		f := decoded{t: t, pix: pix}
		if d.opt.DuplicateThreshold > 0 {
			f.thumb = thumbnail(pix, w, h, ch)
		}
		if emitErr = emit(f); emitErr != nil {
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
	if emitErr != nil {
		return emitErr
	}
	if werr != nil && n == 0 && ctx.Err() == nil {
		return fmt.Errorf("ffmpeg video decode: %s", ffmpegReason(errLines.String(), werr, d.info.Path))
	}
	return nil
}

// frameGeometry is the size frames of vs are delivered at under opt
// (MaxWidth; the height stays even), their channels and ffmpeg's name for
// their pixel format.
func frameGeometry(vs StreamInfo, opt FrameOptions) (w, h, ch int, pixFmt string) {
	w, h = vs.Width, vs.Height
	if opt.MaxWidth > 0 && w > opt.MaxWidth {
		h = (h*opt.MaxWidth/w + 1) &^ 1
		w = opt.MaxWidth
	}
	if opt.Gray {
		return w, h, 1, "gray"
	}
	return w, h, 3, "bgr24"
}

// ffmpegReason is the first line ffmpeg wrote to stderr, or err's text
// when it wrote none ("" when there is neither).
func ffmpegReason(stderr string, err error, path string) string {
	if strings.TrimSpace(stderr) == "" {
		if err == nil {
			return ""
		}
		stderr = err.Error()
	}
	return firstLine(stderr, path)
}

// keyFrameTimes lists key frame times by demuxing packets (no decoding),
// up to limit of them.
func keyFrameTimes(ctx context.Context, path string, stream, limit int) ([]float64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
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
	for len(keys) < limit && sc.Scan() {
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
	if len(keys) >= limit {
		// Enough to decide: stop ffprobe rather than read the whole file.
		cancel()
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
