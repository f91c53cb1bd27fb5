package video

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"tracescan/media"
	"tracescan/report"
	"tracescan/samples/screenshare"
)

// detectCase is one generated recording and what the detector must say.
type detectCase struct {
	name    string
	seed    int64
	overlay *screenshare.Overlay
	statics []screenshare.Static
	// wantKinds must each be present; notKinds must be absent.
	wantKinds []string
	notKinds  []string
	// exact is the identity the watermark finding must carry ("" = any).
	exact string
	// layout expected of the watermark finding ("" = any).
	layout string
	// minStart: the watermark's time_start must be at least this.
	minStart float64
	// sceneS overrides the mean scene length.
	sceneS float64
}

func TestDetect(t *testing.T) {
	t.Parallel()
	base := screenshare.Spec{Width: 960, Height: 540, FPS: 10, Duration: 20, SceneS: 2.5, BitrateKbps: 900, KeyintS: 2}
	s := 540.0 / 720
	tests := []detectCase{
		{name: "tiled_email", seed: 101, layout: "tiled", exact: "anna.schmidt@example.com",
			overlay:   &screenshare.Overlay{Text: "anna.schmidt@example.com", Layout: screenshare.LayoutTiled, Opacity: 0.25, Gray: 128, Font: "regular", SizePx: 28 * s},
			wantKinds: []string{report.KindVisibleWatermark}},
		// Faint single mark; the scenes change every 1.5 s. (With one change
		// every 2.5 s, 7 distinct frames, it is missed at 0.12: see the
		// known weaknesses in the package notes.)
		{name: "single_faint", seed: 102, sceneS: 1.5,
			overlay:   &screenshare.Overlay{Text: "omar_hassan12@contoso.com", Layout: screenshare.LayoutSingle, Opacity: 0.12, Gray: 160, Font: "bold", SizePx: 44 * s},
			wantKinds: []string{report.KindVisibleWatermark}},
		{name: "diagonal", seed: 103, layout: "diagonal",
			overlay:   &screenshare.Overlay{Text: "li.chen@firma.eu", Layout: screenshare.LayoutDiagonal, Opacity: 0.25, Gray: 200, Font: "medium", SizePx: 40 * s, AngleDeg: 30},
			wantKinds: []string{report.KindVisibleWatermark}},
		{name: "late_start", seed: 104, minStart: 5,
			overlay:   &screenshare.Overlay{Text: "peter.novak@acme-corp.de", Layout: screenshare.LayoutSingle, Opacity: 0.2, Gray: 128, Font: "regular", SizePx: 44 * s, Start: 8},
			wantKinds: []string{report.KindVisibleWatermark}},
		{name: "negative", seed: 105, notKinds: []string{report.KindVisibleWatermark}},
		{name: "hard_negative", seed: 106,
			statics: []screenshare.Static{{Kind: screenshare.StaticNameLabel, Text: "Anna Schmidt"},
				{Kind: screenshare.StaticToolbar}, {Kind: screenshare.StaticLogo}, {Kind: screenshare.StaticClock}},
			wantKinds: []string{report.KindVisibleIdentityText}, notKinds: []string{report.KindVisibleWatermark}},
	}
	det := New(Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			spec := base
			spec.Name, spec.Overlay, spec.Statics = tc.name, tc.overlay, tc.statics
			if tc.sceneS > 0 {
				spec.SceneS = tc.sceneS
			}
			ctx := context.Background()
			lbl, err := screenshare.Generate(ctx, t.TempDir(), tc.seed, spec)
			if err != nil {
				t.Fatal(err)
			}
			info, err := media.Probe(ctx, lbl.Path)
			if err != nil {
				t.Fatal(err)
			}
			fs, err := det.Detect(ctx, info)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[string]report.Finding{}
			for _, f := range fs {
				t.Logf("%s %s score=%.2f text=%q ids=%v region=%+v", f.Kind, f.Severity, f.Score, f.Text, f.Identities, f.Region)
				kinds[f.Kind] = f
			}
			for _, k := range tc.wantKinds {
				if _, ok := kinds[k]; !ok {
					t.Errorf("no %s finding", k)
				}
			}
			for _, k := range tc.notKinds {
				if _, ok := kinds[k]; ok {
					t.Errorf("unexpected %s finding", k)
				}
			}
			f, ok := kinds[report.KindVisibleWatermark]
			if !ok || !lbl.Positive {
				return
			}
			checkWatermark(t, tc, lbl, f)
		})
	}
}

func checkWatermark(t *testing.T, tc detectCase, lbl screenshare.Label, f report.Finding) {
	t.Helper()
	r := f.Region
	tr := lbl.Region
	if r == nil || r.X > tr.X+tr.W || tr.X > r.X+r.W || r.Y > tr.Y+tr.H || tr.Y > r.Y+r.H {
		t.Errorf("region %+v does not overlap the truth %+v", r, tr)
	}
	if tc.layout != "" && f.Layout != tc.layout {
		t.Errorf("layout %q, want %q", f.Layout, tc.layout)
	}
	if f.TimeStart == nil || f.TimeEnd == nil || *f.TimeStart < tc.minStart || *f.TimeEnd < lbl.End-4 {
		t.Errorf("time range %v-%v, truth %v-%v", f.TimeStart, f.TimeEnd, lbl.Start, lbl.End)
	}
	if f.Opacity == nil || *f.Opacity < lbl.Opacity/3 || *f.Opacity > lbl.Opacity*3 {
		t.Errorf("opacity %v, truth %v", f.Opacity, lbl.Opacity)
	}
	if tc.exact != "" {
		found := false
		for _, id := range f.Identities {
			found = found || strings.EqualFold(id.Value, tc.exact)
		}
		if !found || f.Severity != report.High {
			t.Errorf("identities %v severity %v, want %q and high", f.Identities, f.Severity, tc.exact)
		}
	}
	if f.Command == "" || f.Advice == "" {
		t.Error("no advice or command")
	}
	if len(f.Images) == 0 || !bytes.HasPrefix(f.Images[0].Data, []byte("\x89PNG")) {
		t.Error("no PNG evidence")
	}
}

func TestDetectNoVideo(t *testing.T) {
	t.Parallel()
	fs, err := New(Options{}).Detect(context.Background(), &media.Info{Path: "x.m4a",
		Streams: []media.StreamInfo{{Type: "audio"}}})
	if err != nil || len(fs) != 0 {
		t.Fatalf("audio-only file: %v %v", fs, err)
	}
}

// TestStampsReportedAsStamps regenerates stamps of evaluation seeds that
// were reported as watermarks.
func TestStampsReportedAsStamps(t *testing.T) {
	t.Parallel()
	scenes := []string{"slide_dark", "slide_light", "document", "document_scroll", "spreadsheet", "code", "photo"}
	stamp := screenshare.Static{Kind: screenshare.StaticStamp, Text: "CONFIDENTIAL", Opacity: 0.2}
	tests := []struct {
		name string
		seed int64
		spec screenshare.Spec
		text string // the stamp's text must hold this
	}{
		// A diagonal stamp whose letters fit a black overlay over light
		// content and a grey one over dark content: the grey colour's few
		// blobs read alone, at their own angle, gave noise; the line
		// through the blobs of every colour holds the word.
		{"split between two colours", 47045, screenshare.Spec{Name: "stamp_split", Width: 854, Height: 480, FPS: 15, Duration: 20,
			BitrateKbps: 600, KeyintS: 3, Scenes: scenes, SceneS: 3.3823031683249822,
			Statics: []screenshare.Static{{Kind: screenshare.StaticNameLabel, Text: "Anna Schmidt"}, stamp}}, "CONFIDENTIAL"},
		// A stamp found only as a piece of one letter: cut at the piece's
		// own angle it read as noise; along its line, as capitals.
		{"found as a piece of one letter", 55040, screenshare.Spec{Name: "stamp_piece", Width: 854, Height: 480, FPS: 15, Duration: 30,
			BitrateKbps: 600, KeyintS: 3, Scenes: scenes, SceneS: 4.437363094876403,
			Statics: []screenshare.Static{stamp, {Kind: screenshare.StaticLogo}}}, ""},
		// A stamp at 500 kbit/s over dense pages: the matte filled in
		// next to content holds the content's remnants and reads as
		// noise; the gated matte reads capitals.
		{"remnants in the filled matte", 53030, screenshare.Spec{Name: "stamp_filled", Width: 1280, Height: 720, FPS: 15, Duration: 20,
			BitrateKbps: 500, KeyintS: 2, Scenes: scenes, SceneS: 2.943589514977988,
			Statics: []screenshare.Static{{Kind: screenshare.StaticToolbar}, {Kind: screenshare.StaticLogo}, stamp}}, ""},
		// An opaque stamp is found as an overlay and as static UI, whose
		// reading of its steadiest strokes ("CONF") is the same stamp.
		{"opaque, also static UI", 31015, screenshare.Spec{Name: "stamp_opaque", Width: 1280, Height: 720, FPS: 15, Duration: 25,
			BitrateKbps: 1200, KeyintS: 4, Scenes: scenes, SceneS: 4.24603696188659,
			Statics: []screenshare.Static{{Kind: screenshare.StaticLogo}, {Kind: screenshare.StaticStamp, Text: "CONFIDENTIAL", Opacity: 1}}}, "CONFIDENTIAL"},
		// An opaque stamp and a logo at 500 kbit/s: the codec's ringing
		// at the logo's corner is found as an overlay scoring 2.10 and
		// read as remnants, one word of them one edit from a part of a
		// stamp word; it is the logo's edge, not a watermark.
		{"the edge of a logo", 61025, screenshare.Spec{Name: "logo_edge", Width: 1280, Height: 720, FPS: 15, Duration: 30,
			BitrateKbps: 500, KeyintS: 3, Scenes: scenes, SceneS: 4.002500440429396,
			Statics: []screenshare.Static{{Kind: screenshare.StaticStamp, Text: "CONFIDENTIAL", Opacity: 1}, {Kind: screenshare.StaticLogo}}}, "CONFIDENTIAL"},
		// An opaque stamp at 500 kbit/s whose translucent end is found as
		// an overlay scoring 1.24 and read as noise: a piece of the stamp
		// the static text reads.
		{"a piece at a stamp's end", 27035, screenshare.Spec{Name: "stamp_end", Width: 1280, Height: 720, FPS: 15, Duration: 25,
			BitrateKbps: 500, KeyintS: 4, Scenes: scenes, SceneS: 3.748295454768422,
			Statics: []screenshare.Static{{Kind: screenshare.StaticStamp, Text: "CONFIDENTIAL", Opacity: 1}, {Kind: screenshare.StaticLogo}}}, "CONFIDENTIAL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			found, stamps := false, 0
			for _, f := range detectGenerated(t, tc.seed, tc.spec) {
				t.Logf("%s %s text=%q", f.Kind, f.Severity, f.Text)
				if f.Kind == report.KindVisibleWatermark {
					t.Errorf("stamp reported as a watermark (%q)", f.Text)
				}
				if f.Kind == report.KindStaticOverlay {
					stamps++
					found = found || strings.Contains(f.Text, tc.text)
					// A stamp is no watermark, and its advice says so.
					if strings.Contains(f.Advice, "watermark") {
						t.Errorf("a stamp's advice speaks of a watermark: %q", f.Advice)
					}
				}
			}
			if !found {
				t.Errorf("no static_overlay reading %q", tc.text)
			}
			if stamps > 1 {
				t.Errorf("one stamp reported %d times", stamps)
			}
		})
	}
}

// TestNameLabelHeavyCompression: a name label at 500 kbit/s beside a
// translucent stamp, its pixels' temporal noise at 2-8 levels, is read
// whole and reported as identity text, the stamp as a stamp.
func TestNameLabelHeavyCompression(t *testing.T) {
	t.Parallel()
	spec := screenshare.Spec{Name: "label_noisy", Width: 1280, Height: 720, FPS: 15, Duration: 20, BitrateKbps: 500, KeyintS: 2,
		Scenes: []string{"slide_dark", "slide_light", "document", "document_scroll", "spreadsheet", "code", "photo"}, SceneS: 2.657596127412024,
		Statics: []screenshare.Static{{Kind: screenshare.StaticNameLabel, Text: "Anna Schmidt"}, {Kind: screenshare.StaticStamp, Text: "CONFIDENTIAL", Opacity: 0.2}}}
	var label, stamp bool
	for _, f := range detectGenerated(t, 63010, spec) {
		t.Logf("%s %s text=%q", f.Kind, f.Severity, f.Text)
		switch f.Kind {
		case report.KindVisibleWatermark:
			t.Errorf("reported as a watermark (%q)", f.Text)
		case report.KindVisibleIdentityText:
			label = label || slices.ContainsFunc(f.Identities, func(id report.Identity) bool { return id.Value == "Anna Schmidt" })
		case report.KindStaticOverlay:
			stamp = true
		}
	}
	if !label || !stamp {
		t.Errorf("name label read: %v, stamp reported: %v; want both", label, stamp)
	}
}

// TestFaintMarkNotAStamp: a faint mark read as content remnants, one token
// of them within an edit of a part of "internal", is a watermark not read,
// not a stamp (107032 was reported as a static_overlay).
func TestFaintMarkNotAStamp(t *testing.T) {
	t.Parallel()
	spec := screenshare.Spec{Name: "faint_remnants", Width: 854, Height: 480, FPS: 15, Duration: 25, BitrateKbps: 600, KeyintS: 3,
		Scenes: []string{"slide_dark", "slide_light", "document", "document_scroll", "spreadsheet", "code", "photo"}, SceneS: 3.6565782934947637,
		Overlay: &screenshare.Overlay{Text: "osilva@contoso.com", Layout: "single", Opacity: 0.08, Gray: 96, Font: "mono", SizePx: 31.333333333333332, End: 17}}
	marks := 0
	for _, f := range detectGenerated(t, 107032, spec) {
		t.Logf("%s %s text=%q", f.Kind, f.Severity, f.Text)
		switch f.Kind {
		case report.KindVisibleWatermark:
			marks++
		case report.KindStaticOverlay:
			t.Errorf("a faint mark reported as a stamp (%q)", f.Text)
		}
	}
	if marks != 1 {
		t.Errorf("%d watermark findings, want 1", marks)
	}
}

// detectGenerated generates the recording of spec with seed and returns
// what the detector finds in it.
func detectGenerated(t *testing.T, seed int64, spec screenshare.Spec) []report.Finding {
	t.Helper()
	ctx := context.Background()
	lbl, err := screenshare.Generate(ctx, t.TempDir(), seed, spec)
	if err != nil {
		t.Fatal(err)
	}
	info, err := media.Probe(ctx, lbl.Path)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := New(Options{}).Detect(ctx, info)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestRegeneratedMarks regenerates recordings of evaluation seeds that
// were misread or missed, and wants their identities read.
func TestRegeneratedMarks(t *testing.T) {
	t.Parallel()
	scenes := []string{"slide_dark", "slide_light", "document", "document_scroll", "spreadsheet", "code", "photo"}
	toolbar := []screenshare.Static{{Kind: screenshare.StaticToolbar}}
	tests := []struct {
		name string
		seed int64
		spec screenshare.Spec
		want string
		// opacity, when set, is the opacity the finding must report
		// within a quarter: the spec's, for a grey between the
		// detector's colours.
		opacity float64
	}{
		// A tiled mark whose clean crops Tesseract read as "ischmidt@…"
		// in every look: the tall stroke of its first letter says 'l'.
		{"tall stem read as l", 51047, screenshare.Spec{Name: "tall_stem", Width: 854, Height: 480, FPS: 15, Duration: 30,
			BitrateKbps: 600, KeyintS: 4, Scenes: scenes, SceneS: 2.9429313259679217, Statics: toolbar,
			Overlay: &screenshare.Overlay{Text: "lschmidt@contoso.com", Layout: "tiled", Opacity: 0.25, Gray: 200, Font: "regular",
				SizePx: 21.333333333333332}}, "lschmidt@contoso.com", 0},
		// A tiled handle whose clean crops the English model reads
		// "jensen" in every look (the Latin model's "ljensen" is
		// outvoted): the first glyph, a lone tall stem, is the 'l'.
		{"l dropped before a j", 61026, screenshare.Spec{Name: "lead_l", Width: 1280, Height: 720, FPS: 15, Duration: 30,
			BitrateKbps: 1200, KeyintS: 4, Scenes: scenes, SceneS: 3.4319930167560164,
			Overlay: &screenshare.Overlay{Text: "ljensen", Layout: "tiled", Opacity: 0.18, Gray: 160, Font: "regular",
				SizePx: 28, End: 21}}, "ljensen", 0},
		// A tiled mark whose first two crops are copies the frame's left
		// edge cuts: both read "vak44@acme-corp.de" alike, which had
		// left the whole copy unread.
		{"tiles cut alike", 91003, screenshare.Spec{Name: "cut_tiles", Width: 1280, Height: 720, FPS: 15, Duration: 20,
			BitrateKbps: 1200, KeyintS: 2, Scenes: scenes, SceneS: 3.698156661068344, Statics: toolbar,
			Overlay: &screenshare.Overlay{Text: "zmk-rafy-nig omar_novak44@acme-corp.de", Layout: "tiled", Opacity: 0.12, Gray: 160,
				Font: "italic", SizePx: 33}}, "omar_novak44@acme-corp.de", 0},
		// A diagonal mark: the crop the vote follows is a copy the frame
		// edge cuts ("as_patel38@firma.eu"); the looks of a copy that has
		// the head read "lucas" and then remnants.
		{"head of readings with remnants after it", 91013, screenshare.Spec{Name: "run_on_head", Width: 1280, Height: 720, FPS: 15,
			Duration: 20, BitrateKbps: 1200, KeyintS: 4, Scenes: scenes, SceneS: 2.9908470514800776,
			Overlay: &screenshare.Overlay{Text: "lucas_patel38@firma.eu", Layout: "diagonal", Opacity: 0.12, Gray: 200, Font: "bold",
				SizePx: 39, AngleDeg: 40, Start: 6}}, "lucas_patel38@firma.eu", 0},
		// A mark shown for the first 14 of 20 seconds, over code and
		// slides that stay put (4 of the 30 sampled frames), while the rest
		// of the recording scrolls a document: the regression over all
		// frames does not find it; the frames that show it do. The
		// detector takes its grey 96 for 128, in which its opacity came
		// out 0.06.
		{"mark in few frames", 51048, screenshare.Spec{Name: "few_frames", Width: 1280, Height: 720, FPS: 15, Duration: 20,
			BitrateKbps: 1200, KeyintS: 3, Scenes: scenes, SceneS: 4.120602265673508, Statics: toolbar,
			Overlay: &screenshare.Overlay{Text: "omar.tanaka", Layout: "diagonal", Opacity: 0.3, Gray: 96, Font: "italic",
				SizePx: 49, AngleDeg: 20, End: 14}}, "omar.tanaka", 0.3},
		// A diagonal mark whose line the frame edge cuts: the letter vote
		// ends the address at "emmac877@uni-bon", and the domains of the
		// readings, whole and cut, complete it.
		{"domain completed from the readings", 61028, screenshare.Spec{Name: "cut_domain", Width: 1280, Height: 720, FPS: 15, Duration: 20,
			BitrateKbps: 1200, KeyintS: 2, Scenes: scenes, SceneS: 4.1101694994494675, Statics: toolbar,
			Overlay: &screenshare.Overlay{Text: "xnu-vwsv-khq emmac877@uni-bonn.de", Layout: "diagonal", Opacity: 0.3, Gray: 200, Font: "medium",
				SizePx: 42, AngleDeg: 36, End: 14}}, "emmac877@uni-bonn.de", 0},
		// A near-white bold mark whose letters a content rule weakens
		// across their middle: the primary model reads "ketkoj564@" in
		// most looks, the second model "keikoj564@", and the vote follows
		// the second where the primary's looks disagree. The detector
		// takes it for grey 200, in which its opacity came out 0.12.
		{"second model", 57027, screenshare.Spec{Name: "second_model", Width: 1280, Height: 720, FPS: 15, Duration: 25,
			BitrateKbps: 1200, KeyintS: 4, Scenes: scenes, SceneS: 3.7892666456309883,
			Overlay: &screenshare.Overlay{Text: "keikoj564@firma.eu", Layout: "single", Opacity: 0.25, Gray: 240, Font: "bold",
				SizePx: 45}}, "keikoj564@firma.eu", 0.25},
		// A single mark that shows in few of the sampled
		// frames: the matte of all frames adds the other frames' content
		// remnants to its first letters ("aj_rossi69@" after a remnant
		// read as words); the matte of its own frames, read again from
		// the file, reads whole.
		{"matte of the frames that show it", 57033, screenshare.Spec{Name: "present_matte", Width: 854, Height: 480, FPS: 15, Duration: 25,
			BitrateKbps: 600, KeyintS: 3, Scenes: scenes, SceneS: 3.6678202593503055,
			Overlay: &screenshare.Overlay{Text: "ieq-dcnq-idb raj_rossi69@example.com", Layout: "single", Opacity: 0.12, Gray: 96, Font: "bold",
				SizePx: 26.666666666666664, End: 17}}, "raj_rossi69@example.com", 0},
		// A near-white monospaced mark: the primary model reads the matte
		// of the frames that show it "Lsilva@exampLle.com" in each look,
		// the filled matte of all frames "example" in each, and the
		// second matte's readings join the first one's letter vote.
		{"readings of the other matte in the vote", 61046, screenshare.Spec{Name: "other_matte", Width: 854, Height: 480, FPS: 15, Duration: 30,
			BitrateKbps: 600, KeyintS: 3, Scenes: scenes, SceneS: 3.6989488995948197,
			Overlay: &screenshare.Overlay{Text: "lsilva@example.com", Layout: "single", Opacity: 0.18, Gray: 240, Font: "mono",
				SizePx: 28.666666666666664}}, "lsilva@example.com", 0},
		// A diagonal mark shown for the first 14 of 20 seconds: all six
		// readings of the frames that show it read "emma.patel@firma.eu",
		// and the filled matte's readings bring "wo." from the remnants
		// of the frames without it.
		{"a head only the other matte reads", 61023, screenshare.Spec{Name: "foreign_head", Width: 1280, Height: 720, FPS: 15, Duration: 20,
			BitrateKbps: 500, KeyintS: 2, Scenes: scenes, SceneS: 3.3938108172452544,
			Overlay: &screenshare.Overlay{Text: "emma.patel@firma.eu", Layout: "diagonal", Opacity: 0.12, Gray: 128, Font: "regular",
				SizePx: 43, AngleDeg: 37, End: 14}}, "emma.patel@firma.eu", 0},
		// A single mark whose baseline a document's lines pass next to in
		// every frame: the gate shut the descender of its 'j' and the
		// bottom of its 'o' ("ionash592@" in every look); the frames shut
		// only for content next to those pixels fill them in.
		{"content next to the letters in every frame", 55036, screenshare.Spec{Name: "near_content", Width: 1280, Height: 720, FPS: 15, Duration: 20,
			BitrateKbps: 1200, KeyintS: 2, Scenes: scenes, SceneS: 3.1762195065971017,
			Overlay: &screenshare.Overlay{Text: "jonash592@contoso.com", Layout: "single", Opacity: 0.18, Gray: 128, Font: "medium",
				SizePx: 53}}, "jonash592@contoso.com", 0},
		// A near-white mark from the sixth second: a scroll samples 13 of
		// its 14 telling frames within a second and a half, over a white
		// page where the codec smoothed it away; the slides before and
		// after it, on screen for most of its time, show it.
		{"light mark beside a scroll", 63016, screenshare.Spec{Name: "scroll_burst", Width: 1280, Height: 720, FPS: 15, Duration: 20,
			BitrateKbps: 1200, KeyintS: 2, Scenes: scenes, SceneS: 2.632037383914166, Statics: toolbar,
			Overlay: &screenshare.Overlay{Text: "ltanaka@firma.eu", Layout: "single", Opacity: 0.18, Gray: 240, Font: "medium",
				SizePx: 38, Start: 6}}, "ltanaka@firma.eu", 0},
		// Near-white tiles at 0.12 with a meeting number, scoring 1.48:
		// under the report threshold of 1.5, over it at 1.2.
		{"light tiles scoring under 1.5", 59003, screenshare.Spec{Name: "light_tiles", Width: 1280, Height: 720, FPS: 15, Duration: 30,
			BitrateKbps: 1200, KeyintS: 3, Scenes: scenes, SceneS: 2.602218025948832,
			Overlay: &screenshare.Overlay{Text: "peterj113@contoso.com 4 837 094", Layout: "tiled", Opacity: 0.12, Gray: 240, Font: "regular",
				SizePx: 28, End: 21}}, "peterj113@contoso.com", 0},
		// A diagonal mark whose head the toolbar covers on the line
		// found ("ter.hassan@"); the parallel line above, found under
		// another colour, reads "peter.hassan@".
		{"parallel line of another colour", 49006, screenshare.Spec{Name: "parallel_line", Width: 1280, Height: 720, FPS: 15, Duration: 30,
			BitrateKbps: 1200, KeyintS: 2, Scenes: scenes, SceneS: 4.319727711829058, Statics: toolbar,
			Overlay: &screenshare.Overlay{Text: "peter.hassan@uni-bonn.de", Layout: "diagonal", Opacity: 0.18, Gray: 128, Font: "bold",
				SizePx: 44, AngleDeg: 44}}, "peter.hassan@uni-bonn.de", 0},
		// A single mark over a spreadsheet's grid, whose rule at the
		// height of its letters' middle ran into the first letter in the
		// matte ("ttanaka@" in every look): each frame's rules are shut
		// out of the sums now.
		{"table rules kept out of the matte", 41006, screenshare.Spec{Name: "grid_rules", Width: 1280, Height: 720, FPS: 15, Duration: 25,
			BitrateKbps: 1200, KeyintS: 2, Scenes: scenes, SceneS: 2.522025789484989,
			Overlay: &screenshare.Overlay{Text: "ltanaka@mail.example.org", Layout: "single", Opacity: 0.18, Gray: 160, Font: "bold",
				SizePx: 36}}, "ltanaka@mail.example.org", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := detectGenerated(t, tc.seed, tc.spec)
			wantWatermark(t, fs, tc.want)
			for _, f := range fs {
				if f.Kind != report.KindVisibleWatermark {
					continue
				}
				if f.Layout != tc.spec.Overlay.Layout {
					t.Errorf("layout %q, want %q", f.Layout, tc.spec.Overlay.Layout)
				}
				if tc.opacity == 0 {
					continue
				}
				if f.Opacity == nil {
					t.Errorf("no opacity, want %v", tc.opacity)
				} else if math.Abs(*f.Opacity-tc.opacity) > tc.opacity/4 {
					t.Errorf("opacity %v, want %v within a quarter", *f.Opacity, tc.opacity)
				}
			}
		})
	}
}

// wantWatermark fails the test unless a visible_watermark in fs has the
// identity value.
func wantWatermark(t *testing.T, fs []report.Finding, value string) {
	t.Helper()
	for _, f := range fs {
		t.Logf("%s %s text=%q", f.Kind, f.Severity, f.Text)
		if f.Kind == report.KindVisibleWatermark && slices.ContainsFunc(f.Identities, func(id report.Identity) bool { return id.Value == value }) {
			return
		}
	}
	t.Errorf("no visible_watermark with the identity %s", value)
}

func TestPieceOf(t *testing.T) {
	t.Parallel()
	stamp := report.Region{X: 450, Y: 109, W: 396, H: 55}
	tests := []struct {
		name  string
		piece report.Region
		want  bool
	}{
		// 27035: the piece found at the stamp's end, read as noise.
		{"a piece at the stamp's end", report.Region{X: 836, Y: 140, W: 24, H: 26}, true},
		{"a line of its own beside it", report.Region{X: 300, Y: 150, W: 500, H: 40}, false},
		{"a mark over the whole screen", report.Region{X: 0, Y: 0, W: 1280, H: 720}, false},
		{"away from the stamp", report.Region{X: 100, Y: 500, W: 24, H: 26}, false},
	}
	for _, tc := range tests {
		if got := pieceOf(tc.piece, stamp); got != tc.want {
			t.Errorf("%s: pieceOf = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestPageEdge regenerates a recording whose page's grey margin stays while
// a document scrolls beside it (an evaluation negative once reported as an
// unreadable watermark there), one whose faint mark lies across such a
// step, which must still be found, and one whose page only sharpens.
func TestPageEdge(t *testing.T) {
	t.Parallel()
	scenes := []string{"slide_dark", "slide_light", "document", "document_scroll", "spreadsheet", "code", "photo"}
	tests := []struct {
		name string
		seed int64
		spec screenshare.Spec
		want bool // a visible_watermark finding
	}{
		{"page edge beside a scroll", 81039, screenshare.Spec{Name: "page_edge", Width: 1280, Height: 720, FPS: 15, Duration: 25,
			BitrateKbps: 1200, KeyintS: 3, Scenes: scenes, SceneS: 2.952541740328113,
			Statics: []screenshare.Static{{Kind: screenshare.StaticToolbar}}}, false},
		{"faint mark across a page edge", 81022, screenshare.Spec{Name: "mark_on_edge", Width: 1280, Height: 720, FPS: 15, Duration: 25,
			BitrateKbps: 500, KeyintS: 2, Scenes: scenes, SceneS: 2.5471934721524176,
			Overlay: &screenshare.Overlay{Text: "bjv-homx-vep sofia.hassan@firma.eu", Layout: "single", Opacity: 0.08, Gray: 160,
				Font: "mono", SizePx: 45, End: 17}}, true},
		// A code page the encoder sharpens over its first seconds on
		// screen at 500 kbit/s: its light text, a second apart, had passed
		// for an overlay over three contents (score 2.10).
		{"sharpened page", 39049, screenshare.Spec{Name: "sharpened_page", Width: 1280, Height: 720, FPS: 15, Duration: 20,
			BitrateKbps: 500, KeyintS: 4, Scenes: scenes, SceneS: 2.738135653201614}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := detectGenerated(t, tc.seed, tc.spec)
			found := slices.ContainsFunc(fs, func(f report.Finding) bool { return f.Kind == report.KindVisibleWatermark })
			for _, f := range fs {
				t.Logf("%s %s text=%q score=%v", f.Kind, f.Severity, f.Text, f.Score)
			}
			if found != tc.want {
				t.Errorf("visible_watermark found: %v, want %v", found, tc.want)
			}
		})
	}
}
