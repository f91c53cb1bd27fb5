// Command samplegen writes the labelled sample recordings that `make demo`
// scans: a Zoom-like local recording full of identifying metadata with its
// side files, a clean control, a screen share with a faint tiled email
// watermark and a name label, a screen share with only a CONFIDENTIAL stamp,
// and a two-minute speech clip carrying a repeated spread-spectrum mark.
// Every sample is synthetic; the labels are printed so the report can be
// checked against the truth.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"

	"tracescan/samples"
	"tracescan/samples/audiomarks"
	"tracescan/samples/screenshare"
)

func main() {
	out := flag.String("out", "build/samples", "folder to write the samples into")
	pairs := flag.String("pairs", "", "also write two-copy pairs (for tracescan diff) into this folder")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := generate(ctx, *out); err != nil {
		slog.Error("generating samples", "err", err)
		os.Exit(1)
	}
	if *pairs != "" {
		if err := generatePairs(ctx, *pairs); err != nil {
			slog.Error("generating pairs", "err", err)
			os.Exit(1)
		}
	}
}

// generatePairs writes two copies of one meeting as two participants would
// hold them: the audio with a different hidden mark each (AAC vs MP3, B
// starting 7 s earlier and drifting), and the screen share with each
// viewer's email. The copies get fixed names for the demo's diff commands.
func generatePairs(ctx context.Context, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	al, err := audiomarks.GeneratePair(ctx, out, 31, audiomarks.PairSpec{
		Host: audiomarks.Conversation, Mark: audiomarks.PN, StrengthDB: -35, OffsetS: 7, DriftPPM: 400,
	})
	if err != nil {
		return fmt.Errorf("audio pair: %w", err)
	}
	vl, err := screenshare.GeneratePair(ctx, out, 32, screenshare.PairSpec{
		Kind: screenshare.PairPositive, Duration: 20, Opacity: 0.2, Layout: screenshare.LayoutSingle,
	})
	if err != nil {
		return fmt.Errorf("video pair: %w", err)
	}
	for _, r := range []struct{ from, to, what string }{
		{al.A, "call-audio-copy-a" + filepath.Ext(al.A), "audio copy A"},
		{al.B, "call-audio-copy-b" + filepath.Ext(al.B), "audio copy B"},
		{vl.A.Path, "screen-share-copy-a" + filepath.Ext(vl.A.Path), "screen copy A, mark " + vl.A.Text},
		{vl.B.Path, "screen-share-copy-b" + filepath.Ext(vl.B.Path), "screen copy B, mark " + vl.B.Text},
	} {
		to := filepath.Join(out, r.to)
		if err := os.Rename(r.from, to); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%s)\n", to, r.what)
	}
	return nil
}

func generate(ctx context.Context, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	paths, err := samples.WriteDemo(ctx, out)
	if err != nil {
		return fmt.Errorf("meeting samples: %w", err)
	}
	for _, p := range paths {
		fmt.Printf("wrote %s (metadata sample)\n", p)
	}

	screens := filepath.Join(out, "screens")
	if err := os.MkdirAll(screens, 0o755); err != nil {
		return err
	}
	marked, err := screenshare.Generate(ctx, screens, 11, screenshare.Spec{
		Name: "quarterly-review-share", Duration: 30, Width: 1280, Height: 720,
		Overlay: &screenshare.Overlay{Text: "j.doe@example.com", Layout: screenshare.LayoutTiled,
			Opacity: 0.15, Gray: 200, Font: "regular", SizePx: 28, Start: 4},
		Statics: []screenshare.Static{{Kind: screenshare.StaticToolbar},
			{Kind: screenshare.StaticNameLabel, Text: "Anna Schmidt"}},
	})
	if err != nil {
		return fmt.Errorf("screen share sample: %w", err)
	}
	fmt.Printf("wrote %s (watermark %q, %s, opacity %.2f, from %.0f s)\n",
		marked.Path, marked.Text, marked.Layout, marked.Opacity, marked.Start)
	stamp, err := screenshare.Generate(ctx, screens, 12, screenshare.Spec{
		Name: "design-review-share", Duration: 24, Width: 1280, Height: 720,
		Statics: []screenshare.Static{{Kind: screenshare.StaticStamp, Text: "CONFIDENTIAL"},
			{Kind: screenshare.StaticClock}},
	})
	if err != nil {
		return fmt.Errorf("screen share sample: %w", err)
	}
	fmt.Printf("wrote %s (no watermark: a CONFIDENTIAL stamp and a clock)\n", stamp.Path)

	audio := filepath.Join(out, "audio")
	if err := os.MkdirAll(audio, 0o755); err != nil {
		return err
	}
	clip, err := audiomarks.Generate(ctx, audio, 21, audiomarks.Spec{
		Host: audiomarks.Conversation, Mark: audiomarks.PN, Variant: audiomarks.AAC96,
		StrengthDB: -30, DurationS: 120,
	})
	if err != nil {
		return fmt.Errorf("audio sample: %w", err)
	}
	fmt.Printf("wrote %s (%s, period %.2f s)\n", clip.Path, clip.Name, clip.PeriodS)
	return nil
}
