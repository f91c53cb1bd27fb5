package ocr

import (
	"slices"
	"testing"
)

func TestConsensus(t *testing.T) {
	tests := []struct {
		name  string
		lines []Line
		want  string
		n     int
	}{
		{"partial tiles outvote a repeated misread", []Line{
			{Text: "peter_ivanova32@example.com 8 923 281", Conf: 89},
			{Text: "peter_ivanova32@example.comi 8 923 281", Conf: 86},
			{Text: "peter_ivanova32@examiple.com 8 923 281", Conf: 86},
			{Text: "peter_ivanova32@examiple.com 8 923 281", Conf: 83},
			{Text: "peter_ivanova32@example.com 8 923 281", Conf: 94},
			{Text: "peter_ivanova32@examiple.com 8 923 281", Conf: 93},
			{Text: "~ ivanova32@example.com 8 923 281", Conf: 87},
			{Text: "~ ivanova32@example.com 8 923 281", Conf: 94},
			{Text: "~ ivanova32@example.com 8.923 281", Conf: 86},
		}, "peter_ivanova32@example.com 8 923 281", 9},
		{"each reading misses a different letter", []Line{
			{Text: "anna.schmdt@example.com", Conf: 60},
			{Text: "anna.schmidt@exmple.com", Conf: 60},
			{Text: "ana.schmidt@example.com", Conf: 60},
		}, "anna.schmidt@example.com", 3},
		{"a reading of other text does not vote", []Line{
			{Text: "jdoe@example.org", Conf: 80},
			{Text: "jdoe@example.org", Conf: 70},
			{Text: "quarterly revenue forecast", Conf: 95},
		}, "jdoe@example.org", 2},
		{"a lone reading is kept", []Line{{Text: "mkrause", Conf: 50}}, "mkrause", 1},
		{"noise only", []Line{{Text: "~ —", Conf: 20}, {Text: "", Conf: 0}}, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, n := Consensus(tc.lines)
			if got != tc.want || n != tc.n {
				t.Errorf("Consensus = %q (%d readings), want %q (%d)", got, n, tc.want, tc.n)
			}
		})
	}
}

func TestConsensusKeepsLettersWhole(t *testing.T) {
	got, _ := Consensus([]Line{{Text: "jürgen@example.org", Conf: 80}, {Text: "jürgen@example.org", Conf: 70}, {Text: "jurgen@example.org", Conf: 60}})
	if got != "jürgen@example.org" {
		t.Errorf("Consensus = %q, want the umlaut kept whole", got)
	}
}

func TestConsensusDropsUnconfirmedEnds(t *testing.T) {
	got, _ := Consensus([]Line{{Text: "—_olga_patel41]", Conf: 23}, {Text: "——oOlga_patel41].", Conf: 38}, {Text: "—olga_patel41].", Conf: 53}})
	if got != "olga_patel41" {
		t.Errorf("Consensus = %q, want olga_patel41", got)
	}
}

func TestConsensusEnds(t *testing.T) {
	cut := func(src int, s string) Line { return Line{Text: s, Conf: 85, Src: src} }
	tests := []struct {
		name  string
		lines []Line
		want  string
	}{
		{"tiles cut at the right edge outnumber whole ones", []Line{
			cut(0, "vnk-x71'J-dyb olga.chen@contoso.com"), cut(0, "vnk-x71'J-dyb olga.chen@contoso.com"),
			cut(1, "- jk-xZzud-dyb olga.chen@contoso.com"), cut(1, "- Jk=-xzud-dyb olga.chen@contoso.com"),
			cut(2, "vbk-xzud-dyb olga.chen@contoso.co"), cut(2, "vbk-xzud-dyb olga.chen@contoso.co"),
			cut(3, "vbk-xzud-dyb olga.chen@contoso.co"), cut(3, "vbk-xzud-dyb olga.chen@contoso.co"),
			cut(4, "vbk-xzud-dyb olga.chen@contoso.co"), cut(4, "vbk-xzud-dyb olga.chen@contoso.co"),
		}, "vbk-xzud-dyb olga.chen@contoso.com"},
		{"tiles cut at the left edge outnumber whole ones", []Line{
			cut(0, "knovak@unl-bonn.de"), cut(1, "knovak@unl-bonn.de"),
			cut(2, "novak@uni-bonn.de"), cut(3, "novak@uni-bonn.de"), cut(4, "novak@uni-bonn.de"),
			cut(5, "novak@uni-bonn.de"),
		}, "knovak@uni-bonn.de"},
		{"a letter some looks of one image read twice", []Line{
			cut(0, "Llucas.novak@firma.eu 5"), cut(0, "lucas .novak@firma.eu 5"), cut(0, "lucas. .novak@firma.eu 5"),
			cut(1, "Lucas .novak@firma.eu 5 838-460"), cut(1, "lucas .novak@firma.eu 5 838-460"), cut(1, "Lucas .novak@firma.eu 5 838460"),
			cut(2, "Llucas.novak@firma.eu 5 838 460"), cut(2, "lucas .novak@firma.eu 5 838 460"), cut(2, "Lucas .novak@firma.eu 5 838 460"),
			cut(3, "Llucas.novak@firma.eu 5 838 460"), cut(3, "Llucas.novak@firma.eu 5 838 460"), cut(3, "Llucas.novak@firma.eu 5 838 460"),
			cut(4, "lucas.novak@firma.eu 5 838 460"), cut(4, "lucas .novak@firma.eu 5 838 460"), cut(4, "lucas .novak@firma.eu 5 838 460"),
		}, "lucas.novak@firma.eu 5 838 460"},
		{"a copy cut inside a word does not vote on the letter at the cut", []Line{
			cut(0, "stanaka@contoso.com"), cut(0, "stanaka@contoso.com"), cut(0, "stanaka@contoso.com"),
			cut(1, "stanaka@contosc"), cut(1, "stanaha@contosc"), cut(1, "Sstanaki@contosc"),
			cut(2, "Stanaka ®contosc"), cut(2, "Stanaka 2contosc"),
		}, "stanaka@contoso.com"},
		{"looks at one image do not extend the backbone", []Line{
			cut(0, "vnk-x71'J-dyb olga.chen@contoso.com"), cut(0, "vnk-x71'J-dyb olga.chen@contoso.com"),
			cut(0, "vnk-x71'J-dyb olga.chen@contoso.com"),
			cut(2, "vbk-xzud-dyb olga.chen@contoso.co"), cut(2, "vbk-xzud-dyb olga.chen@contoso.co"),
			cut(3, "vbk-xzud-dyb olga.chen@contoso.co"), cut(3, "vbk-xzud-dyb olga.chen@contoso.co"),
		}, "vbk-xzud-dyb olga.chen@contoso.co"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := Consensus(tc.lines); got != tc.want {
				t.Errorf("Consensus = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestConsensusHeadOfOneImage(t *testing.T) {
	// A diagonal mark: the frame edge cuts the first copy's head; the
	// second copy has it, in the looks of its one crop.
	cut := Line{Text: "*t614@contoso.com 2 371 716", Conf: 90, Src: 0}
	whole := func(text string) Line { return Line{Text: text, Conf: 60, Src: 1} }
	got, _ := Consensus([]Line{cut, cut, cut, whole("rajtu. 4@contoso.com 2°37) ,"), whole("rajtv. 4@contoso.com 2°37) .")})
	if want := "rajt614@contoso.com 2 371 716"; got != want {
		t.Errorf("Consensus = %q, want %q", got, want)
	}
	// One reading alone does not add a head.
	got, _ = Consensus([]Line{cut, cut, whole("rajtu. 4@contoso.com 2°37) ,")})
	if want := "t614@contoso.com 2 371 716"; got != want {
		t.Errorf("Consensus = %q, want %q", got, want)
	}
}

func TestConsensusHeadOfRunOnReadings(t *testing.T) {
	// A diagonal mark (91013): the copy read whole is cut by the frame
	// edge; the looks of a copy that has the head run on into remnants, so
	// they do not fit the backbone as a whole.
	look := func(src int, conf float64, text string) Line { return Line{Text: text, Conf: conf, Src: src} }
	cut := []Line{
		look(1, 80, "~as_patel38@firma.eu"), look(1, 75, "aS_paiel38@firma.eu"), look(1, 80, "as_patel38@firma.eu"),
		look(1, 70, "'as_patel38@firma.eu"), look(1, 72, "as_patel38@firma.cu"), look(1, 28, "as_patel38@firma.eu"),
	}
	tests := []struct {
		name  string
		whole []Line
		want  string
	}{
		{"looks of one image agree on the head", []Line{
			look(0, 40, "lucas_patel36@ ii abun,"), look(0, 35, "lucas_patel3f o fianus,"),
			look(0, 20, "lucas aelh afia UN -P oc ah g"),
		}, "lucas_patel38@firma.eu"},
		{"heads of readings that fit as a whole come first", []Line{
			look(0, 40, "fucas_patel36@ ii abun,"), look(0, 35, "fucas_patel3f o fianus,"), look(0, 35, "fucas_patel3f o fianus,"),
			look(0, 30, "lucas_pate!38@firma.eu"), look(0, 30, "lucas_pate!38@firma.eu"),
		}, "lucas_patel38@firma.eu"},
		{"one look alone does not add a head", []Line{
			look(0, 40, "lucas_patel36@ ii abun,"), look(0, 20, "lucas aelh afia UN -P oc ah g"),
		}, "as_patel38@firma.eu"},
		{"a head of one letter (a stroke of content)", []Line{
			look(0, 40, "tas_patel36@ ii abun,"), look(0, 35, "tas_patel3f o fianus,"),
		}, "as_patel38@firma.eu"},
		{"a head that cannot start a local part", []Line{
			look(0, 40, "-_as_patel36@ ii abun,"), look(0, 35, "-_as_patel3f o fianus,"),
		}, "as_patel38@firma.eu"},
		{"remnants that match no beginning", []Line{
			look(0, 40, "lucas quarterly revenue"), look(0, 35, "lucas quarterly revenue"),
		}, "as_patel38@firma.eu"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := Consensus(append(slices.Clone(cut), tc.whole...)); got != tc.want {
				t.Errorf("Consensus = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestHeadBefore(t *testing.T) {
	tests := []struct {
		reading, backbone, want string
	}{
		{"lucas_patel36@ ii abun,", "as_patel38@firma.eu", "luc"},
		{"ee lucas_patel3f o fianus,", "as_patel38@firma.eu", "luc"},
		{"Nicas_pateloSOnima.e", "as_patel38@firma.eu", "Nic"},
		{"lucas_patel38@firma.eu and more", "lucas_patel38@firma.eu", ""}, // no head: it starts where the backbone does
		{"lucas as_patel38@", "as_patel38@firma.eu", ""},                  // a word apart is not a head
		{"lucas_pa", "as_patel38@firma.eu", ""},                           // too few letters match
		{"quarterly revenue forecast", "as_patel38@firma.eu", ""},
	}
	for _, tc := range tests {
		t.Run(tc.reading, func(t *testing.T) {
			if got := headBefore([]rune(tc.reading), []rune(tc.backbone)); got != tc.want {
				t.Errorf("headBefore(%q, %q) = %q, want %q", tc.reading, tc.backbone, got, tc.want)
			}
		})
	}
}

func TestConsensusNoOneLetterHeadOfOneImage(t *testing.T) {
	// A content stroke before the first letter, in two looks of one crop.
	got, _ := Consensus([]Line{{Text: "tLschmadt@example.com—_", Conf: 29}, {Text: "Lschmidt@exampLle.com - |", Conf: 40}, {Text: "tischmidt@Gexample.com——", Conf: 21}})
	if want := "lschmidt@example.com"; got != want {
		t.Errorf("Consensus = %q, want %q", got, want)
	}
}

func TestConsensusPlacesAt(t *testing.T) {
	mono := func(conf float64, texts ...string) []Line {
		var ls []Line
		for _, s := range texts {
			ls = append(ls, Line{Text: s, Conf: conf})
		}
		return ls
	}
	tests := []struct {
		name  string
		lines []Line
		want  string
	}{
		// The primary model's looks read the '@' as 'G', the second
		// model's (at a third of the weight) as '@'.
		{"address", append(mono(80, "omarm480G@example.com", "omarm480Gexample.com", "omarm480Gexample.com"),
			mono(28, "omarm480@examp le .com", "omarm4809example .com", "omarm480@example .com")...), "omarm480@example.com"},
		// Too few votes for it.
		{"few votes", append(mono(80, "omarm480Gexample.com", "omarm480Gexample.com", "omarm480Gexample.com"),
			mono(10, "omarm480@example.com")...), "omarm4806example.com"},
		// An '@' that makes no address is not placed: a handle stays one.
		{"handle", append(mono(80, "lucasj561", "lucasj561", "lucasj561"), mono(28, "lucas@561", "lucas@561")...), "lucasj561"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := Consensus(tc.lines); got != tc.want {
				t.Errorf("Consensus = %q, want %q", got, tc.want)
			}
		})
	}
}
