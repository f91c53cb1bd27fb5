package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tracescan/compare/videodiff"
	"tracescan/media"
	"tracescan/report"
	"tracescan/samples/screenshare"
)

func init() { suites["video"] = evalVideo }

// Video pairs use seeds from 201 (positives) and 701 (negatives); the
// comparison's threshold was calibrated on seeds 9001-9012.
const (
	videoPosSeed = 201
	videoNegSeed = 701
)

// evalVideo generates n positive pairs (two viewers' marks) and n negative
// pairs (one clean recording encoded two ways, every other one with the same
// static UI in both copies) and compares each.
func evalVideo(ctx context.Context, dir string, n int) ([]pairResult, error) {
	var out []pairResult
	for i := 0; i < 2*n; i++ {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		kind, seed := screenshare.PairPositive, int64(videoPosSeed+i)
		if i >= n {
			kind, seed = screenshare.PairNegative, int64(videoNegSeed+i-n)
			if (i-n)%2 == 1 {
				kind = screenshare.PairStatic
			}
		}
		out = append(out, evalVideoPair(ctx, dir, kind, seed))
	}
	return out, nil
}

func evalVideoPair(ctx context.Context, dir, kind string, seed int64) pairResult {
	lbl, err := screenshare.GeneratePair(ctx, dir, seed, screenshare.PairSpec{Kind: kind})
	r := pairResult{Name: lbl.Name(), Positive: kind == screenshare.PairPositive}
	if err != nil {
		r.Err = fmt.Errorf("generating: %w", err)
		return r
	}
	infoA, err := media.Probe(ctx, lbl.A.Path)
	if err != nil {
		r.Err = err
		return r
	}
	infoB, err := media.Probe(ctx, lbl.B.Path)
	if err != nil {
		r.Err = err
		return r
	}
	start := time.Now()
	res, err := videodiff.Compare(ctx, infoA, infoB, videodiff.Options{})
	took := time.Since(start)
	if err != nil {
		r.Err = err
		return r
	}
	r.Flagged = res.Flagged
	var parts []string
	for _, c := range []struct {
		name string
		lbl  screenshare.CopyLabel
	}{{"a", lbl.A}, {"b", lbl.B}} {
		f := findCopy(res.Findings, c.name)
		switch {
		case f == nil:
			parts = append(parts, c.name+":-")
		case c.lbl.Identity == "":
			parts = append(parts, fmt.Sprintf("%s:score %.0f", c.name, f.Score))
		default:
			parts = append(parts, fmt.Sprintf("%s:score %.0f exact=%v", c.name, f.Score, readsIdentity(f, c.lbl.Identity)))
		}
	}
	parts = append(parts, fmt.Sprintf("scale %.4f/%.4f offset %.2f/%.2f in %.1fs", res.Scale, lbl.Scale, res.OffsetS, lbl.OffsetS, took.Seconds()))
	r.Detail = strings.Join(parts, " ")
	return r
}

func findCopy(fs []report.Finding, copyName string) *report.Finding {
	for i := range fs {
		if fs[i].Kind == report.KindCopyDifference && fs[i].Copy == copyName {
			return &fs[i]
		}
	}
	return nil
}

// readsIdentity tells whether a finding names the identity exactly.
func readsIdentity(f *report.Finding, want string) bool {
	for _, id := range f.Identities {
		if strings.EqualFold(id.Value, want) {
			return true
		}
	}
	return false
}
