package video

import (
	"image"
	"strings"
	"testing"

	"gocv.io/x/gocv"

	"tracescan/ocr"
	"tracescan/report"
)

func TestSameLengthVote(t *testing.T) {
	t.Parallel()
	got, n := sameLengthVote([]string{"omar_garcia2z8@contoso.com", "omar_garcia28@contoso.com", "omar_qarcia28@contoso.com",
		"omar_garcia28@cantoso.com", "8@contoso.com"})
	if got != "omar_garcia28@contoso.com" || n != 3 {
		t.Errorf("sameLengthVote = %q (%d)", got, n)
	}
}

func TestPresenceScore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		p        presence
		min, max float64
	}{
		{"nothing", presence{}, 0, 0},
		{"one content of twenty", presence{distinct: 1, contents: 20}, 0, 0.1},
		{"two of twenty", presence{distinct: 2, contents: 20}, 0, 0.2},
		{"five of five", presence{distinct: 5, contents: 5}, 3.4, 3.6}, // 0.2^5
		{"sixteen of seventeen", presence{distinct: 16, contents: 17}, 9.5, 11},
	}
	for _, tc := range tests {
		if got := tc.p.score(); got < tc.min || got > tc.max {
			t.Errorf("%s: score %.3f, want %.2f..%.2f", tc.name, got, tc.min, tc.max)
		}
	}
	if got := binomTail(3, 2, 0.5); got != 0 {
		t.Errorf("binomTail(3, 2) = %v, want 0", got)
	}
	if got := binomTail(0, 7, 0.3); got != 1 {
		t.Errorf("binomTail(0, 7) = %v, want 1", got)
	}
}

func TestPresenceSteady(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    presence
		want bool
	}{
		{"most frames", presence{present: 9, inSpan: 14, spanTime: 12, presentTime: 3}, true},
		// 63016: a scroll's 13 frames in 1.5 s of the span do not show it.
		{"few frames, most of the time", presence{present: 5, inSpan: 14, spanTime: 10.4, presentTime: 8.9}, true},
		// A test pattern's moving parts: frames evenly spread.
		{"few frames, as little time", presence{present: 37, inSpan: 126, spanTime: 8.4, presentTime: 2.5}, false},
		{"nothing telling", presence{}, false},
	}
	for _, tc := range tests {
		if got := tc.p.steady(); got != tc.want {
			t.Errorf("%s: steady = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestBestLook(t *testing.T) {
	tests := []struct {
		name  string
		looks []ocr.Line
		want  string
	}{
		{"an identity beats a more confident stamp", []ocr.Line{{Text: "CONFIDENTIAL", Conf: 90}, {Text: "anna.meyer@example.com", Conf: 40}}, "anna.meyer@example.com"},
		{"a stamp's word beats more confident noise", []ocr.Line{{Text: "f a AL : | [-TDN nll CO Vee", Conf: 44}, {Text: "s/ CONFIDENTIAL,. 1-7", Conf: 7}}, "s/ CONFIDENTIAL,. 1-7"},
		{"readings of confidence 0 count", []ocr.Line{{Text: "_. 4FIDENTIAL"}, {Text: "_.aFIDENTIAL"}}, "_. 4FIDENTIAL"},
		{"noise: the most confident", []ocr.Line{{Text: "ew a", Conf: 32}, {Text: "Cz", Conf: 0}, {Text: "yey oan", Conf: 45}}, "yey oan"},
		{"nothing read", []ocr.Line{{}, {}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := bestLook(tc.looks); got.Text != tc.want {
				t.Errorf("picked %q, want %q", got.Text, tc.want)
			}
		})
	}
}

func TestBigStamp(t *testing.T) {
	crop := func(looks int, texts ...string) *lineCrop {
		c := &lineCrop{looks: make([]gocv.Mat, looks), big: looks > 3}
		for _, s := range texts {
			c.lines = append(c.lines, ocr.Line{Text: s, Conf: 30})
		}
		return c
	}
	tests := []struct {
		name  string
		crops []*lineCrop
		want  string
	}{
		{"big letters reading as capitals, beside content noise", []*lineCrop{crop(4, "", "", "wo COP TENS TAL"), crop(3, "eet r— io be")}, "wo COP TENS TAL"},
		{"capitals in small letters are not a stamp", []*lineCrop{crop(3, "ROW IN INA")}, ""},
		{"big letters reading as an address", []*lineCrop{crop(4, "ANNA.MEYER@EXAMPLE.COM")}, ""},
		{"big letters reading as noise", []*lineCrop{crop(4, "ee a ye oan")}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := bigStamp(tc.crops); got != tc.want {
				t.Errorf("bigStamp = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRepeatsIdentity(t *testing.T) {
	cases := []struct {
		text, id string
		want     bool
	}{
		{"annat898@mail.example.org", "annat898@mail.example.org", false},
		{"annat898@mail.example.org 3 117 171", "annat898@mail.example.org", false},
		{"imple.org 3 117 171 annat898@mail.example.org 3 117 171 -- annat898@mail.exampl", "annat898@mail.example.org", true},
		{"li.garcia li.garcia", "li.garcia", true},
		{"li.garcia", "li.garcia@x.org", false},
		{"org li.garcia@x.org", "li.garcia@x.org", false},
	}
	for _, c := range cases {
		if got := repeatsIdentity(c.text, c.id); got != c.want {
			t.Errorf("repeatsIdentity(%q, %q) = %v, want %v", c.text, c.id, got, c.want)
		}
	}
}

func TestTextLines(t *testing.T) {
	t.Parallel()
	ob := func(x0, y0, x1, y1 int, angle, elong, score float64) overlayBlob {
		return overlayBlob{blob: blob{rect: image.Rect(x0, y0, x1, y1), angle: angle, elong: elong, score: score}, ok: true}
	}
	tests := []struct {
		name  string
		obs   []overlayBlob
		lines int
		angle float64 // of the first line
	}{
		// The debug lines of a 1280x720 video: "raj.novak@firma.eu" found
		// as a long word and three short ones whose shapes give no angle.
		{"words of one line, round ones at odd angles", []overlayBlob{
			ob(711, 347, 853, 384, -1.3, 4.6, 6.2), ob(477, 333, 626, 385, 0.3, 4.3, 5.8),
			ob(397, 337, 459, 395, -16.4, 1.6, 4.7), ob(679, 333, 709, 384, -83.6, 1.8, 3.4),
		}, 1, -1.3},
		{"round blob leading a line takes the line's angle", []overlayBlob{
			ob(397, 337, 459, 395, -16.4, 1.6, 9), ob(477, 333, 626, 385, 0.3, 4.3, 5.8),
		}, 1, 0.3},
		{"crossing lines stay apart", []overlayBlob{
			ob(100, 100, 300, 140, 0, 5, 5), ob(310, 90, 350, 150, 60, 4, 4),
		}, 2, 0},
		{"tiles on two rows", []overlayBlob{
			ob(100, 100, 300, 130, 0, 6, 5), ob(100, 300, 300, 330, 0, 6, 5),
		}, 2, 0},
	}
	for _, tc := range tests {
		got := textLines(tc.obs, 1280, 720)
		if len(got) != tc.lines || got[0].angle != tc.angle {
			t.Errorf("%s: %d lines, first at %.1f°; want %d at %.1f°", tc.name, len(got), got[0].angle, tc.lines, tc.angle)
		}
	}
}

// wordsLine is the reading of these words, as Tesseract gives it: their
// texts joined by spaces.
func wordsLine(ws ...ocr.Word) ocr.Line { return ocr.Line{Words: ws, Text: wordsText(ws)} }

func TestAddressStart(t *testing.T) {
	t.Parallel()
	w := func(text string, x0, x1 int) ocr.Word { return ocr.Word{Text: text, Box: image.Rect(x0, 10, x1, 60)} }
	line := wordsLine
	tests := []struct {
		name  string
		lines []ocr.Line
		x     int
		ok    bool
	}{
		// Read from a rebuilt crop of a diagonal mark: remnants left of
		// the address, and the address itself split at its dot.
		{"remnants before a split address", []ocr.Line{line(w("ry,", 20, 100), w("emma.", 140, 330), w("tanaka@contoso.com", 350, 1180))}, 120, true},
		{"touching boxes", []ocr.Line{line(w("—+--", 16, 150), w("osilva@contoso.com", 140, 900))}, 139, true},
		{"leftmost of several readings", []ocr.Line{
			line(w("+»,", 20, 110), w("ema.", 140, 330), w("tanaka@contoso.com", 350, 1180)),
			line(w(".", 20, 40), w("emma.", 130, 330), w("tanaka@contoso.com", 350, 1180)),
		}, 85, true},
		{"address first", []ocr.Line{line(w("emma.tanaka@contoso.com", 16, 1180), w("2", 1200, 1220))}, 0, false},
		{"a meeting code before the address is kept", []ocr.Line{line(w("xqn-qxbw-odp", 16, 300), w("lucasg128@contoso.com", 330, 900))}, 0, false},
		{"remnants before a meeting code", []ocr.Line{line(w("~~", 16, 60), w("xqn-qxbw-odp", 90, 300), w("lucasg128@contoso.com", 330, 900))}, 75, true},
		{"head of the local part read apart", []ocr.Line{line(w("keiko", 16, 200), w("r752@contoso.com", 230, 900))}, 0, false},
		{"no address", []ocr.Line{line(w("CONFIDENTIAL", 16, 600), w("x", 650, 670))}, 0, false},
		{"remnants before a lone handle", []ocr.Line{line(w("|", 16, 30), w("*__!", 80, 200), w("sgofia_tanaka32", 320, 900))}, 260, true},
		{"a word before a handle", []ocr.Line{line(w("team", 16, 120), w("sofia_tanaka32", 320, 900))}, 0, false},
		{"a plain word last", []ocr.Line{line(w("~~", 16, 60), w("timeline", 320, 900))}, 0, false},
	}
	for _, tc := range tests {
		x, ok := addressStart(tc.lines)
		if x != tc.x || ok != tc.ok {
			t.Errorf("%s: addressStart = %d, %v; want %d, %v", tc.name, x, ok, tc.x, tc.ok)
		}
	}
}

// cropRead is a crop whose looks read texts.
func cropRead(texts ...string) *lineCrop {
	c := &lineCrop{}
	for _, s := range texts {
		c.lines = append(c.lines, ocr.Line{Text: s})
	}
	return c
}

func TestLoneHandle(t *testing.T) {
	t.Parallel()
	crop := cropRead
	tests := []struct {
		name  string
		crops []*lineCrop
		want  string
	}{
		{"looks agree among remnants", []*lineCrop{crop("J Ft enovak; —", "+/— - | —4 -enovak; —", "Jj —+— ,enovak; —")}, "enovak"},
		{"one look only", []*lineCrop{crop("J Ft enovak; —", "~ ~", "Jj —+— ,enovqk; —")}, ""},
		{"looks read other words too", []*lineCrop{crop("enovak", "enovak", "timeline review", "quarterly budget")}, ""},
		{"a word beside it", []*lineCrop{crop("team enovak", "team enovak")}, ""},
		{"part of an address", []*lineCrop{crop("~ garcia —", "~ garcia", "k garcia@fi")}, ""},
	}
	for _, tc := range tests {
		if got := loneHandle(tc.crops); got != tc.want {
			t.Errorf("%s: loneHandle = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestRepeatedHandle(t *testing.T) {
	t.Parallel()
	crop := cropRead
	six := func(s string) *lineCrop { return crop(s, s, s, s, s, s) }
	tests := []struct {
		name  string
		crops []*lineCrop
		want  string
	}{
		{"read in several tiles", []*lineCrop{crop("ochen", "ochen", "~ ochen", "ocher", "x", "ochen"), crop("ochen", "ochen", "ochen", "0chen", "ochen", "-")}, "ochen"},
		{"one tile's looks alike, another's misread alike", []*lineCrop{
			crop("x sche", "~ Sche7", "sche", "As scher", "`q scher", "scher"), six("schen")}, "schen"},
		{"one tile's looks alike, no echo", []*lineCrop{crop("x", "~~", "ah", "—", "tl", "-"), six("schen")}, ""},
		{"one crop alone", []*lineCrop{six("review")}, ""},
		{"one look differs", []*lineCrop{
			crop("x sche", "~ Sche7", "sche", "As scher", "`q scher", "scher"), crop("schen", "schen", "schen", "schen", "schen", "schon")}, ""},
		{"an address read elsewhere", []*lineCrop{crop("schen@x.de", "schen@x.de", "schen", "schen", "schen", "schen"), six("schen")}, ""},
	}
	for _, tc := range tests {
		if got, _ := repeatedHandle(tc.crops); got != tc.want {
			t.Errorf("%s: repeatedHandle = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestCropsAgree(t *testing.T) {
	t.Parallel()
	crop := func(texts ...string) *lineCrop {
		c := &lineCrop{}
		for _, s := range texts {
			l := ocr.Line{Text: s}
			for _, w := range strings.Fields(s) {
				l.Words = append(l.Words, ocr.Word{Text: w})
			}
			c.lines = append(c.lines, l)
		}
		return c
	}
	cut := func(c *lineCrop) *lineCrop { c.cut = true; return c }
	tests := []struct {
		name  string
		crops []*lineCrop
		want  bool
	}{
		{"two crops, every look alike", []*lineCrop{
			crop("lit162@mail.example.org", "lit162@mail.example.org 8", "~ lit162@mail.example.org"),
			crop("lit162@mail.example.org", "lit162@mail.example.org", "")}, true},
		{"one look differs", []*lineCrop{
			crop("lit162@mail.example.org", "lit162@mail.example.org", "lit162@mail.example.org"),
			crop("lit162@mail.example.org", "litl62@mail.example.org", "lit162@mail.example.org")}, true},
		{"looks split between two readings", []*lineCrop{
			crop("(Lit162@mail.example.org", "litl62@mail.example.org", "lit162@mail.example.org"),
			crop("litl62@mail.example.org", "litl62@mail.example.org", "lit162@mail.example.org")}, false},
		{"one crop only", []*lineCrop{
			crop("lit162@mail.example.org", "lit162@mail.example.org", "lit162@mail.example.org"),
			crop("", "~ ~", "")}, false},
		{"the end of a local part read with a gap", []*lineCrop{
			crop("emma_ta naka47@example.com"), crop("emma_ta naka47@example.com")}, false},
		{"two copies the frame edge cuts", []*lineCrop{
			cut(crop("vak44@acme-corp.de", "ivak44@acme-corp.de", "vak44@acme-corp.de")),
			cut(crop("vak44@acme-corp.de", "vak44@acme-corp.de", "vak44@acme-corp.de"))}, false},
		{"one copy the frame edge cuts", []*lineCrop{
			crop("omar_novak44@acme-corp.de", "omar_novak44@acme-corp.de", "omar_novak44@acme-corp.de"),
			cut(crop("vak44@acme-corp.de", "vak44@acme-corp.de", "vak44@acme-corp.de"))}, false},
	}
	for _, tc := range tests {
		if got := cropsAgree(tc.crops); got != tc.want {
			t.Errorf("%s: cropsAgree = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestWholeLocalPart(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		email  string
		emails []string
		want   string
	}{
		{"underscore read as a space", "rst-zngi-pgt sofia jensen92@mail.example.org", "jensen92@mail.example.org",
			[]string{"jensen92@mail.example.org", "sofia_jensen92@mail.example.org", "sofia_jensen92@mail.example.org"},
			"sofia_jensen92@mail.example.org"},
		{"read whole only once", "sofia jensen92@x.org", "jensen92@x.org",
			[]string{"jensen92@x.org", "sofia_jensen92@x.org"}, ""},
		{"another word before the address", "see jensen92@x.org", "jensen92@x.org",
			[]string{"sofia_jensen92@x.org", "sofia_jensen92@x.org"}, ""},
		{"a tile's cut head is not a word", "jensen92@x.org", "jensen92@x.org",
			[]string{"a_jensen92@x.org", "a_jensen92@x.org"}, ""},
		{"no separator between head and tail", "mar tel@x.org", "tel@x.org",
			[]string{"martel@x.org", "martel@x.org"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, head, ok := wholeLocalPart(tt.text, tt.email, tt.emails)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("wholeLocalPart(%q, %q) = %q, %v; want %q", tt.text, tt.email, got, ok, tt.want)
			}
			if ok && !strings.Contains(strings.ToLower(tt.text), head+" "+tt.email) {
				t.Errorf("head %q is not the word before %q in %q", head, tt.email, tt.text)
			}
		})
	}
}

func TestMarkText(t *testing.T) {
	t.Parallel()
	email := func(v string) report.Identity { return report.Identity{Type: "email", Value: v} }
	tests := []struct {
		name string
		text string
		ids  []report.Identity
		want string
	}{
		{"remnants before an address", "___ _.anna.hassan@mail.example.org", []report.Identity{email("anna.hassan@mail.example.org")},
			"anna.hassan@mail.example.org"},
		{"short remnants before a Meet code", "es s ous-ifva-rqf anna@x.org", []report.Identity{{Type: "meeting_code", Value: "ous-ifva-rqf"}, email("anna@x.org")},
			"ous-ifva-rqf anna@x.org"},
		{"a meeting number's groups are kept", "jo@x.org 2 389 147 |", []report.Identity{email("jo@x.org")}, "jo@x.org 2 389 147"},
		{"a short identity is kept", "| li", []report.Identity{{Type: "local_part", Value: "li"}}, "li"},
		{"words as read", "emma schmidt23@mail.example.org", []report.Identity{email("schmidt23@mail.example.org")},
			"emma schmidt23@mail.example.org"},
		{"nothing but remnants", "~ —", []report.Identity{email("jo@x.org")}, "~ —"},
		{"remnants read into the address", "4--+-olgaj777@uni-bonn.de 3 675 405", []report.Identity{email("olgaj777@uni-bonn.de")},
			"olgaj777@uni-bonn.de 3 675 405"},
		{"an address said once", "li.meyer@uni-bonn.de li.meyer@uni-bonn.de", []report.Identity{email("li.meyer@uni-bonn.de")}, "li.meyer@uni-bonn.de"},
		{"an address's tail read apart", "na. ivanova@firma.eu", []report.Identity{email("anna.ivanova@firma.eu")}, "anna.ivanova@firma.eu"},
		{"an address as repaired", "ofia.hassan@uni--bonn.de", []report.Identity{email("ofia.hassan@uni-bonn.de")}, "ofia.hassan@uni-bonn.de"},
		{"a Meet code joined to the address stays", "yqi-egjv-yej_omeyer@firma.eu",
			[]report.Identity{email("omeyer@firma.eu"), {Type: "meeting_code", Value: "yqi-egjv-yej"}}, "yqi-egjv-yej_omeyer@firma.eu"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := markText(tc.text, tc.ids); got != tc.want {
				t.Errorf("markText(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestDistinctIDs(t *testing.T) {
	t.Parallel()
	got := distinctIDs([]report.Identity{{Type: "email", Value: "keikoc606@acme-corp.de"}, {Type: "email", Value: "keikoc606@acme--corp.de"},
		{Type: "local_part", Value: "keikoc606"}, {Type: "email", Value: "Jo@x.org"}, {Type: "email", Value: "jo@x.org"}})
	want := []report.Identity{{Type: "email", Value: "keikoc606@acme-corp.de"}, {Type: "local_part", Value: "keikoc606"}, {Type: "email", Value: "jo@x.org"}}
	if len(got) != len(want) {
		t.Fatalf("distinctIDs = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("distinctIDs[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestReplaceAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, old, new, want string
	}{
		{"the address", "ter.hassan@x.de 2 318", "ter.hassan@x.de", "peter.hassan@x.de", "peter.hassan@x.de 2 318"},
		{"any case", "Anna@X.org", "anna@x.org", "anna@x.org", "anna@x.org"},
		{"not inside another address", "peterhassan@x.de", "hassan@x.de", "r.hassan@x.de", "peterhassan@x.de"},
		{"after remnants' separators", "i._.2nna.hassan@x.org", "2nna.hassan@x.org", "anna.hassan@x.org", "i._.anna.hassan@x.org"},
		{"after a code", "abc-defg-hij anna@x.org", "anna@x.org", "hanna@x.org", "abc-defg-hij hanna@x.org"},
		{"after a remnant's dash", "l.__ --)-lueas_novak50@x.de", "lueas_novak50@x.de", "lucas_novak50@x.de", "l.__ --)-lucas_novak50@x.de"},
		{"a split local part", "sofia jensen92@x.org", "sofia jensen92@x.org", "sofia_jensen92@x.org", "sofia_jensen92@x.org"},
	}
	for _, tc := range tests {
		if got := replaceAddress(tc.text, tc.old, tc.new); got != tc.want {
			t.Errorf("%s: replaceAddress(%q, %q, %q) = %q, want %q", tc.name, tc.text, tc.old, tc.new, got, tc.want)
		}
	}
}

func TestParallelLines(t *testing.T) {
	t.Parallel()
	// A line at 44 degrees from (440,700) up to (860,300), its letters 30
	// pixels high across it, their strokes 40 % of that band.
	line := blob{rect: image.Rect(440, 300, 860, 700), angle: 44, elong: 17}
	for i := range 580 * 30 * 4 / 10 {
		line.mask = append(line.mask, image.Pt(440+i%420, 300+i%400))
	}
	letters := func(r image.Rectangle, angle, elong float64) overlayBlob {
		return overlayBlob{blob: blob{rect: r, angle: angle, elong: elong}, letters: true}
	}
	tests := []struct {
		name string
		blob overlayBlob
		want bool
	}{
		{"a copy above the line", letters(image.Rect(500, 0, 850, 320), 44, 17), true},
		{"a piece of the line itself", letters(image.Rect(600, 420, 700, 520), 45, 6), false},
		{"letters at another angle", letters(image.Rect(500, 0, 850, 320), 20, 17), false},
		{"a roundish blob", letters(image.Rect(500, 0, 560, 60), 44, 2), false},
	}
	for _, tc := range tests {
		got := parallelLines(line, []overlayBlob{tc.blob}, 44)
		if (len(got) == 1) != tc.want {
			t.Errorf("%s: parallelLines = %v, want a line: %v", tc.name, got, tc.want)
		}
	}
}

func TestCropsReading(t *testing.T) {
	crop := func(texts ...string) *lineCrop {
		c := &lineCrop{}
		for _, s := range texts {
			c.lines = append(c.lines, ocr.Line{Text: s})
		}
		return c
	}
	crops := []*lineCrop{
		crop("maria chen@acme-corp.de", "marja chon@acme-corp.de"),
		crop("Maria.Chen @ acme-corp.de"), // case and a spaced '@' repaired
		crop("maria.chon@acme-corp.de", ""),
		crop(),
	}
	tests := []struct {
		value string
		want  int
	}{
		{"maria.chen@acme-corp.de", 1},
		{"chen@acme-corp.de", 2},
		{"MARIA.CHEN@ACME-CORP.DE", 1},
		{"acme-corp.de", 3},
		{"lucas.chen@acme-corp.de", 0},
	}
	for _, tc := range tests {
		if got := cropsReading(crops, report.Identity{Type: "email", Value: tc.value}); got != tc.want {
			t.Errorf("cropsReading(%q) = %d, want %d", tc.value, got, tc.want)
		}
	}
}
