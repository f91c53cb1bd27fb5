package ocr

import (
	"context"
	"image"
	"image/color"
	"testing"

	"gocv.io/x/gocv"
)

func TestPoolBudgetAndReuse(t *testing.T) {
	p := NewPool(1)
	defer p.Close()
	ctx := context.Background()
	img := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(255, 0, 0, 0), 80, 420, gocv.MatTypeCV8U)
	defer img.Close()
	gocv.PutText(&img, "jdoe@example.org", image.Pt(10, 55), gocv.FontHersheySimplex, 1.2, color.RGBA{0, 0, 0, 0}, 2)
	for round, limit := range []int{1, 0} {
		e, err := p.Get(ctx, limit)
		if err != nil {
			t.Fatal(err)
		}
		line, err := e.Read(img)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(Emails(line.Text)) > 0; got != (limit > 0) {
			t.Errorf("round %d, budget %d: read %q", round, limit, line.Text)
		}
		p.Put(e)
	}
	// A caller gives up when the context ends and no engine is free.
	e, _ := p.Get(ctx, 1)
	defer p.Put(e)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := p.Get(cctx, 1); err == nil {
		t.Error("Get on a cancelled context with no free engine returned an engine")
	}
}

func TestPoolSecondModel(t *testing.T) {
	img := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(255, 0, 0, 0), 80, 420, gocv.MatTypeCV8U)
	defer img.Close()
	gocv.PutText(&img, "jdoe@example.org", image.Pt(10, 55), gocv.FontHersheySimplex, 1.2, color.RGBA{0, 0, 0, 0}, 2)
	ctx := context.Background()
	tests := []struct {
		name, model string
		ok          bool
	}{
		{"installed", SecondModel, true},
		// A model that is not installed: reading goes on without it.
		{"missing", "no-such-model", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPool(1)
			defer p.Close()
			p.secondModel = tc.model
			e, err := p.Second(ctx, 1)
			if (err == nil) != tc.ok {
				t.Fatalf("Second: err = %v, want ok %v", err, tc.ok)
			}
			if !tc.ok {
				return
			}
			line, err := e.Read(img)
			p.PutSecond(e)
			if err != nil || len(Emails(line.Text)) == 0 {
				t.Errorf("second model read %q (err %v)", line.Text, err)
			}
			// The engine is handed out again once returned.
			e, err = p.Second(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			p.PutSecond(e)
		})
	}
}
