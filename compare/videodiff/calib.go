package videodiff

import "sort"

// flagScore is the side score from which a copy is said to carry a mark.
// On the calibration pairs (seeds 9001-9012, fixed before evaluating) clean
// pairs scored at most 281 and the stronger mark of every marked pair at
// least 1710; the weaker mark of a pair scored from 201 up.
const flagScore = 700.0

// calibNegatives are the larger side scores of the calibration negatives
// (clean recordings encoded two ways, with and without identical static UI;
// seeds 9001-9012, see calib_test.go), sorted.
var calibNegatives = []float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 14, 15, 51, 52, 56, 58, 65, 89, 120, 132, 205, 281}

// calibFPR is the share of calibration negatives scoring at least s, with
// one added to both counts so that it never claims zero.
func calibFPR(s float64) float64 {
	i := sort.SearchFloat64s(calibNegatives, s)
	k := len(calibNegatives) - i
	return float64(k+1) / float64(len(calibNegatives)+1)
}
