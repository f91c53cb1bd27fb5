package video

// Calibration of DefaultThreshold on generated negatives (cmd/evalvideo
// prints the per-video maximum overlay score of every negative). With no
// negative at or above the threshold the false-positive rate is reported as
// the one-sided 95 % upper bound 3/N (the rule of three).
// calibScores are the measured per-video maxima (over blobs that pass the
// structural tests: present in most frames of their span, not inside static
// UI) of 25 negatives: the 20 negatives and hard negatives of
// `go run ./cmd/evalvideo -n 50` (seeds 1..50, 2026-11-23 13:28, threshold
// 2.5) and the 5 lavfi sources of TestLavfiNegatives (testsrc, testsrc2 at
// two sizes, mandelbrot, smptebars with a moving box). The 5.60 is a
// semi-transparent "CONFIDENTIAL" stamp (reported as static_overlay once its
// reading looks like a stamp), the 2.51 the zooming mandelbrot.
var calibScores = []float64{5.60, 2.51, 2.40, 1.54, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

var calibNegatives = len(calibScores)

// falsePositiveRate is the share of calibration negatives scoring at least
// score (the rule-of-three bound when none does).
func falsePositiveRate(score float64) (float64, bool) {
	if calibNegatives == 0 {
		return 0, false
	}
	n := 0
	for _, s := range calibScores {
		if s >= score {
			n++
		}
	}
	if n == 0 {
		return 3.0 / float64(calibNegatives), true
	}
	return float64(n) / float64(calibNegatives), true
}
