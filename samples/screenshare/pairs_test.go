package screenshare

import (
	"context"
	"os"
	"testing"

	"tracescan/media"
)

func TestGeneratePair(t *testing.T) {
	if testing.Short() {
		t.Skip("encodes video")
	}
	tests := []struct {
		kind        string
		seed        int64
		positive    bool
		sameMeeting bool
	}{
		{PairPositive, 1, true, true},
		{PairNegative, 2, false, true},
		{PairStatic, 3, false, true},
		{PairDifferent, 4, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			lbl, err := GeneratePair(ctx, dir, tc.seed, PairSpec{Kind: tc.kind, Duration: 6})
			if err != nil {
				t.Fatal(err)
			}
			if lbl.Positive != tc.positive || lbl.SameMeeting != tc.sameMeeting {
				t.Fatalf("label positive=%v same=%v, want %v %v", lbl.Positive, lbl.SameMeeting, tc.positive, tc.sameMeeting)
			}
			if tc.positive && (lbl.A.Identity == "" || lbl.B.Identity == "" || lbl.A.Identity == lbl.B.Identity) {
				t.Fatalf("positive pair needs two different identities, got %q and %q", lbl.A.Identity, lbl.B.Identity)
			}
			if !tc.positive && (lbl.A.Text != "" || lbl.B.Text != "") {
				t.Fatalf("negative pair carries marks %q %q", lbl.A.Text, lbl.B.Text)
			}
			for _, c := range []CopyLabel{lbl.A, lbl.B} {
				info, err := media.Probe(ctx, c.Path)
				if err != nil {
					t.Fatal(err)
				}
				vs, ok := info.Video()
				if !ok || vs.Width != c.Encoding.Width || vs.Height != c.Encoding.Height {
					t.Fatalf("%s: got %dx%d, want %dx%d", c.Path, vs.Width, vs.Height, c.Encoding.Width, c.Encoding.Height)
				}
				if info.Duration < 5 || info.Duration > 7 {
					t.Fatalf("%s: duration %.2f, want about 6", c.Path, info.Duration)
				}
			}
			if lbl.A.Encoding == lbl.B.Encoding {
				t.Fatal("both copies encoded the same way")
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 2 {
				t.Fatalf("want only the two copies in the folder, got %d entries", len(entries))
			}
		})
	}
}
