package audiomarks

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
)

// PairSpec says how to make two copies of one meeting.
type PairSpec struct {
	Host Host
	// Mark is embedded in both copies with different keys and payloads
	// (None for a negative pair: one clean recording encoded two ways).
	Mark Mark
	// StrengthDB: PN, mark RMS relative to the host RMS (e.g. -35);
	// patchwork, the target RMS of the change it makes relative to the host
	// (the +-dB of the band modulation is derived from it).
	StrengthDB float64
	// PeriodS of the payload repeat, shared by both copies (0: drawn, 1-6 s).
	PeriodS float64
	// VariantA and VariantB: the codec of each copy (default AAC96, MP3128).
	VariantA, VariantB Variant
	// OffsetS is the time in B of A's t=0: positive pads B's start with room
	// noise, negative trims B's start.
	OffsetS float64
	// DriftPPM stretches B: tB = OffsetS + (1 + DriftPPM*1e-6) * tA.
	DriftPPM float64
	// RateB is B's output sample rate (0: 48000; 44100 resamples).
	RateB int
	// DurationS of A (default 120).
	DurationS float64
	// Different makes B from another meeting (different host content).
	Different bool
}

// PairLabel describes a generated pair.
type PairLabel struct {
	Spec     PairSpec
	Seed     int64
	A, B     string // file paths
	Positive bool   // the copies carry different marks
	// MarkDB is the measured RMS of each copy's mark relative to the host.
	MarkDB float64
	// Drift is the actual relative drift (B rate / A rate - 1) after
	// rounding to what the resampler can do.
	Drift float64
	Name  string
}

// GeneratePair writes copies A and B of one meeting into dir. The same seed
// and spec give the same files.
func GeneratePair(ctx context.Context, dir string, seed int64, spec PairSpec) (PairLabel, error) {
	if spec.DurationS == 0 {
		spec.DurationS = 120
	}
	if spec.Mark == "" {
		spec.Mark = None
	}
	if spec.VariantA == "" {
		spec.VariantA = AAC96
	}
	if spec.VariantB == "" {
		spec.VariantB = MP3128
	}
	if spec.RateB == 0 {
		spec.RateB = Rate
	}
	rng := rand.New(rand.NewSource(seed))
	if spec.PeriodS == 0 {
		spec.PeriodS = 1 + 5*rng.Float64()
	}
	n := int(spec.DurationS * Rate)
	host, err := makeHost(ctx, rng, spec.Host, n)
	if err != nil {
		return PairLabel{}, err
	}
	a := append([]float32(nil), host...)
	b := append([]float32(nil), host...)
	if spec.Different {
		other, err := makeHost(ctx, rand.New(rand.NewSource(seed*31+7)), spec.Host, n)
		if err != nil {
			return PairLabel{}, err
		}
		b = other
	}
	lb := PairLabel{Spec: spec, Seed: seed, Positive: spec.Mark != None && !spec.Different, MarkDB: math.Inf(-1)}
	if spec.Mark != None {
		var dbA, dbB float64
		dbA, err = embedKeyed(a, spec, seed*7919+17)
		if err == nil {
			dbB, err = embedKeyed(b, spec, seed*104729+53)
		}
		if err != nil {
			return PairLabel{}, err
		}
		lb.MarkDB = math.Max(dbA, dbB)
	}
	// B's start: padded with the room before the meeting, or trimmed.
	drift := 0.0
	asrate := Rate
	if spec.DriftPPM != 0 {
		asrate = int(math.Round(Rate / (1 + spec.DriftPPM*1e-6)))
		drift = float64(Rate)/float64(asrate) - 1
	}
	lb.Drift = drift
	switch pre := int(math.Round(spec.OffsetS / (1 + drift) * Rate)); {
	case pre > 0:
		room := noise(rng, pre, true, 0.001)
		b = append(room, b...)
	case pre < 0:
		if -pre >= len(b) {
			return PairLabel{}, fmt.Errorf("offset %g s trims all of B", spec.OffsetS)
		}
		b = b[-pre:]
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return PairLabel{}, err
	}
	base := filepath.Join(dir, fmt.Sprintf("pair_%s_%s_%d", spec.Mark, spec.Host, seed))
	if lb.A, err = encode(ctx, a, base+"_a", spec.VariantA, Rate, 0); err != nil {
		return PairLabel{}, err
	}
	if lb.B, err = encode(ctx, b, base+"_b", spec.VariantB, spec.RateB, asrate); err != nil {
		return PairLabel{}, err
	}
	mk := "none"
	if spec.Mark != None {
		mk = fmt.Sprintf("%s%.0fdB", spec.Mark, lb.MarkDB)
	}
	if spec.Different {
		mk = "different-meeting"
	}
	lb.Name = fmt.Sprintf("%s/%s %s vs %s", mk, spec.Host, spec.VariantA, spec.VariantB)
	return lb, nil
}

// embedKeyed embeds spec.Mark with the key drawn from keySeed and returns
// the mark's RMS relative to the host in dB.
func embedKeyed(x []float32, spec PairSpec, keySeed int64) (float64, error) {
	host := append([]float32(nil), x...)
	switch spec.Mark {
	case PN:
		embedPN(x, rand.New(rand.NewSource(keySeed)), float64(pnPeriod(spec.PeriodS))/Rate, 2000, 6000, spec.StrengthDB)
	case Patchwork:
		// The change a band modulation makes grows with its +-dB: measure it
		// at 1 dB on an excerpt and scale to the target level.
		ex := append([]float32(nil), host[:min(len(host), 40*Rate)]...)
		embedPatchwork(ex, rand.New(rand.NewSource(keySeed)), spec.PeriodS, 1, 1024)
		at1 := diffDB(ex, host[:len(ex)])
		db := math.Pow(10, (spec.StrengthDB-at1)/20)
		embedPatchwork(x, rand.New(rand.NewSource(keySeed)), spec.PeriodS, db, 1024)
	default:
		return 0, fmt.Errorf("pairs support pn and patchwork marks, not %q", spec.Mark)
	}
	return diffDB(x, host), nil
}

func diffDB(x, host []float32) float64 {
	d := make([]float32, len(x))
	for i := range x {
		d[i] = x[i] - host[i]
	}
	h := rms(host)
	if h < 1e-9 {
		return math.Inf(1)
	}
	return 20 * math.Log10(rms(d)/h)
}

// encode writes x (at Rate) as a file of variant v at outRate; asrate != 0
// first relabels the samples at that rate, which stretches time by
// Rate/asrate (clock drift).
func encode(ctx context.Context, x []float32, base string, v Variant, outRate, asrate int) (string, error) {
	src := base + ".src.wav"
	if err := WriteWAV(src, Rate, [][]float32{x}); err != nil {
		return "", err
	}
	defer os.Remove(src)
	af := "anull"
	if asrate != 0 && asrate != Rate {
		af = "asetrate=" + strconv.Itoa(asrate)
	}
	af += ",aresample=" + strconv.Itoa(outRate)
	var codec []string
	out := base
	switch v {
	case Plain:
		out += ".wav"
		codec = []string{"-c:a", "pcm_s16le"}
	case AAC96:
		out += ".m4a"
		codec = []string{"-c:a", "aac", "-b:a", "96k"}
	case MP3128:
		out += ".mp3"
		codec = []string{"-c:a", "libmp3lame", "-b:a", "128k"}
	case Opus32:
		out += ".opus"
		codec = []string{"-c:a", "libopus", "-b:a", "32k"}
	default:
		return "", fmt.Errorf("variant %q is not supported for pairs", v)
	}
	args := append([]string{"-v", "error", "-y", "-i", src, "-af", af, "-ar", strconv.Itoa(outRate)}, codec...)
	if err := run(ctx, "ffmpeg", append(args, out)...); err != nil {
		return "", err
	}
	return out, nil
}
