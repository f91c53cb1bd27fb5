package video

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"tracescan/media"
)

func TestDebugDetect(t *testing.T) {
	paths := os.Getenv("DBG_FILE")
	if paths == "" {
		t.Skip()
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	for _, path := range strings.Fields(paths) {
		ctx := context.Background()
		info, err := media.Probe(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		fs, err := New(Options{}).Detect(ctx, info)
		fmt.Println(path, time.Since(t0), err)
		for _, f := range fs {
			f.Images = nil
			fmt.Printf("  %s sev=%v score=%v text=%q ids=%v layout=%s op=%v reg=%+v t=%v-%v angle=%v\n    %s\n", f.Kind, f.Severity, f.Score, f.Text, f.Identities, f.Layout, deref(f.Opacity), *f.Region, deref(f.TimeStart), deref(f.TimeEnd), deref(f.AngleDeg), f.Command)
		}
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}
