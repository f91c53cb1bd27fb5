// Package order selects order statistics without sorting whole slices.
package order

import (
	"cmp"
	"slices"
)

// Nth returns the value that sorting x would put at index k, reordering x:
// quickselect, linear time on average instead of a full sort. Small ranges
// and unlucky pivots fall back to sorting.
func Nth[T cmp.Ordered](x []T, k int) T {
	lo, hi := 0, len(x)-1
	for rounds := 0; hi > lo; rounds++ {
		if hi-lo < 16 || rounds > 64 {
			slices.Sort(x[lo : hi+1])
			return x[k]
		}
		// Median of three as the pivot.
		m := lo + (hi-lo)/2
		if x[m] < x[lo] {
			x[m], x[lo] = x[lo], x[m]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[m] {
			x[hi], x[m] = x[m], x[hi]
		}
		p := x[m]
		i, j := lo, hi
		for i <= j {
			for x[i] < p {
				i++
			}
			for x[j] > p {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return x[k]
		}
	}
	return x[k]
}
