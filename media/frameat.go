package media

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
)

// FramesAt decodes the frame shown at each of times (seconds from the
// stream start) at the size and pixel format opt gives (MaxWidth, Gray):
// a few frames chosen after sampling, read again whole. Each is one
// accurate seek, which decodes from the key frame before it; the seeks
// run concurrently, one per core.
func FramesAt(ctx context.Context, info *Info, times []float64, opt FrameOptions) ([]Frame, error) {
	vs, ok := info.Video()
	if !ok {
		return nil, fmt.Errorf("no video stream")
	}
	w, h, ch, pixFmt := frameGeometry(vs, opt)
	out := make([]Frame, len(times))
	errs := make([]error, len(times))
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for i, t := range times {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			args := []string{"-nostdin", "-hide_banner", "-nostats", "-v", "error", "-threads", "1",
				"-ss", strconv.FormatFloat(max(0, t), 'f', 4, 64), "-i", "file:" + info.Path,
				"-map", "0:" + strconv.Itoa(vs.Index), "-an", "-sn", "-dn", "-frames:v", "1",
				"-vf", fmt.Sprintf("scale=%d:%d:flags=area", w, h),
				"-f", "rawvideo", "-pix_fmt", pixFmt, "pipe:1"}
			cmd := exec.CommandContext(ctx, "ffmpeg", args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if stdout.Len() < w*h*ch {
				reason := ffmpegReason(stderr.String(), err, info.Path)
				if reason == "" {
					reason = "no frame there"
				}
				errs[i] = fmt.Errorf("ffmpeg frame at %.3f s: %s", t, reason)
				return
			}
			out[i] = Frame{Time: t, Width: w, Height: h, Channels: ch, Pix: stdout.Bytes()[:w*h*ch]}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
