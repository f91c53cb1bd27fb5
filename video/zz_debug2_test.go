package video

import (
	"context"
	"fmt"
	"os"
	"testing"

	"gocv.io/x/gocv"
	"tracescan/media"
)

func TestDebugMaps(t *testing.T) {
	path := os.Getenv("DBG_MAP")
	if path == "" {
		t.Skip()
	}
	ctx := context.Background()
	info, _ := media.Probe(ctx, path)
	d := New(Options{})
	vs, _ := info.Video()
	an, err := d.analyse(ctx, info, vs)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("frames %d stats %+v\n", an.acc.frames, an.stats)
	for k, W := range textColours {
		z := blurFloats(an.acc.zMap(k), an.w, an.h, 1.0)
		m, _ := gocv.NewMatFromBytes(an.h, an.w, gocv.MatTypeCV8U, gray8(z, -1, 4))
		gocv.IMWrite(fmt.Sprintf("/tmp/dbg_z%v.png", W), m)
		inf := make([]float32, len(z))
		for i := range inf {
			inf[i] = float32(an.acc.info[k][i])
		}
		m2, _ := gocv.NewMatFromBytes(an.h, an.w, gocv.MatTypeCV8U, gray8(inf, 0, 20))
		gocv.IMWrite(fmt.Sprintf("/tmp/dbg_info%v.png", W), m2)
	}
	m, _ := gocv.NewMatFromBytes(an.h, an.w, gocv.MatTypeCV8U, gray8(an.acc.n, 0, float32(an.acc.frames)))
	gocv.IMWrite("/tmp/dbg_n.png", m)
}
