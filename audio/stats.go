package audio

import (
	"math"
	"sort"

	"tracescan/internal/order"
)

// medianMAD returns the median and the normal-consistent MAD of x.
func medianMAD(x []float64) (float64, float64) {
	if len(x) == 0 {
		return 0, 0
	}
	s := append([]float64(nil), x...)
	med := order.Nth(s, len(s)/2)
	for i := range s {
		s[i] = math.Abs(s[i] - med)
	}
	return med, 1.4826 * order.Nth(s, len(s)/2)
}

// gammaTail is P(X > x) for X ~ Gamma(k, 1), k a positive integer: the sum
// of k independent unit exponentials (normalised |R|^2 of complex noise).
func gammaTail(k int, x float64) float64 {
	if x <= 0 {
		return 1
	}
	term, sum := 1.0, 1.0
	for j := 1; j < k; j++ {
		term *= x / float64(j)
		sum += term
	}
	return math.Exp(-x) * sum
}

// normTail is P(Z > z) for a standard normal.
func normTail(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

func clampP(p float64) float64 {
	if p > 1 {
		return 1
	}
	if p < 1e-300 {
		return 1e-300
	}
	return p
}

// localMax returns the largest x[i] for i in [c-w, c+w] within bounds.
func localMax(x []float64, c, w int) (float64, int) {
	best, bi := math.Inf(-1), c
	for i := max(0, c-w); i <= min(len(x)-1, c+w); i++ {
		if x[i] > best {
			best, bi = x[i], i
		}
	}
	return best, bi
}

// poolMax shrinks a curve to at most n points by max pooling (for plots).
func poolMax(x []float64, n int) []float64 {
	if len(x) <= n {
		return append([]float64(nil), x...)
	}
	out := make([]float64, n)
	for i := range out {
		a, b := i*len(x)/n, (i+1)*len(x)/n
		m := math.Inf(-1)
		for _, v := range x[a:b] {
			m = math.Max(m, v)
		}
		out[i] = m
	}
	return out
}

func sortFloats(x []float64) { sort.Float64s(x) }
