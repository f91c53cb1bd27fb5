package video

import (
	"context"
	"errors"
	"image"

	"gocv.io/x/gocv"

	"tracescan/media"
)

// smallFrame is a reduced copy of a sampled frame, kept to locate the
// overlay in time once its template is known.
type smallFrame struct {
	t   float64
	pix []byte // gray, analysis size / smallDiv
}

const smallDiv = 2

// analysis holds what one pass over the sampled frames leaves behind.
type analysis struct {
	srcW, srcH int // source pixels
	w, h       int // analysis pixels
	duration   float64
	// halves accumulate alternate frames: overlay evidence found in one
	// half is checked in the other, which is what separates a mark that
	// stays from content that happened to be there in one frame.
	halves [2]*accumulator
	acc    *accumulator // both halves together
	small  []smallFrame
	sw, sh int
	stats  media.FrameStats
	info   *media.Info // the file, for frames read again
}

func (a *analysis) Close() {
	for _, h := range a.halves {
		h.Close()
	}
}

// scale converts analysis pixels to source pixels.
func (a *analysis) scale() float64 { return float64(a.srcW) / float64(a.w) }

// toSmall converts a rectangle in analysis pixels to the small frames'
// pixels, clamped to them.
func (a *analysis) toSmall(r image.Rectangle) image.Rectangle {
	return clampRect(image.Rect(r.Min.X/smallDiv, r.Min.Y/smallDiv, r.Max.X/smallDiv, r.Max.Y/smallDiv), a.sw, a.sh)
}

// highPassSigma is the high-pass scale at 1280 pixels wide: wide enough to
// keep the inside of bold strokes, narrow enough to stay local.
const highPassSigma = 4.0

// sigmaAt is the high-pass scale for frames width pixels wide.
func sigmaAt(width int) float64 { return highPassSigma * float64(width) / 1280 }

// contentGate is the local |H| above which a pixel is screen content in
// that frame: a 30 % white overlay on black stays below it, text of the
// shared document does not.
const contentGate = 70

func (d *Detector) analyse(ctx context.Context, info *media.Info, vs media.StreamInfo) (*analysis, error) {
	aw := min(d.opt.AnalysisWidth, vs.Width)
	// media.SampleFrames rounds the height the same way.
	ah := vs.Height
	if aw < vs.Width {
		ah = (vs.Height*aw/vs.Width + 1) &^ 1
	}
	an := &analysis{srcW: vs.Width, srcH: vs.Height, w: aw, h: ah,
		sw: aw / smallDiv, sh: ah / smallDiv, duration: vs.Duration, info: info}
	if an.duration <= 0 {
		an.duration = info.Duration
	}
	for i := range an.halves {
		an.halves[i] = newAccumulator(aw, ah, sigmaAt(aw), contentGate)
	}

	// Decoding (ffmpeg) and accumulating run concurrently: the callback
	// only hands frames over. The two halves accumulate in their own
	// goroutines (alternate frames), so both cores work on the sums.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type work struct {
		pix, small []byte
	}
	var halfCh [2]chan work
	halfDone := make(chan error, 2)
	for k := range halfCh {
		halfCh[k] = make(chan work, 2)
		go func(hf *accumulator, in <-chan work) {
			var err error
			var lastRep []byte
			for w := range in {
				if err != nil {
					continue
				}
				if err = hf.add(w.pix); err != nil {
					cancel()
					continue
				}
				if lastRep == nil || meanAbsDiffBytes(w.small, lastRep) >= distinctDiff {
					lastRep = w.small
					hf.distinct++
				}
			}
			halfDone <- err
		}(an.halves[k], halfCh[k])
	}
	frames := make(chan media.Frame, 3)
	done := make(chan error, 1)
	go func() {
		var err error
		for f := range frames {
			if err != nil {
				continue
			}
			if f.Width != aw || f.Height != ah {
				err = errors.New("frame size differs from the probed size")
				cancel()
				continue
			}
			sp := shrink(f.Pix, aw, ah, an.sw, an.sh)
			select {
			case halfCh[an.half(f.Time)] <- work{pix: f.Pix, small: sp}:
			case <-ctx.Done():
				err = ctx.Err()
				continue
			}
			an.small = append(an.small, smallFrame{t: f.Time, pix: sp})
		}
		for _, c := range halfCh {
			close(c)
		}
		for range halfCh {
			// A half's own error explains the cancellation that follows it.
			if herr := <-halfDone; herr != nil && (err == nil || errors.Is(err, context.Canceled)) {
				err = herr
			}
		}
		done <- err
	}()
	stats, serr := media.SampleFrames(ctx, info, media.FrameOptions{
		MaxFrames: d.opt.MaxFrames, MaxWidth: aw, Gray: true,
	}, func(f media.Frame) error {
		select {
		case frames <- f:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(frames)
	aerr := <-done
	an.stats = stats
	if aerr != nil {
		an.Close()
		return nil, aerr
	}
	if serr != nil && len(an.small) == 0 {
		an.Close()
		return nil, serr
	}
	an.acc = merge(an.halves[0], an.halves[1])
	return an, nil
}

// half returns which half the next frame belongs to: alternate frames.
// (Splitting by time blocks, so that one scene stays in one half, starved
// marks present in a few scenes: late_start fell from 4.9 to 1.7.)
func (a *analysis) half(float64) int {
	return len(a.small) % 2
}

// distinctDiff is the mean absolute difference (gray levels) from the last
// distinct frame that makes a frame a new, independent sample.
const distinctDiff = 6

func meanAbsDiffBytes(a, b []byte) float64 {
	var s int
	for i := range a {
		d := int(a[i]) - int(b[i])
		if d < 0 {
			d = -d
		}
		s += d
	}
	return float64(s) / float64(max(1, len(a)))
}

// shrink downsizes a gray frame by area averaging.
func shrink(pix []byte, w, h, sw, sh int) []byte {
	src, err := gocv.NewMatFromBytes(h, w, gocv.MatTypeCV8U, pix)
	if err != nil {
		return make([]byte, sw*sh)
	}
	defer src.Close()
	dst := gocv.NewMat()
	defer dst.Close()
	gocv.Resize(src, &dst, image.Pt(sw, sh), 0, 0, gocv.InterpolationArea)
	return dst.ToBytes()
}
