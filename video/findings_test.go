package video

import (
	"image"
	"testing"
)

// TestLayoutOfReading: the offsets are those found on evaluation videos
// (the seed in the name).
func TestLayoutOfReading(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		angle  float64
		copies []image.Point
		height int
		want   string
	}{
		{"a tilted line alone (67038)", 21, nil, 40, "diagonal"},
		{"parallel tilted lines (63008)", 41.8, []image.Point{{0, -240}}, 60, "diagonal"},
		{"tilted the other way", -30, nil, 40, "diagonal"},
		{"a staggered lattice (69008)", 0, []image.Point{{-270, 135}, {270, -135}, {270, 135}}, 30, "tiled"},
		{"one copy in another row (69006)", 0, []image.Point{{0, 296}}, 30, "tiled"},
		{"a level line (63006)", 0, nil, 50, "single"},
		{"a word matched beside its own line (63041)", 0, []image.Point{{-160, 0}}, 40, "single"},
		{"slightly off level (65011)", 2.3, nil, 40, "single"},
	}
	for _, tc := range tests {
		if got := layoutOfReading(tc.angle, tc.copies, tc.height); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestUIHalo: an overlay that is a piece at the edge of opaque UI is that
// UI's edge; one beside it, or as large, is not.
func TestUIHalo(t *testing.T) {
	t.Parallel()
	logo := image.Rect(1110, 16, 1264, 70)
	tests := []struct {
		name     string
		overlays []image.Rectangle
		ui       []image.Rectangle
		want     bool
	}{
		{"under a logo's corner (61025)", []image.Rectangle{image.Rect(1100, 70, 1126, 104)}, []image.Rectangle{logo}, true},
		{"inside a logo", []image.Rectangle{image.Rect(1150, 30, 1180, 60)}, []image.Rectangle{logo}, true},
		{"a few pixels beyond the reach", []image.Rectangle{image.Rect(1100, 76, 1126, 104)}, []image.Rectangle{logo}, false},
		{"as large as the logo's half and more", []image.Rectangle{image.Rect(1000, 60, 1120, 110)}, []image.Rectangle{logo}, false},
		{"pieces far apart, taken together", []image.Rectangle{image.Rect(1100, 70, 1126, 104), image.Rect(200, 300, 260, 330)}, []image.Rectangle{logo}, false},
		{"no static UI", []image.Rectangle{image.Rect(1100, 70, 1126, 104)}, nil, false},
	}
	for _, tc := range tests {
		res := &interpretation{staticUI: tc.ui}
		an := &analysis{w: 1280, srcW: 1280, srcH: 720}
		var union image.Rectangle
		for _, r := range tc.overlays {
			union = union.Union(r)
		}
		if got := res.uiHalo(an, toSource(an, union)); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
