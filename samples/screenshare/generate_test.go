package screenshare

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

func probeSize(t *testing.T, path string) (w, h int, dur float64) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0",
		"-show_entries", "stream=width,height:format=duration", "-of", "csv=p=0:nk=1", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	f := strings.Fields(strings.ReplaceAll(string(out), ",", " "))
	if len(f) < 3 {
		t.Fatalf("ffprobe output %q", out)
	}
	w, _ = strconv.Atoi(f[0])
	h, _ = strconv.Atoi(f[1])
	dur, _ = strconv.ParseFloat(f[2], 64)
	return
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	base := Spec{Width: 640, Height: 360, FPS: 10, Duration: 6, SceneS: 2, BitrateKbps: 500}
	tests := []struct {
		name     string
		overlay  *Overlay
		statics  []Static
		positive bool
		identity string
	}{
		{name: "single", positive: true, identity: "anna.schmidt@example.com",
			overlay: &Overlay{Text: "anna.schmidt@example.com", Layout: LayoutSingle, Opacity: 0.2, Gray: 160, Font: "regular", SizePx: 24}},
		{name: "tiled", positive: true, identity: "jdoe42",
			overlay: &Overlay{Text: "jdoe42", Layout: LayoutTiled, Opacity: 0.1, Gray: 200, Font: "mono", SizePx: 16, Start: 2}},
		{name: "diagonal", positive: true, identity: "li.chen@firma.eu",
			overlay: &Overlay{Text: "abc-defg-hij li.chen@firma.eu", Layout: LayoutDiagonal, Opacity: 0.3, Gray: 128, Font: "bold", SizePx: 22, AngleDeg: 30}},
		{name: "negative"},
		{name: "hard_negative", statics: []Static{{Kind: StaticNameLabel, Text: "Anna Schmidt"}, {Kind: StaticClock}, {Kind: StaticStamp, Text: "CONFIDENTIAL", Opacity: 0.2}}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			spec := base
			spec.Name = tc.name
			spec.Overlay, spec.Statics = tc.overlay, tc.statics
			lbl, err := Generate(context.Background(), t.TempDir(), int64(i+1), spec)
			if err != nil {
				t.Fatal(err)
			}
			w, h, dur := probeSize(t, lbl.Path)
			if w != 640 || h != 360 || dur < 5.5 || dur > 6.5 {
				t.Errorf("video is %dx%d %.2fs, want 640x360 6s", w, h, dur)
			}
			if lbl.Positive != tc.positive || lbl.Identity != tc.identity {
				t.Errorf("label positive=%v identity=%q, want %v %q", lbl.Positive, lbl.Identity, tc.positive, tc.identity)
			}
			if tc.positive {
				r := lbl.Region
				if r.W <= 0 || r.H <= 0 || r.X < 0 || r.Y < 0 || r.X+r.W > 640 || r.Y+r.H > 360 {
					t.Errorf("region %+v outside the frame", r)
				}
				if lbl.End != 6 || lbl.Start != tc.overlay.Start {
					t.Errorf("time range %v-%v", lbl.Start, lbl.End)
				}
			}
			for _, s := range tc.statics {
				if _, ok := lbl.StaticRegions[s.Kind]; !ok {
					t.Errorf("no region for static %s", s.Kind)
				}
			}
		})
	}
}

func TestEvalSpecFixed(t *testing.T) {
	t.Parallel()
	counts := map[string]int{}
	for s := int64(1); s <= 50; s++ {
		a, catA := EvalSpec(s)
		b, catB := EvalSpec(s)
		if catA != catB || a.Name != b.Name || (a.Overlay == nil) != (b.Overlay == nil) ||
			(a.Overlay != nil && *a.Overlay != *b.Overlay) {
			t.Fatalf("seed %d: spec differs between calls", s)
		}
		counts[catA]++
		if (catA == CatPositive) != (a.Overlay != nil) {
			t.Errorf("seed %d: category %s with overlay %v", s, catA, a.Overlay)
		}
	}
	if counts[CatPositive] != 30 || counts[CatNegative] != 10 || counts[CatHardNegative] != 10 {
		t.Errorf("categories %v, want 30/10/10", counts)
	}
}

func TestPrimaryIdentity(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"anna.schmidt@example.com":               "anna.schmidt@example.com",
		"Li.Chen@Firma.eu 2 123 456":             "li.chen@firma.eu",
		"abc-defg-hij omar_hassan12@contoso.com": "omar_hassan12@contoso.com",
		"jdoe42":                                 "jdoe42",
	} {
		if got := primaryIdentity(in); got != want {
			t.Errorf("primaryIdentity(%q) = %q, want %q", in, got, want)
		}
	}
}
