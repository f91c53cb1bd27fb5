package audio

import (
	"context"
	"math"
	"testing"

	"tracescan/media"
	"tracescan/samples/audiomarks"
)

// Windows decoded by seeking must give what decoding everything and
// skipping gives.
func TestSeekWindowsMatchFullDecode(t *testing.T) {
	if testing.Short() {
		t.Skip("generates audio")
	}
	ctx := context.Background()
	lb, err := audiomarks.Generate(ctx, t.TempDir(), 21, audiomarks.Spec{Host: audiomarks.Speech, Mark: audiomarks.PN,
		StrengthDB: -30, PeriodS: 1.5, DurationS: 40, Variant: audiomarks.AAC96})
	if err != nil {
		t.Fatal(err)
	}
	info, err := media.Probe(ctx, lb.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !canSeek(info) {
		t.Fatal("an AAC file should be decoded by seeking")
	}
	var res [2]*Result
	for i, noSeek := range []bool{false, true} {
		res[i], err = New(Options{MaxAnalysisS: 32, NoSeek: noSeek}).Analyze(ctx, info)
		if err != nil {
			t.Fatal(err)
		}
	}
	if res[0].Windows != 4 || math.Abs(res[0].AnalysedS-res[1].AnalysedS) > 0.1 {
		t.Fatalf("windows %d/%d analysed %.2f/%.2f s", res[0].Windows, res[1].Windows, res[0].AnalysedS, res[1].AnalysedS)
	}
	// The same samples went in (ffmpeg's input seeking is sample-exact for
	// audio up to codec priming): same band energies.
	for i, b := range res[0].Channels[0].bands {
		e0, e1 := b.corr.energy, res[1].Channels[0].bands[i].corr.energy
		if e1 <= 0 || math.Abs(e0-e1) > 0.02*e1 {
			t.Errorf("%s: band energy %.4g with seeking, %.4g without", b.def.Name, e0, e1)
		}
	}
}
