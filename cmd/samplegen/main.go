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
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := generate(ctx, *out); err != nil {
		slog.Error("generating samples", "err", err)
		os.Exit(1)
	}
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
