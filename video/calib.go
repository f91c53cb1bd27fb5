package video

// Calibration of DefaultThreshold on generated negatives (cmd/evalvideo
// prints the per-video maximum overlay score of every negative). The
// threshold was 2.5 until the 40 calibration negatives were measured blob
// by blob (`-workers 1 -v`): the only blobs that pass the structural tests
// there are translucent stamps, all scoring 2.5 or more, and no other blob
// passes them at any score. At 2.0 the calibration set still has no
// visible_watermark finding, and a hard-negative stamp scoring 2.10 (seed
// 23010) now reads as a stamp. It is 1.5 since blob by blob the same
// holds at any score, and on the development sets (23001-37001) 1.5 found
// two more marks at opacity >= 0.08 (grey 240 marks over light pages,
// scoring 1.57 and 1.77) and read as many exactly; one positive video had
// a finding beside its mark. It is 1.2 since, on the eighteen development
// sets 23001-65001 (360 negatives) as on the calibration set, the only
// structural blobs of negatives are translucent stamps: at 1.0 six light
// marks scoring 1.00-1.48 were found, and a band of document text scoring
// 1.00 on a positive video (33041), the one non-mark blob above zero in 900
// videos, was reported away from its mark; 1.2 keeps five of the marks and
// leaves the band out. A stamp's translucent end scoring 1.24 (27035), read
// as noise, is not reported as a watermark where the static text reads the
// stamp (pieceOf). The fresh set 69001 was drawn for this threshold. With no
// negative at or above the threshold the false-positive rate is reported as
// the one-sided 95 % upper bound 3/N (the rule of three).
// calibScores are the measured per-video maxima (over blobs that pass the
// structural tests: present in most frames of their span, over at least
// minContents different contents showing the same letters, not inside
// static UI) of 45 negatives kept apart from the evaluation set: the 40
// negatives and hard negatives among seeds 1001..1100 (`go run
// ./cmd/evalvideo -first 1001 -n 100 -negatives`, 2026-11-26, final code,
// videos encoded single-threaded so that a seed gives the same file) and
// the 5 lavfi sources of TestLavfiNegatives. The five non-zero scores are
// semi-transparent "CONFIDENTIAL" stamps: real overlays, all five reported
// as static_overlay because their reading looks like a stamp; no clean
// negative passes the structural tests. (Re-measured when blobs of the
// correlation map came in: one stamp on a 480p page, 6.70, is found by
// them.)
var calibScores = []float64{15.66, 15.21, 12.69, 6.70, 5.59,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

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
