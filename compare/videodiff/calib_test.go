package videodiff

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"tracescan/media"
	"tracescan/samples/screenshare"
)

// TestCalibrate prints the side scores of the calibration pairs (seeds
// 9001-9012 of each kind, never used by the evaluation). It runs only when
// VIDEODIFF_CALIB names a folder to keep the pairs in.
func TestCalibrate(t *testing.T) {
	dir := os.Getenv("VIDEODIFF_CALIB")
	if dir == "" {
		t.Skip("set VIDEODIFF_CALIB to a folder to run the calibration")
	}
	ctx := context.Background()
	kinds := []string{screenshare.PairPositive, screenshare.PairNegative, screenshare.PairStatic}
	var neg, pos []float64
	defer func() {
		sort.Float64s(neg)
		sort.Float64s(pos)
		t.Logf("negatives (larger side): %.0f", neg)
		t.Logf("positives (smaller side): %.0f", pos)
	}()
	for seed := int64(9001); seed <= 9012; seed++ {
		for _, kind := range kinds {
			if k := os.Getenv("VIDEODIFF_CALIB_KIND"); k != "" && k != kind {
				continue
			}
			sub := filepath.Join(dir, fmt.Sprintf("%s-%d", kind, seed))
			a, b := filepath.Join(sub, fmt.Sprintf("%s-%d-a.mp4", kind, seed)), filepath.Join(sub, fmt.Sprintf("%s-%d-b.mp4", kind, seed))
			var lbl screenshare.PairLabel
			if _, err := os.Stat(b); err != nil && os.Getenv("VIDEODIFF_CALIB_NOGEN") != "" {
				continue
			} else if err != nil {
				if err := os.MkdirAll(sub, 0o755); err != nil {
					t.Fatal(err)
				}
				if lbl, err = screenshare.GeneratePair(ctx, sub, seed, screenshare.PairSpec{Kind: kind}); err != nil {
					t.Fatal(err)
				}
				js, _ := json.Marshal(lbl)
				if err := os.WriteFile(filepath.Join(sub, "label.json"), js, 0o644); err != nil {
					t.Fatal(err)
				}
			} else {
				js, err := os.ReadFile(filepath.Join(sub, "label.json"))
				if err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(js, &lbl); err != nil {
					t.Fatal(err)
				}
			}
			ia, err := media.Probe(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			ib, err := media.Probe(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			an, err := analyse(ctx, ia, ib, Options{})
			if err != nil {
				t.Logf("%s: %v", lbl.Name(), err)
				continue
			}
			if kind == screenshare.PairPositive {
				pos = append(pos, min(an.score[0], an.score[1]))
			} else {
				neg = append(neg, max(an.score[0], an.score[1]))
			}
			t.Logf("%-60s scoreA %8.1f scoreB %8.1f pairs %d S %.4f (true %.4f) off %.2f (true %.2f) %s",
				lbl.Name(), an.score[0], an.score[1], an.acc.pairs, an.tr.S*float64(an.srcB[0])/float64(an.wB)*float64(an.wA)/float64(an.srcA[0]), lbl.Scale, an.offset, lbl.OffsetS, time.Since(start).Round(time.Millisecond))
		}
	}
}
