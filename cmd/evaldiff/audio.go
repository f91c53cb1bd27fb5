package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"

	"tracescan/compare/audiodiff"
	"tracescan/media"
	"tracescan/samples/audiomarks"
)

func init() {
	suites["audio"] = evalAudio
	suites["audiocal"] = calibAudio
}

// evalAudio uses seeds 1000+ (positive) and 2000+ (negative); the
// thresholds in compare/audiodiff were set on calibAudio's seeds only.
func evalAudio(ctx context.Context, dir string, n int) ([]pairResult, error) {
	return audioPairs(ctx, dir, n, 1000, 2000)
}

// calibAudio is the calibration set (seeds 9000+ and 9500+).
func calibAudio(ctx context.Context, dir string, n int) ([]pairResult, error) {
	return audioPairs(ctx, dir, n, 9000, 9500)
}

var (
	posHosts = []audiomarks.Host{audiomarks.Speech, audiomarks.Conversation, audiomarks.Music, audiomarks.Conversation, audiomarks.HoldMusic}
	negHosts = []audiomarks.Host{audiomarks.Speech, audiomarks.Conversation, audiomarks.Music, audiomarks.Loop,
		audiomarks.HoldMusic, audiomarks.Noise, audiomarks.Jingle, audiomarks.Room}
	codecPairs = [][2]audiomarks.Variant{
		{audiomarks.AAC96, audiomarks.MP3128},
		{audiomarks.MP3128, audiomarks.AAC96},
		{audiomarks.AAC96, audiomarks.Plain},
		{audiomarks.Plain, audiomarks.MP3128},
	}
)

// pairSpec draws the recording conditions of pair i from its seed: codecs,
// offset (B padded by up to 3 min or trimmed by up to 20 s), drift up to
// 0.1 %, B at 44.1 kHz for one pair in three, and every tenth pair 5 min long.
func pairSpec(i int, seed int64, positive bool) audiomarks.PairSpec {
	rng := rand.New(rand.NewSource(seed))
	cp := codecPairs[i%len(codecPairs)]
	sp := audiomarks.PairSpec{VariantA: cp[0], VariantB: cp[1], DurationS: 120}
	if i%10 == 9 {
		sp.DurationS = 300
	}
	if rng.Intn(3) == 0 {
		sp.OffsetS = -(1 + 19*rng.Float64())
	} else {
		sp.OffsetS = 2 + 178*rng.Float64()
	}
	sp.DriftPPM = (rng.Float64()*2 - 1) * 1000
	if i%3 == 1 {
		sp.RateB = 44100
	}
	if positive {
		sp.Host = posHosts[i%len(posHosts)]
		if i%2 == 0 {
			sp.Mark = audiomarks.PN
			sp.StrengthDB = []float64{-35, -40, -45}[(i/2)%3]
		} else {
			sp.Mark = audiomarks.Patchwork
			sp.StrengthDB = []float64{-35, -38, -40}[(i/2)%3]
		}
	} else {
		sp.Host = negHosts[i%len(negHosts)]
	}
	return sp
}

func audioPairs(ctx context.Context, dir string, n int, posSeed, negSeed int64) ([]pairResult, error) {
	var out []pairResult
	for _, positive := range []bool{true, false} {
		for i := 0; i < n; i++ {
			if err := ctx.Err(); err != nil {
				return out, err
			}
			seed := negSeed + int64(i)
			if positive {
				seed = posSeed + int64(i)
			}
			sp := pairSpec(i, seed, positive)
			r := pairResult{Positive: positive, Name: fmt.Sprintf("%d %s/%s", seed, sp.Mark, sp.Host)}
			lb, err := audiomarks.GeneratePair(ctx, filepath.Join(dir, fmt.Sprint(seed)), seed, sp)
			if err != nil {
				if errors.Is(err, context.Canceled) {
					return out, err
				}
				r.Err = fmt.Errorf("generating: %w", err)
				out = append(out, r)
				continue
			}
			r.Name = fmt.Sprintf("%d %s", seed, lb.Name)
			res, err := comparePair(ctx, lb)
			if err != nil {
				r.Err = err
			} else {
				st := res.Stats
				r.Flagged = res.Flagged
				r.Detail = fmt.Sprintf("off %.3f/%.3f drift %.0f/%.0fppm wave p=%.1e rho=%.4f @%.2fs pat p=%.1e rho=%.4f @%.2fs res %.1fdB hide %.0fdB",
					res.OffsetS, sp.OffsetS, res.Drift*1e6, lb.Drift*1e6, st.WaveP, st.WaveRho, st.WaveLagS, st.PatternP, st.PatternRho, st.PatternLagS,
					st.ResidualDB, st.HideableDB)
			}
			out = append(out, r)
			os.RemoveAll(filepath.Join(dir, fmt.Sprint(seed)))
		}
	}
	return out, nil
}

func comparePair(ctx context.Context, lb audiomarks.PairLabel) (*audiodiff.Result, error) {
	a, err := media.Probe(ctx, lb.A)
	if err != nil {
		return nil, err
	}
	b, err := media.Probe(ctx, lb.B)
	if err != nil {
		return nil, err
	}
	return audiodiff.Compare(ctx, a, b, audiodiff.Options{})
}
