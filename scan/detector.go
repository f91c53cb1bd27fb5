package scan

import (
	"context"

	"tracescan/media"
	"tracescan/report"
)

// Detector inspects one probed file. Detectors never print and know nothing
// of output formats: they return findings (and pictures inside them).
type Detector interface {
	// Name is the scanner name used by --scanners: metadata, audio, video.
	Name() string
	Detect(ctx context.Context, info *media.Info) ([]report.Finding, error)
}
