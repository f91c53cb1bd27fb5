package order

import (
	"math/rand"
	"slices"
	"testing"
)

// TestNth checks the selection against a full sort, on values with many
// ties and without, in both float widths the detectors use.
func TestNth(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(1))
	for it := 0; it < 3000; it++ {
		n := 1 + r.Intn(300)
		x64 := make([]float64, n)
		for i := range x64 {
			if it%2 == 0 {
				x64[i] = r.NormFloat64()
			} else {
				x64[i] = float64(r.Intn(5)) // ties
			}
		}
		x32 := make([]float32, n)
		for i, v := range x64 {
			x32[i] = float32(v)
		}
		k := r.Intn(n)
		want64, want32 := slices.Clone(x64), slices.Clone(x32)
		slices.Sort(want64)
		slices.Sort(want32)
		if got := Nth(x64, k); got != want64[k] {
			t.Fatalf("float64 n %d k %d: got %v, want %v", n, k, got, want64[k])
		}
		if got := Nth(x32, k); got != want32[k] {
			t.Fatalf("float32 n %d k %d: got %v, want %v", n, k, got, want32[k])
		}
	}
}
