package screenshare

import (
	"image"
	"testing"
)

// A stamp's Opacity left unset draws it opaque: the zero value had drawn
// it at opacity 0, so the demo's "CONFIDENTIAL" stamp was not in its video.
func TestStampOpacity(t *testing.T) {
	const w, h = 640, 360
	for _, tc := range []struct {
		name        string
		opacity     float64
		translucent bool
	}{
		{"unset", 0, false},
		{"opaque", 1, false},
		{"translucent", 0.2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := newStaticLayer([]Static{{Kind: StaticStamp, Text: "CONFIDENTIAL", Opacity: tc.opacity}}, w, h)
			if err != nil {
				t.Fatal(err)
			}
			if got := l.stamp != nil; got != tc.translucent {
				t.Errorf("translucent layer %v, want %v", got, tc.translucent)
			}
			img := image.NewRGBA(image.Rect(0, 0, w, h))
			if err := l.draw(img, 0); err != nil {
				t.Fatal(err)
			}
			// The opaque stamp is red letters on a white box.
			red := 0
			for p := 0; p < len(img.Pix); p += 4 {
				if img.Pix[p] == 200 && img.Pix[p+1] == 0 && img.Pix[p+2] == 0 {
					red++
				}
			}
			if opaque := red > 100; opaque == tc.translucent {
				t.Errorf("%d red pixels drawn; want the opaque stamp %v", red, !tc.translucent)
			}
		})
	}
}
