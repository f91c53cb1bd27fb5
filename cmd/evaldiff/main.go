// Command evaldiff measures the two-copy comparison on generated pairs of
// copies: positive pairs carry two different personal marks, negative pairs
// are one clean recording encoded two ways. Seeds are fixed in the code.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"time"
)

// pairResult is the outcome of comparing one generated pair.
type pairResult struct {
	Name     string // what the pair holds, e.g. "pn-35dB/speech aac96 vs mp3128"
	Positive bool   // the copies carry different marks
	Flagged  bool   // the comparison reported a copy_difference
	Detail   string // one line of scores for the table
	Err      error  // generation or comparison failure (never counts as flagged)
}

// evalFunc generates n positive and n negative pairs under dir, compares
// them and returns one result per pair.
type evalFunc func(ctx context.Context, dir string, n int) ([]pairResult, error)

// suites holds the evaluations by medium; each registers itself in init.
var suites = map[string]evalFunc{}

func main() {
	n := flag.Int("n", 20, "positive pairs and negative pairs per medium")
	only := flag.String("only", "", "comma-separated media to evaluate (default all: "+strings.Join(names(), ",")+")")
	keep := flag.String("keep", "", "keep generated pairs in this folder (default: a temporary folder, removed)")
	verbose := flag.Bool("v", false, "print every pair")
	flag.Parse()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *n, *only, *keep, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "evaldiff:", err)
		os.Exit(1)
	}
}

func names() []string {
	var out []string
	for k := range suites {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func run(ctx context.Context, n int, only, keep string, verbose bool) error {
	dir := keep
	if dir == "" {
		d, err := os.MkdirTemp("", "tracescan-evaldiff-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	sel := names()
	if only != "" {
		sel = strings.Split(only, ",")
	}
	for _, name := range sel {
		fn, ok := suites[name]
		if !ok {
			return fmt.Errorf("unknown medium %q (have %s)", name, strings.Join(names(), ","))
		}
		start := time.Now()
		sub := dir + "/" + name
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return err
		}
		res, err := fn(ctx, sub, n)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		printTable(name, res, verbose, time.Since(start))
	}
	return nil
}

func printTable(name string, res []pairResult, verbose bool, took time.Duration) {
	var tp, fn, fp, tn, errs int
	for _, r := range res {
		switch {
		case r.Err != nil:
			errs++
			if r.Positive {
				fn++
			} else {
				tn++
			}
		case r.Positive && r.Flagged:
			tp++
		case r.Positive:
			fn++
		case r.Flagged:
			fp++
		default:
			tn++
		}
	}
	fmt.Printf("== %s: %d pairs in %s\n", name, len(res), took.Round(time.Second))
	fmt.Printf("                 flagged  not flagged\n")
	fmt.Printf("positive pairs   %7d  %11d   detection %s\n", tp, fn, pct(tp, tp+fn))
	fmt.Printf("negative pairs   %7d  %11d   false positives %s\n", fp, tn, pct(fp, fp+tn))
	if errs > 0 {
		fmt.Printf("errors: %d (counted as not flagged)\n", errs)
	}
	for _, r := range res {
		wrong := r.Err != nil || r.Positive != r.Flagged
		if !verbose && !wrong {
			continue
		}
		mark := "ok  "
		if wrong {
			mark = "MISS"
			if !r.Positive {
				mark = "FP  "
			}
		}
		line := r.Detail
		if r.Err != nil {
			line = "error: " + r.Err.Error()
		}
		fmt.Printf("  %s %-44s %s\n", mark, r.Name, line)
	}
}

func pct(a, b int) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%d/%d = %.1f %%", a, b, 100*float64(a)/float64(b))
}
