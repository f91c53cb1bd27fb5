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
