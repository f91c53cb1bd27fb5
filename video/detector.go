// Package video finds visible watermarks (semi-transparent text overlays
// such as the viewer's email that Zoom, Teams, Webex and Meet draw over
// shared screens) and visible identity text on static UI in recordings.
//
// One pass over a bounded sample of key frames accumulates per-pixel
// statistics at an analysis width; overlays are localised on those maps,
// rebuilt as an image, read with Tesseract, and located in time on small
// copies of the sampled frames.
package video

import (
	"context"
	"fmt"
	"log/slog"

	"tracescan/media"
	"tracescan/report"
)

// Options tunes the detector. Zero values take the defaults.
type Options struct {
	// MaxFrames bounds the sampled frames (default 160).
	MaxFrames int
	// AnalysisWidth is the width frames are scaled down to for the
	// statistics (default 1280; 16:9 at that width is 3.5 MB per map).
	AnalysisWidth int
	// Threshold is the detection score above which an overlay is reported
	// (default DefaultThreshold, calibrated on generated negatives).
	Threshold float64
	// MaxOCR bounds the Tesseract calls per overlay (default 15: five
	// lines, three looks each): OCR is the slowest step.
	MaxOCR int
	// NoOCR skips reading text (for benchmarks of the localisation).
	NoOCR bool
}

// Detector is the visible-watermark scanner.
type Detector struct {
	opt Options
}

// New returns a detector with opts filled with defaults.
func New(opts Options) *Detector {
	if opts.MaxFrames <= 0 {
		opts.MaxFrames = 160
	}
	// The per-pixel counts hold at most maxSampledFrames.
	opts.MaxFrames = min(opts.MaxFrames, maxSampledFrames)
	if opts.AnalysisWidth <= 0 {
		opts.AnalysisWidth = 1280
	}
	if opts.Threshold <= 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.MaxOCR <= 0 {
		opts.MaxOCR = 15
	}
	return &Detector{opt: opts}
}

// Name is the scanner name used by --scanners.
func (d *Detector) Name() string { return "video" }

// Detect scans one probed file. Files without a video stream give no
// findings and no error.
func (d *Detector) Detect(ctx context.Context, info *media.Info) ([]report.Finding, error) {
	fs, _, err := d.DetectWithScore(ctx, info)
	return fs, err
}

// DetectWithScore is Detect that also returns the best overlay score seen,
// reported or not: the statistic the threshold is calibrated on.
func (d *Detector) DetectWithScore(ctx context.Context, info *media.Info) ([]report.Finding, float64, error) {
	vs, ok := info.Video()
	if !ok || vs.Width <= 0 || vs.Height <= 0 {
		return nil, 0, nil
	}
	an, err := d.analyse(ctx, info, vs)
	if err != nil {
		return nil, 0, fmt.Errorf("video analysis: %w", err)
	}
	defer an.Close()
	slog.Debug("video frames", "file", info.Path, "frames", an.acc.frames, "stats", fmt.Sprintf("%+v", an.stats))
	if an.acc.frames < minFrames {
		return nil, 0, nil
	}
	res, err := d.interpret(ctx, an)
	if err != nil {
		return nil, 0, err
	}
	return res.findings(info, an), res.maxScore, nil
}

// minFrames is the fewest distinct frames the statistics make sense with.
const minFrames = 4
