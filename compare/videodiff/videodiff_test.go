package videodiff

import (
	"context"
	"errors"
	"image"
	"math"
	"strings"
	"testing"

	"tracescan/media"
	"tracescan/report"
	"tracescan/samples/screenshare"
)

func probePair(t *testing.T, lbl screenshare.PairLabel) (*media.Info, *media.Info) {
	t.Helper()
	ctx := context.Background()
	a, err := media.Probe(ctx, lbl.A.Path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := media.Probe(ctx, lbl.B.Path)
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

func TestCompare(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and decodes video")
	}
	tests := []struct {
		name string
		seed int64
		spec screenshare.PairSpec
	}{
		{"two viewers' marks", 101, screenshare.PairSpec{Kind: screenshare.PairPositive, Duration: 10, Opacity: 0.25, Layout: screenshare.LayoutSingle}},
		{"one recording encoded twice", 102, screenshare.PairSpec{Kind: screenshare.PairNegative, Duration: 9}},
		{"same logo and name label in both", 103, screenshare.PairSpec{Kind: screenshare.PairStatic, Duration: 9}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			lbl, err := screenshare.GeneratePair(ctx, t.TempDir(), tc.seed, tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			a, b := probePair(t, lbl)
			res, err := Compare(ctx, a, b, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(res.Scale-lbl.Scale) > 0.01*lbl.Scale {
				t.Errorf("scale %.4f, want %.4f", res.Scale, lbl.Scale)
			}
			if math.Abs(res.OffsetS-lbl.OffsetS) > 2 {
				t.Errorf("offset %.2f s, want %.2f s", res.OffsetS, lbl.OffsetS)
			}
			if res.Flagged != lbl.Positive {
				t.Fatalf("flagged %v, want %v; findings: %+v", res.Flagged, lbl.Positive, titles(res.Findings))
			}
			if !lbl.Positive {
				if len(res.Findings) != 1 || res.Findings[0].Kind != report.KindInconclusive || res.Findings[0].Severity != report.Info {
					t.Fatalf("want one inconclusive info finding, got %v", titles(res.Findings))
				}
				return
			}
			for _, c := range []struct {
				name string
				lbl  screenshare.CopyLabel
			}{{"a", lbl.A}, {"b", lbl.B}} {
				var f *report.Finding
				for i := range res.Findings {
					if res.Findings[i].Copy == c.name {
						f = &res.Findings[i]
					}
				}
				if f == nil {
					// The weaker of two crossing marks is missed in about
					// one copy in six (see the evaluation): the pair is
					// still flagged, by the other copy.
					t.Logf("no finding for copy %s (%s)", c.name, c.lbl.Text)
					continue
				}
				if f.Kind != report.KindCopyDifference || f.Detector != "videodiff" || f.Severity < report.Medium {
					t.Errorf("copy %s: kind %s detector %s severity %v", c.name, f.Kind, f.Detector, f.Severity)
				}
				if f.Region == nil || len(f.Images) == 0 || f.FalsePositiveRate == nil || f.TimeStart == nil {
					t.Errorf("copy %s: finding lacks region, evidence, rate or times", c.name)
					continue
				}
				got := image.Rect(f.Region.X, f.Region.Y, f.Region.X+f.Region.W, f.Region.Y+f.Region.H)
				want := image.Rect(c.lbl.Region.X, c.lbl.Region.Y, c.lbl.Region.X+c.lbl.Region.W, c.lbl.Region.Y+c.lbl.Region.H)
				if in := got.Intersect(want); in.Dx()*in.Dy() < want.Dx()*want.Dy()/3 {
					t.Errorf("copy %s: region %v misses the mark at %v", c.name, got, want)
				}
				// Reading is logged, not required: two centred marks cross
				// each other and OCR then often fails (see the evaluation).
				exact := false
				for _, id := range f.Identities {
					exact = exact || strings.EqualFold(id.Value, c.lbl.Identity)
				}
				t.Logf("copy %s: %q (mark %q, %s %.2f), read exactly: %v", c.name, f.Text, c.lbl.Text, c.lbl.Layout, c.lbl.Opacity, exact)
			}
		})
	}
}

func TestCompareDifferentMeetings(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and decodes video")
	}
	ctx := context.Background()
	lbl, err := screenshare.GeneratePair(ctx, t.TempDir(), 104, screenshare.PairSpec{Kind: screenshare.PairDifferent, Duration: 9})
	if err != nil {
		t.Fatal(err)
	}
	a, b := probePair(t, lbl)
	res, err := Compare(ctx, a, b, Options{})
	if !errors.Is(err, ErrNoAlignment) {
		t.Fatalf("want ErrNoAlignment, got %v (result %+v)", err, res)
	}
}

func titles(fs []report.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Kind+": "+f.Title)
	}
	return out
}
