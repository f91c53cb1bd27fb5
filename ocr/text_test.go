package ocr

import (
	"reflect"
	"testing"
)

func TestEmailsOCR(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"anna.schmidt@example.com", []string{"anna.schmidt@example.com"}},
		{"anna.schmidt @ example.com", []string{"anna.schmidt@example.com"}},
		{"Anna.Schmidt©example . com", []string{"anna.schmidt@example.com"}},
		{"jdoe42®contoso.de 2 123 456", []string{"jdoe42@contoso.de"}},
		{"anna,meyer46 @contoso.com", []string{"anna_meyer46@contoso.com"}},
		{"-emma_,schmidt23@mail.example.org", []string{"emma_schmidt23@mail.example.org"}}, // underscore read twice
		{"emma „schmidt23@mail.example.org", []string{"emma_schmidt23@mail.example.org"}},
		{"emma,_schmidt23@mail.example.org", []string{"emma_schmidt23@mail.example.org"}},
		{"emma, schmidt23@mail.example.org", []string{"schmidt23@mail.example.org"}}, // a comma before a space ends a word
		{"li.chen(at)firma,eu", []string{"li.chen@firma.eu"}},
		{"abc-defg-hij omar_hassan12@contoso.com", []string{"omar_hassan12@contoso.com"}},
		{"pww-acrz-edo-osilva@contoso.com", []string{"osilva@contoso.com"}},
		{"yqi-egjv-yej_omeyer@firma.eu", []string{"omeyer@firma.eu"}},
		{"yqi-egjv-yej-_omeyer@firma.eu", []string{"omeyer@firma.eu"}},
		{"yqi-egjv-yej.omeyer@firma.eu", []string{"omeyer@firma.eu"}},
		{"mit-ahcfswe_annar700@acme-corp.de", []string{"annar700@acme-corp.de"}}, // a code's dash lost
		{"mitahcf-swe_annar700@acme-corp.de", []string{"annar700@acme-corp.de"}},
		{"mitahcfswe_annar700@acme-corp.de", []string{"mitahcfswe_annar700@acme-corp.de"}}, // no dash: a name
		{"tqj-cyvvz-ugs. lmeyer@mail.example.org", []string{"lmeyer@mail.example.org"}},    // a letter read twice, a speck as a dot
		{"tqj-cyvz-ugs. lmeyer@mail.example.org", []string{"lmeyer@mail.example.org"}},
		{"tqj-cyvz-ugs_lmeyer@mail.example.org", []string{"lmeyer@mail.example.org"}},
		{"tqj-cyvz-ugs lmeyer@mail.example.org", []string{"lmeyer@mail.example.org"}},
		{"tqj-cyvzab-ugs.lmeyer@x.org", []string{"tqj-cyvzab-ugs.lmeyer@x.org"}}, // too long for a code
		{"anna. lmeyer@x.org", []string{"anna.lmeyer@x.org"}},                    // no code: the dot joins
		{"ann_yqi.meyer@firma.eu", []string{"ann_yqi.meyer@firma.eu"}},
		{"omeyer@firma.eu--_yqi-egjv-yej_omeyer@firma.eu", []string{"omeyer@firma.eu", "omeyer@firma.eu"}},
		{"fi_fhin-arhp [patel@mail.example.org", []string{"lpatel@mail.example.org"}},
		{"see [1] jo@x.org", []string{"jo@x.org"}},
		{"x-pww-acrz-edo-osilva@contoso.com", []string{"x-pww-acrz-edo-osilva@contoso.com"}},
		{"jonas_patelS7@mail.example.org", []string{"jonas_patel57@mail.example.org"}},
		{"omarh3OS@firma.eu", []string{"omarh305@firma.eu"}},
		{"Sofia.Silva@example.com", []string{"sofia.silva@example.com"}},
		{"jonas_patelS/@mail.example.org", []string{"jonas_patel57@mail.example.org"}},
		{"see a/b and x@y.org", []string{"x@y.org"}},
		{"khassan@uni--bonn.de", []string{"khassan@uni-bonn.de"}},
		{"anna@xn--mnchen-3ya.de", []string{"anna@xn--mnchen-3ya.de"}},
		{"anna@xn--mn--chen.de", []string{"anna@xn--mn-chen.de"}},
		{"omarm679@mail.examp le.org", []string{"omarm679@mail.example.org"}},
		{"4--+-olgaj777@uni-bonn.de 3 675 405", []string{"olgaj777@uni-bonn.de"}},
		{"i._.2nna.hassan@mail.example.org", []string{"2nna.hassan@mail.example.org"}},
		{"emma__schmidt23@x.org", []string{"emma__schmidt23@x.org"}}, // a doubled separator stays
		{"ab._.c@x.org", []string{"ab._.c@x.org"}},                   // too little after the run
		{"anna@example.com see.de", []string{"anna@example.com"}},
		{"‘>. annah?70@contoso.com", []string{"annah270@contoso.com"}},
		{"is it 3? 70@x.org", []string{"70@x.org"}},
		{"keikor7$ 2@contoso.com", []string{"keikor752@contoso.com"}},
		{"pay $40 to jo@x.org", []string{"jo@x.org"}},
		{"emma_tanaka&6@example.com", []string{"emma_tanaka86@example.com"}},
		{"skeikon&49@mail.example.org", []string{"skeikon849@mail.example.org"}},
		{"R&D 4 & 5 jo@x.org", []string{"jo@x.org"}},
		{"jonas 12@x.org", []string{"12@x.org"}},
		{"meeting 2 318 ehassan@contoso.com", []string{"ehassan@contoso.com"}},
		{"keiko:meyer@uni-bonn.de", []string{"keiko.meyer@uni-bonn.de"}},
		{"time 10:30 jo@x.org", []string{"jo@x.org"}},
		{"quarterly revenue growth", nil},
		{"CONFIDENTIAL", nil},
	}
	for _, tc := range tests {
		if got := Emails(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Emails(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	has := func(ids []struct{ typ, val string }, typ, val string) bool {
		for _, id := range ids {
			if id.typ == typ && id.val == val {
				return true
			}
		}
		return false
	}
	tests := []struct {
		in       string
		overlay  bool
		typ, val string // "" = expect no identity
	}{
		{"anna.schmidt @ example.com", true, "email", "anna.schmidt@example.com"},
		{"jdoe42", true, "local_part", "jdoe42"},
		{"jdoe42", false, "", ""},
		{"' sofia_tanaka32", true, "local_part", "sofia_tanaka32"},
		{"| *__! jdoe42 ~", true, "local_part", "jdoe42"},
		{"peter_pa'ell5___peter_patel15", true, "local_part", "peter_patel15"}, // two tiles in a row
		{"emma__schmidt23", true, "local_part", "emma__schmidt23"},             // a doubled separator stays
		{"x timeline", true, "", ""},
		{"ab jdoe42", true, "", ""},
		{"Anna Schmidt", false, "name", "Anna Schmidt"},
		{"CONFIDENTIAL", true, "", ""},
		{"Mute Stop Video Participants Share Screen", false, "", ""},
	}
	for _, tc := range tests {
		got := Classify(tc.in, tc.overlay)
		var ids []struct{ typ, val string }
		for _, id := range got {
			ids = append(ids, struct{ typ, val string }{id.Type, id.Value})
		}
		if tc.typ == "" {
			if len(got) != 0 {
				t.Errorf("Classify(%q, %v) = %v, want none", tc.in, tc.overlay, got)
			}
			continue
		}
		if !has(ids, tc.typ, tc.val) {
			t.Errorf("Classify(%q, %v) = %v, want %s %q", tc.in, tc.overlay, got, tc.typ, tc.val)
		}
	}
}

// TestClassifyOnce: an address read with remnants before a run of
// separators is one identity, without them, by either of the two finders.
func TestClassifyOnce(t *testing.T) {
	t.Parallel()
	got := Classify("i._.2nna.hassan@mail.example.org", true)
	if len(got) != 1 || got[0].Value != "2nna.hassan@mail.example.org" {
		t.Errorf("Classify = %v, want the one email 2nna.hassan@mail.example.org", got)
	}
}

func TestIsStamp(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{"' CONFIDENTIAL.": true, "Internal use only": true,
		"anna@example.com": false, "Anna Schmidt": false} {
		if got := IsStamp(in); got != want {
			t.Errorf("IsStamp(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestIsStampPartial(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{"3 TIAL Dy Re i": true, "CONFIDEN": true, "Yarw": false,
		"ENFIAL": true, "CONFDNTAL": true, "RESTRCTED": true, "anna.schmidt@example.com": false, "omar_hassan12@contoso.com": false,
		"peter.novak": false, "Li Chen": false, "xCONFIDENx": true,
		"ceo rlassidtAmnitLayvarm nla Eiaaes": false} {
		if got := IsStamp(in); got != want {
			t.Errorf("IsStamp(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestLooksLikeStamp(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{"AIDET-He": true, "ENFIAL": true, "CONFIDENTIAL": true,
		"qe +>. 4 ——e— FO. ee -mMpatel@ u:": false, "jonasp510@acr": false, "it331": false,
		"SEL Dikige@ocnidsiicnm DERBRRasadICOHANQY": false, "| es | Se |": false,
		"PSN IM ET NP EY Sa BA Se a Bae Sn Ro eee": false,
		// A stamp read in part is most of its reading, or capitals.
		"a RESTS AL": true, "| CON FIDENTIAL|": true, "CONETAENTTAI RINE IN PAA": true,
		// A whole stamp word among noise is a stamp.
		"ii it i CONFIDENTIAL. Wonrtecina mine rannA nmrninoer taraiAMNmiit": true,
		// Faint marks read as remnants, a token of each within one edit
		// of a part of a stamp word ("inate", "ERDAL") among many more
		// letters (107032, 109036): watermarks not read.
		"inate ee ae ACOH LOSO_COM -": false, "n à mjs n I OOTAN TN a $ a Sea , to Jepen ERDAL tmn.": false} {
		if got := LooksLikeStamp(in); got != want {
			t.Errorf("LooksLikeStamp(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRepeatedHandle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		texts []string
		want  string
		n     int
	}{
		{"tiles between remnants", []string{"~ ,ochen—==ochen—;— ochen", "jochen | ocljen--", "== ‘ochen— 1en——"}, "ochen", 2},
		{"once per reading", []string{"ochen ochen ochen"}, "ochen", 1},
		{"stamp words are no handles", []string{"CONFIDENTIAL", "confidential draft"}, "", 0},
		{"short words are no handles", []string{"abc abc", "abc"}, "", 0},
		{"nothing", nil, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, n := RepeatedHandle(tc.texts)
			if got != tc.want || n != tc.n {
				t.Errorf("RepeatedHandle(%q) = %q, %d; want %q, %d", tc.texts, got, n, tc.want, tc.n)
			}
		})
	}
}

func TestHandleAmongRemnants(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"J Ft enovak; —", "enovak"},
		{"+/— - | —4 -enovak; —", "enovak"},
		{"sofia_tanaka32", "sofia_tanaka32"},
		{"team enovak", ""},       // another word: not remnants only
		{"Ft ochen", ""},          // five letters, no digit or separator: a word
		{"~ CONFIDENTIAL ~", ""},  // a stamp
		{"jdoe@example.org", ""},  // an address is not a lone handle
		{"~ ~ es ae a yt? |", ""}, // remnants only
	}
	for _, tc := range tests {
		if got := HandleAmongRemnants(tc.in); got != tc.want {
			t.Errorf("HandleAmongRemnants(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestAddressChecks covers the checks of what an address read can be,
// made on the merged reading against all readings.
func TestAddressChecks(t *testing.T) {
	knownDomain, majorityHead := check{"KnownDomain", KnownDomain}, check{"MajorityHead", MajorityHead}
	cutHead, foreignHead := check{"CutHead", CutHead}, check{"ForeignHead", ForeignHead}
	complete := check{"CompleteAddress", CompleteAddress}
	tests := []struct {
		check    check
		name     string
		email    string
		readings []Line
		want     string
		ok       bool
	}{
		{knownDomain, "most readings end in a real domain", "rjensen@mail.example.oly",
			linesOf("rjensen@mail.example.org", "rjensen@mail.example.Oly", "rjensen@mail.example.ory", "rjensen @mail.example.org"),
			"rjensen@mail.example.org", true},
		{knownDomain, "the real ending is read in the minority", "mariac229@acme-corp.ce",
			linesOf("mariac229@acme-corp.ce", "mariac229@acme-corp.ce", "mariac229@acme-corp. de"),
			"mariac229@acme-corp.de", true},
		{knownDomain, "a real ending is kept", "anna@firma.eu",
			linesOf("anna@firma.de", "anna@firma.de"), "anna@firma.eu", false},
		{knownDomain, "no reading has a real ending", "jdoe@corp.intranet",
			linesOf("jdoe@corp.intranet", "jdoe@corp.intranat"), "jdoe@corp.intranet", false},
		{knownDomain, "a tile cut by the frame edge", "sofia_jensen92@mail.exa",
			linesOf("sofia_jensen92@mail.exa", "a_jensen92@mail.example.org"),
			"sofia_jensen92@mail.example.org", true},
		{knownDomain, "a real ending far from the address", "anna@firma.oly",
			linesOf("anna@uni-bonn.de"), "anna@firma.oly", false},
		{knownDomain, "no address", "jdoe42", linesOf("jdoe@x.org"), "jdoe42", false},
		{knownDomain, "a domain no reading holds", "anna.chen@uni-boinn.de",
			linesOf("anna.chen@uni-—-boiin.de", "atna.chen@uni—-beii:.de", "anna.chen@uni-bonn.de",
				"anna.chen@uni-bonn.de", "nna.chen@uni-bcin:. de", "anna.chen@uni-bonn.de"),
			"anna.chen@uni-bonn.de", true},
		{knownDomain, "two domains read as often are no majority", "anna.chen@uni-boinn.de",
			linesOf("anna.chen@uni-boiin.de", "anna.chen@uni-boiin.de", "anna.chen@uni-bonn.de", "anna.chen@uni-bonn.de"),
			"anna.chen@uni-boinn.de", false},
		{knownDomain, "a domain some reading holds is kept", "spatel@acmie-corp.de",
			linesOf("spatel@acmie-corp.de", "spatel@acnie-corp.de", "spatel@acnie-corp.de"),
			"spatel@acmie-corp.de", false},
		{knownDomain, "one reading of another domain is no majority", "anna@uni-boinn.de",
			linesOf("anna@uni-bonn.de", "anna@uni-boiin.de"), "anna@uni-boinn.de", false},
		{knownDomain, "an ending one misread glyph from a common one", "ktanaka@example.con",
			linesOf("ktanaka@example.con,", "ktanaka@example.con."), "ktanaka@example.com", true},
		{knownDomain, "an ending no confusion makes a common one", "anna@firma.ee",
			linesOf("anna@firma.ee"), "anna@firma.ee", false},
		{knownDomain, "a real ending close to a common one is kept", "anna@firma.ci",
			linesOf("anna@firma.ci"), "anna@firma.ci", false},
		{majorityHead, "a crop's looks repeat a misread head", "2jkoc606@acme-corp.de",
			linesOf("keikoc606@acme-corp.a", "keikoc606@acme-corp.a", "keikoc606@acme—corp.a.",
				"2ikoc606@acme-corp.de", "2jkoc606@ acme-corp.de", "2jkoc606@acme-—corp.de"),
			"keikoc606@acme-corp.de", true},
		{majorityHead, "a head read as a digit votes half", "2nna.hassan@mail.example.org",
			linesOf("i___ _.anna.hassan@mail.example.org", "1___ _.2nna.hassan@mail.example.org",
				"—anna.hassan@mail.example.org", "_2nna.hassan@mail.example.org", "—2nna.hassan@mail.example.org"),
			"anna.hassan@mail.example.org", true},
		{majorityHead, "a digit head most readings agree on is kept", "2nna@x.org",
			linesOf("2nna@x.org", "2nna@x.org", "2nna@x.org", "anna@x.org"), "2nna@x.org", false},
		{majorityHead, "copies cut at the head are no vote against the whole", "spatel@x.org",
			linesOf("spatel@x.org", "patel@x.org", "patel@x.org", "tel@x.org"), "spatel@x.org", false},
		{majorityHead, "a copy cut at the head with a misread letter", "raj_meyer89@firma.eu",
			linesOf("raj_meyer89@firma.eu", "ay_meyer89@firma.eu", "ay_meyer89@firma.eu"), "raj_meyer89@firma.eu", false},
		{majorityHead, "a difference past the head is left to the letter vote", "anna.hassen@x.org",
			linesOf("anna.hassan@x.org", "anna.hassan@x.org", "anna.hassen@x.org"), "anna.hassen@x.org", false},
		{majorityHead, "the local part is close only at its end", "jo@x.org",
			linesOf("li@x.org", "li@x.org"), "jo@x.org", false},
		{majorityHead, "a head read as a word of its own votes for itself", "li_jensen59@x.org",
			linesOf("Lli_jensen59@x.org", "Lli_jensen59@x.org", "li_jensen59@x.org", "li _jensen59@x.org",
				"Li _jensen59@x.org", "lLi_jensen59@x.org", "_jensen59@x.org", "_jensen59@x.org"),
			"li_jensen59@x.org", false},
		{majorityHead, "no address", "jdoe42", linesOf("jdoe@x.org"), "jdoe42", false},
		{cutHead, "another copy holds the head", "a_patel83@acme-corp.de",
			append(linesFrom(0, "“a_patel83@acme-corp.de", "~a_patel83@acme-corp.de", "a_pateL83@acme-corp.de"),
				linesFrom(1, "/ emma_natel83@acme- corp..", "amma_natel83@acme- corp..", "“. emma_natel83@acme- corp..",
					"<. emma- natel83@acme“ corp..", "~. emma_natel83@acme“ corp..", "⁄ s emma- natel83@acmeś corp..")...),
			"emma_patel83@acme-corp.de", true},
		{cutHead, "a head one look reads is content", "annar700@x.org",
			append(linesFrom(0, "annar700@x.org", "annar700@x.org"), linesFrom(1, "annar700@x.org", "ahannar700@x.org", "annar700@x.org")...),
			"annar700@x.org", false},
		{cutHead, "one letter before the address is a remnant", "keikon840@x.org",
			linesFrom(1, "skeikon840@x.org", "skeikon840@x.org", "skeikon840@x.org"), "keikon840@x.org", false},
		{cutHead, "a head with a separator or digit is no name's", "annar700@x.org",
			linesFrom(1, "mit-ahcfswe_annar700@x.org", "we_annar700@x.org", "we_annar700@x.org", "e2annar700@x.org", "e2annar700@x.org"),
			"annar700@x.org", false},
		{cutHead, "the copy differs in more than one letter", "a_patel83@x.org",
			linesFrom(1, "emma_natal83@x.org", "emma_natal83@x.org"), "a_patel83@x.org", false},
		{foreignHead, "no own reading holds the head", "wo.emma.patel@firma.eu",
			linesOf("emma.patel@firma.eu", "emma.patel @firma.eu", "emma.patel@firma.eu", "emma.patel@firma.eu", "", "emma.patel@firma.eu"),
			"emma.patel@firma.eu", true},
		{foreignHead, "a head read as a word of its own", "jonas.novak@x.org",
			linesOf("jonas novak@x.org", "jonas novak@x.org", "novak@x.org"), "jonas.novak@x.org", false},
		{foreignHead, "one own reading holds the head", "ter.hassan@x.de",
			linesOf("hassan@x.de", "hassan@x.de", "ter.hassan@x.de"), "ter.hassan@x.de", false},
		{foreignHead, "half the readings are no majority", "wo.emma@x.eu",
			linesOf("emma@x.eu", "mma ro x"), "wo.emma@x.eu", false},
		{foreignHead, "a head without a separator", "sanna@x.org",
			linesOf("anna@x.org", "anna@x.org"), "sanna@x.org", false},
		{foreignHead, "no address", "jdoe42", linesOf("jdoe@x.org"), "jdoe42", false},
		{complete, "a domain that lost its dot", "ste 2s mariac304@uni-bonnde",
			linesOf("atste 2 mariac304@uni-bonnide", "mariac304@uni-boninde", "tgi e mariag304@uni-bonn.de", "mariac304@uni-bonmde"),
			"ste 2s mariac304@uni-bonn.de", true},
		{complete, "cut copies settle a tie of whole domains", "xnu-vwsy-khq emmac877@uni-bon",
			linesOf("emmac877@uni-bdnn.de", "emmac877@uni-bonn.de", "emmac877@uni-bon.", "emmac877@uni-bon.", "emmac877@uni-bon.", "mac877@uni-b"),
			"xnu-vwsy-khq emmac877@uni-bonn.de", true},
		{complete, "a whole address is left alone", "anna@firma.eu", linesOf("anna@firma.de"), "anna@firma.eu", false},
		{complete, "no reading holds a whole domain", "egarcia@firi7-eu",
			linesOf("egarcia@firi7-eu", "egarcia@fii4-eu"), "egarcia@firi7-eu", false},
		{complete, "a piece too short to match", "jonasm750@con o",
			linesOf("jonasm750@contoso.com"), "jonasm750@con o", false},
		{complete, "whole domains far from the piece", "anna@uni-bo",
			linesOf("anna@firma.eu", "anna@firma.eu"), "anna@uni-bo", false},
		{complete, "no address", "jdoe42 meyer", linesOf("jdoe@x.org"), "jdoe42 meyer", false},
	}
	for _, tt := range tests {
		t.Run(tt.check.name+"/"+tt.name, func(t *testing.T) {
			got, ok := tt.check.fn(tt.email, tt.readings)
			if got != tt.want || ok != tt.ok {
				t.Errorf("%s(%q) = %q, %v; want %q, %v", tt.check.name, tt.email, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// check is a named address check.
type check struct {
	name string
	fn   func(email string, readings []Line) (string, bool)
}

// linesOf is readings with the given texts.
func linesOf(texts ...string) []Line {
	var ls []Line
	for _, s := range texts {
		ls = append(ls, Line{Text: s})
	}
	return ls
}

// linesFrom is readings with the given texts, all of image src.
func linesFrom(src int, texts ...string) []Line {
	ls := linesOf(texts...)
	for i := range ls {
		ls[i].Src = src
	}
	return ls
}
