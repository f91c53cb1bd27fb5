package video

import (
	"context"
	"os"
	"testing"

	"tracescan/samples/screenshare"
)

func TestDebugGen(t *testing.T) {
	if os.Getenv("DBG_GEN") == "" {
		t.Skip()
	}
	s := 540.0 / 720
	base := screenshare.Spec{Width: 960, Height: 540, FPS: 10, Duration: 20, SceneS: 2.5, BitrateKbps: 900, KeyintS: 2}
	base.Name = "single_faint"
	base.Overlay = &screenshare.Overlay{Text: "omar_hassan12@contoso.com", Layout: screenshare.LayoutSingle, Opacity: 0.12, Gray: 160, Font: "bold", SizePx: 44 * s}
	os.MkdirAll("/tmp/dbg", 0o755)
	if _, err := screenshare.Generate(context.Background(), "/tmp/dbg", 102, base); err != nil {
		t.Fatal(err)
	}
	base.Name = "late_start"
	base.Overlay = &screenshare.Overlay{Text: "peter.novak@acme-corp.de", Layout: screenshare.LayoutSingle, Opacity: 0.2, Gray: 128, Font: "regular", SizePx: 44 * s, Start: 8}
	if _, err := screenshare.Generate(context.Background(), "/tmp/dbg", 104, base); err != nil {
		t.Fatal(err)
	}
}
