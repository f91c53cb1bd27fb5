package audio

import "math"

// beaconAcc keeps, per STFT frame, the strongest bin of the 17-24 kHz band
// and how far it stands above the band's median (narrowband prominence),
// plus the level of the speech band: a beacon is there whether or not
// anyone speaks, a harmonic of loud music is not.
type beaconAcc struct {
	k1, k2  int
	binHz   float64
	peak    []uint16
	prom    []int8 // dB above the band median, clipped
	content []int8 // speech-band level in dB re full scale, clipped
	kc1     int
	kc2     int
}

func newBeaconAcc(sr float64, n int) *beaconAcc {
	binHz := sr / float64(n)
	b := &beaconAcc{binHz: binHz}
	hi := math.Min(24000, 0.5*sr-300)
	if hi-17000 < 1000 {
		return b // no ultrasonic band at this rate
	}
	b.k1, b.k2 = int(math.Ceil(17000/binHz)), int(math.Floor(hi/binHz))
	b.kc1, b.kc2 = int(300/binHz), int(8000/binHz)
	return b
}

func (b *beaconAcc) add(sp []complex64) {
	if b.k2 == 0 {
		return
	}
	best, bk := -1.0, 0
	for k := b.k1; k <= b.k2; k++ {
		if p := abs2(sp[k]); p > best {
			best, bk = p, k
		}
	}
	// Prominence against both flanks (3-6 bins away): a tone stands above
	// both, while a codec's low-pass edge only stands above the empty side.
	flank := func(a, z int) float64 {
		s, n := 0.0, 0
		for k := max(0, a); k <= min(len(sp)-1, z); k++ {
			s += abs2(sp[k])
			n++
		}
		return s / float64(max(1, n))
	}
	side := math.Max(flank(bk-6, bk-3), flank(bk+3, bk+6))
	prom := 10 * math.Log10((best+1e-20)/(side+1e-20))
	// A tone far below anything audible or recordable (codec quantisation
	// specks in near-silence, about -110 dBFS in AAC) is no beacon: real
	// beacons play at levels a loudspeaker carries across a room.
	toneDBFS := 10 * math.Log10(best/float64(len(sp)*len(sp))+1e-30)
	if best < 1e-14 || toneDBFS < beaconFloorDBFS {
		prom = 0
	}
	c := 0.0
	for k := b.kc1; k <= b.kc2; k++ {
		c += abs2(sp[k])
	}
	b.peak = append(b.peak, uint16(bk))
	b.prom = append(b.prom, clip8(prom))
	b.content = append(b.content, clip8(10*math.Log10(c/float64(len(sp)*len(sp))+1e-12)))
}

// beaconFloorDBFS is the weakest tone level (per STFT bin, about dBFS)
// counted as a beacon tone.
const beaconFloorDBFS = -90

func clip8(v float64) int8 {
	v = math.Round(v)
	if v > 127 {
		return 127
	}
	if v < -127 {
		return -127
	}
	return int8(v)
}
