package audio

import "math"

// spectroAcc keeps a coarse log spectrogram for the evidence picture:
// specRows linear frequency rows, at most about specCols columns.
type spectroAcc struct {
	per    int // STFT frames per column
	cur    []float64
	ncur   int
	cols   [][]float32
	binsPR float64
}

const (
	specRows = 160
	specCols = 900
)

func newSpectroAcc(sr float64, n, estFrames int) *spectroAcc {
	per := max(1, estFrames/specCols)
	return &spectroAcc{per: per, cur: make([]float64, specRows), binsPR: float64(n/2+1) / specRows}
}

func (s *spectroAcc) add(sp []complex64) {
	for k, v := range sp {
		r := min(specRows-1, int(float64(k)/s.binsPR))
		s.cur[r] += abs2(v)
	}
	s.ncur++
	if s.ncur == s.per {
		s.push()
	}
	// Unknown durations: fold pairs of columns to stay bounded.
	if len(s.cols) >= 2*specCols {
		for i := 0; i < len(s.cols)/2; i++ {
			a, b := s.cols[2*i], s.cols[2*i+1]
			for r := range a {
				a[r] = float32(10 * math.Log10((math.Pow(10, float64(a[r])/10)+math.Pow(10, float64(b[r])/10))/2))
			}
			s.cols[i] = a
		}
		s.cols = s.cols[:len(s.cols)/2]
		s.per *= 2
	}
}

func (s *spectroAcc) push() {
	col := make([]float32, specRows)
	for r, v := range s.cur {
		col[r] = float32(10 * math.Log10(v/float64(s.ncur)+1e-12))
		s.cur[r] = 0
	}
	s.cols = append(s.cols, col)
	s.ncur = 0
}

func (s *spectroAcc) finish() {
	if s.ncur > 0 {
		s.push()
	}
}
