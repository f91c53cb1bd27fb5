package video

import (
	"math/rand"
	"slices"
	"testing"
)

// TestPercentileMatchesSort checks the selection against a full sort, on
// values with many ties and without.
func TestPercentileMatchesSort(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for it := 0; it < 3000; it++ {
		n := 1 + r.Intn(300)
		v := make([]float32, n)
		for i := range v {
			switch it % 3 {
			case 0:
				v[i] = float32(r.Intn(5))
			default:
				v[i] = r.Float32()
			}
		}
		q := r.Float64()
		s := slices.Clone(v)
		slices.Sort(s)
		want := s[int(q*float64(n-1))]
		if got := percentile(v, q); got != want {
			t.Fatalf("n=%d q=%v got %v want %v", n, q, got, want)
		}
	}
}
