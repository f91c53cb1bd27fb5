package audio

import (
	"math"
	"sort"
)

// BeaconScore describes persistent narrowband energy at 17-24 kHz.
type BeaconScore struct {
	// Frac is the share of frames with a tone at least beaconPromDB above
	// the band median.
	Frac float64
	// Tones are the distinct tone frequencies (Hz) carrying most of it.
	Tones []float64
	// SymbolMS is the median run of one tone (FSK symbol length).
	SymbolMS float64
	// QuietFrac is Frac over the frames where the speech band is quiet:
	// a beacon plays regardless, a harmonic of loud content does not.
	QuietFrac float64
	Frames    int
	BandLo    float64
	BandHi    float64
}

const beaconPromDB = 15

func beaconScore(b *beaconAcc, sr float64, hop int) *BeaconScore {
	nf := len(b.peak)
	if b.k2 == 0 || nf < 100 {
		return nil
	}
	bs := &BeaconScore{Frames: nf, BandLo: float64(b.k1) * b.binHz, BandHi: float64(b.k2) * b.binHz}
	lv := make([]float64, nf)
	for i, v := range b.content {
		lv[i] = float64(v)
	}
	medLv, _ := medianMAD(lv)
	hist := map[int]int{}
	var on, quiet, quietOn int
	for i := 0; i < nf; i++ {
		isOn := b.prom[i] >= beaconPromDB
		if isOn {
			on++
			hist[int(b.peak[i])]++
		}
		if lv[i] <= medLv {
			quiet++
			if isOn {
				quietOn++
			}
		}
	}
	bs.Frac = float64(on) / float64(nf)
	if quiet > 0 {
		bs.QuietFrac = float64(quietOn) / float64(quiet)
	}
	if on == 0 {
		return bs
	}
	// Tone clusters: bins holding >= 3 % of tone frames, neighbours merged.
	var bins []int
	for k, c := range hist {
		if float64(c) >= 0.03*float64(on) {
			bins = append(bins, k)
		}
	}
	sort.Ints(bins)
	for i := 0; i < len(bins); i++ {
		j := i
		wsum, fsum := 0.0, 0.0
		for ; j < len(bins) && bins[j]-bins[i] <= 2; j++ {
			c := float64(hist[bins[j]])
			wsum += c
			fsum += c * float64(bins[j]) * b.binHz
		}
		bs.Tones = append(bs.Tones, fsum/wsum)
		i = j - 1
	}
	// Symbol length: median run of the same tone (within 2 bins).
	var runs []float64
	run := 0
	for i := 1; i < nf; i++ {
		if b.prom[i] >= beaconPromDB && b.prom[i-1] >= beaconPromDB &&
			math.Abs(float64(b.peak[i])-float64(b.peak[i-1])) <= 2 {
			run++
			continue
		}
		if run > 0 {
			runs = append(runs, float64(run+1))
		}
		run = 0
	}
	if len(runs) > 0 {
		m, _ := medianMAD(runs)
		bs.SymbolMS = 1000 * m * float64(hop) / sr
	}
	return bs
}
