// Command evalvideo measures the visible-watermark detector on a generated,
// labelled set of screen-share videos: seeds 1..N (fixed up front, no
// selection), each mapped to a positive, negative or hard negative by
// screenshare.EvalSpec. It prints one line per video, the confusion table,
// detection and exact-identity accuracy by opacity, and the overlay scores
// of the negatives (the calibration of the threshold).
//
//	OMP_THREAD_LIMIT=1 go run ./cmd/evalvideo -n 50
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"tracescan/media"
	"tracescan/ocr"
	"tracescan/report"
	"tracescan/samples/screenshare"
	"tracescan/video"
)

type result struct {
	seed     int64
	cat      string
	label    screenshare.Label
	findings []report.Finding
	maxScore float64
	elapsed  time.Duration
	err      error
}

func main() {
	n := flag.Int("n", 50, "evaluate n seeds, from -first on")
	first := flag.Int64("first", 1, "first seed (the evaluation set is 1..50; the calibration set of the threshold starts at 1001)")
	negOnly := flag.Bool("negatives", false, "only the negatives and hard negatives among the seeds (for calibration)")
	dir := flag.String("dir", "", "directory for the videos (default: a temporary one, removed)")
	reuse := flag.Bool("reuse", false, "with -dir: scan the videos (and their labels) an earlier run kept there instead of encoding them again")
	workers := flag.Int("workers", 2, "videos processed at once")
	verbose := flag.Bool("v", false, "log the detector's debug lines (each blob's tests) to standard error; with -workers 1 they come one video after the other, after its \"video frames\" line")
	flag.Parse()
	if *verbose {
		// Through a duplicate of standard error: Tesseract's start
		// silences descriptor 2 for a moment, and lines written then
		// would be lost.
		slog.SetDefault(slog.New(slog.NewTextHandler(ocr.StableStderr(), &slog.HandlerOptions{Level: slog.LevelDebug})))
	}
	ocr.LimitThreads()
	ctx := context.Background()
	out := *dir
	if out == "" {
		tmp, err := os.MkdirTemp("", "evalvideo-")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(tmp)
		out = tmp
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		fail(err)
	}

	seeds := make(chan int64)
	results := make([]result, *n)
	for i := range results {
		results[i].seed = *first + int64(i)
	}
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range seeds {
				results[s-*first] = evalOne(ctx, out, s, *dir != "", *reuse)
			}
		}()
	}
	for s := *first; s < *first+int64(*n); s++ {
		if _, cat := screenshare.EvalSpec(s); *negOnly && cat == screenshare.CatPositive {
			results[s-*first].cat = "skipped"
			continue
		}
		seeds <- s
	}
	close(seeds)
	wg.Wait()
	var kept []result
	for _, r := range results {
		if r.cat != "skipped" {
			kept = append(kept, r)
		}
	}
	results = kept
	for _, r := range results {
		printLine(r)
	}
	summarise(results)
	fmt.Printf("\ntotal wall time %.0f s for %d videos\n", time.Since(start).Seconds(), len(results))
}

func evalOne(ctx context.Context, dir string, seed int64, keep, reuse bool) result {
	spec, cat := screenshare.EvalSpec(seed)
	r := result{seed: seed, cat: cat}
	lbl, err := generate(ctx, dir, seed, spec, keep, reuse)
	if err != nil {
		r.err = err
		return r
	}
	r.label = lbl
	info, err := media.Probe(ctx, lbl.Path)
	if err != nil {
		r.err = err
		return r
	}
	t0 := time.Now()
	det := video.New(video.Options{})
	r.findings, r.maxScore, r.err = det.DetectWithScore(ctx, info)
	r.elapsed = time.Since(t0)
	if !keep {
		os.Remove(lbl.Path)
	}
	return r
}

// generate encodes the video of seed into dir, or with reuse takes the one
// an earlier run kept there with its label. A kept video's label is kept
// beside it.
func generate(ctx context.Context, dir string, seed int64, spec screenshare.Spec, keep, reuse bool) (screenshare.Label, error) {
	labelPath := filepath.Join(dir, spec.Name+".label.json")
	if reuse {
		if b, err := os.ReadFile(labelPath); err == nil {
			var lbl screenshare.Label
			if err := json.Unmarshal(b, &lbl); err != nil {
				return lbl, fmt.Errorf("label %s: %w", labelPath, err)
			}
			if _, err := os.Stat(lbl.Path); err == nil {
				return lbl, nil
			}
		}
	}
	lbl, err := screenshare.Generate(ctx, dir, seed, spec)
	if err != nil || !keep {
		return lbl, err
	}
	b, err := json.Marshal(lbl)
	if err != nil {
		return lbl, err
	}
	return lbl, os.WriteFile(labelPath, b, 0o644)
}

// watermark returns the visible_watermark finding that overlaps the truth.
func watermark(r result) (report.Finding, bool) {
	for _, f := range r.findings {
		if f.Kind != report.KindVisibleWatermark {
			continue
		}
		if !r.label.Positive || overlaps(f.Region, r.label.Region) {
			return f, true
		}
	}
	return report.Finding{}, false
}

func overlaps(a *report.Region, b screenshare.Region) bool {
	if a == nil {
		return false
	}
	x0, y0 := max(a.X, b.X), max(a.Y, b.Y)
	x1, y1 := min(a.X+a.W, b.X+b.W), min(a.Y+a.H, b.Y+b.H)
	if x1 <= x0 || y1 <= y0 {
		return false
	}
	inter := (x1 - x0) * (y1 - y0)
	return inter*4 >= min(a.W*a.H, b.W*b.H)
}

func exactIdentity(f report.Finding, want string) bool {
	for _, id := range f.Identities {
		if strings.EqualFold(id.Value, want) {
			return true
		}
	}
	return false
}

func printLine(r result) {
	l := r.label
	if r.err != nil {
		fmt.Printf("seed %3d %-13s ERROR %v\n", r.seed, r.cat, r.err)
		return
	}
	var kinds []string
	for _, f := range r.findings {
		kinds = append(kinds, fmt.Sprintf("%s(%s %q)", f.Kind, f.Severity, f.Text))
	}
	truth := "-"
	if l.Positive {
		o := l.Spec.Overlay
		truth = fmt.Sprintf("op=%.2f %-8s gray=%3d %-7s size=%2.0f %q [%.0f-%.0fs]", o.Opacity, o.Layout, o.Gray, o.Font, o.SizePx, l.Identity, l.Start, l.End)
	} else if len(l.Spec.Statics) > 0 {
		var s []string
		for _, st := range l.Spec.Statics {
			s = append(s, st.Kind+":"+st.Text)
		}
		truth = strings.Join(s, ",")
	}
	det := "miss"
	if f, ok := watermark(r); ok {
		det = "FOUND"
		if l.Positive && exactIdentity(f, l.Identity) {
			det = "FOUND+TEXT"
		}
		if f.Opacity != nil {
			det += fmt.Sprintf(" est_op=%.2f", *f.Opacity)
		}
		if l.Positive {
			det += " layout=" + f.Layout
		}
		if f.TimeStart != nil {
			det += fmt.Sprintf(" t=%.0f-%.0f", *f.TimeStart, *f.TimeEnd)
		}
	}
	fmt.Printf("seed %3d %-13s %dx%d %4dk %s | %s | max=%.2f %.1fs | %s\n", r.seed, r.cat, l.Spec.Width, l.Spec.Height,
		l.Spec.BitrateKbps, truth, det, r.maxScore, r.elapsed.Seconds(), strings.Join(kinds, " "))
}

// opacityTolerance is the relative error within which a reported opacity
// counts as right.
const opacityTolerance = 0.25

func summarise(rs []result) {
	type bucket struct{ n, det, text int }
	byOp := map[float64]*bucket{}
	var tp, fn, fpNeg, tnNeg, fpHard, tnHard int
	var negScores []float64
	var staticOK, staticN int
	// layouts counts the found marks by their true layout and the one
	// reported.
	layouts := map[[2]string]int{}
	// opErrs are the relative errors of the opacity reported for the
	// marks found.
	var opErrs []float64
	for _, r := range rs {
		if r.err != nil {
			continue
		}
		_, found := watermark(r)
		switch r.cat {
		case screenshare.CatPositive:
			b := byOp[r.label.Opacity]
			if b == nil {
				b = &bucket{}
				byOp[r.label.Opacity] = b
			}
			b.n++
			if found {
				tp++
				b.det++
				f, _ := watermark(r)
				layouts[[2]string{r.label.Layout, f.Layout}]++
				if f.Opacity != nil {
					opErrs = append(opErrs, math.Abs(*f.Opacity-r.label.Opacity)/r.label.Opacity)
				}
				if exactIdentity(f, r.label.Identity) {
					b.text++
				}
			} else {
				fn++
			}
		case screenshare.CatNegative:
			negScores = append(negScores, r.maxScore)
			if found {
				fpNeg++
			} else {
				tnNeg++
			}
		case screenshare.CatHardNegative:
			negScores = append(negScores, r.maxScore)
			if found {
				fpHard++
			} else {
				tnHard++
			}
			for _, st := range r.label.Spec.Statics {
				want := ""
				switch {
				case st.Kind == screenshare.StaticNameLabel:
					want = report.KindVisibleIdentityText
				case st.Kind == screenshare.StaticStamp:
					want = report.KindStaticOverlay
				default:
					continue
				}
				staticN++
				for _, f := range r.findings {
					if f.Kind == want {
						staticOK++
						break
					}
				}
			}
		}
	}
	fmt.Printf("\nconfusion (visible_watermark finding overlapping the truth region)\n")
	fmt.Printf("%-15s %10s %10s\n", "truth \\ found", "watermark", "none")
	fmt.Printf("%-15s %10d %10d\n", "positive", tp, fn)
	fmt.Printf("%-15s %10d %10d\n", "negative", fpNeg, tnNeg)
	fmt.Printf("%-15s %10d %10d\n", "hard negative", fpHard, tnHard)
	fmt.Printf("\nlayout of the marks found (truth \\ reported)\n%-10s", "")
	names := []string{"single", "tiled", "diagonal"}
	for _, n := range names {
		fmt.Printf(" %9s", n)
	}
	right, all := 0, 0
	for _, t := range names {
		fmt.Printf("\n%-10s", t)
		for _, g := range names {
			n := layouts[[2]string{t, g}]
			fmt.Printf(" %9d", n)
			all += n
			if t == g {
				right += n
			}
		}
	}
	fmt.Printf("\nright layout: %d/%d (%.1f %%)\n", right, all, pct(right, all))
	if len(opErrs) > 0 {
		sort.Float64s(opErrs)
		within := sort.SearchFloat64s(opErrs, opacityTolerance+1e-9)
		fmt.Printf("opacity within %.0f %% of the truth: %d/%d (%.1f %%), median error %.0f %%\n", 100*opacityTolerance,
			within, len(opErrs), pct(within, len(opErrs)), 100*opErrs[len(opErrs)/2])
	}
	fmt.Printf("\nby opacity: detection and exact identity text\n")
	var ops []float64
	for o := range byOp {
		ops = append(ops, o)
	}
	sort.Float64s(ops)
	var d8, n8, t12, n12, d5, n5 int
	for _, o := range ops {
		b := byOp[o]
		fmt.Printf("opacity %.2f: detected %2d/%2d (%5.1f %%)  exact text %2d/%2d (%5.1f %%)\n", o, b.det, b.n,
			pct(b.det, b.n), b.text, b.n, pct(b.text, b.n))
		if o >= 0.08 {
			d8, n8 = d8+b.det, n8+b.n
		} else {
			d5, n5 = d5+b.det, n5+b.n
		}
		if o >= 0.12 {
			t12, n12 = t12+b.text, n12+b.n
		}
	}
	fmt.Printf("\nfloors: detection at >= 0.08: %.1f %% (>= 95); at 0.05: %.1f %% (>= 80); exact text at >= 0.12: %.1f %% (>= 90); watermark findings on negatives: %d (0)\n",
		pct(d8, n8), pct(d5, n5), pct(t12, n12), fpNeg+fpHard)
	fmt.Printf("static UI: %d/%d name labels and stamps reported with their kind\n", staticOK, staticN)
	sort.Sort(sort.Reverse(sort.Float64Slice(negScores)))
	fmt.Printf("calibration: max overlay score on %d negatives (threshold %.1f): %v\n", len(negScores), video.DefaultThreshold, fmtScores(negScores))
}

func fmtScores(s []float64) string {
	var parts []string
	for _, v := range s {
		parts = append(parts, fmt.Sprintf("%.2f", v))
	}
	return strings.Join(parts, ", ")
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "evalvideo:", err)
	os.Exit(1)
}
