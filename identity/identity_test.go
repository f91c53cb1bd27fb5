package identity

import (
	"reflect"
	"strings"
	"testing"

	"tracescan/report"
)

func id(typ, v string) report.Identity { return report.Identity{Type: typ, Value: v} }

func TestFind(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []report.Identity
	}{
		{"email", "shared by jane.doe@example.com today", []report.Identity{id("email", "jane.doe@example.com")}},
		{"email OCR spaces", "anna.schmidt @example.org", []report.Identity{id("email", "anna.schmidt@example.org")}},
		{"email dedup case", "a.b@x.io, A.B@X.IO", []report.Identity{id("email", "a.b@x.io")}},
		{"phone intl", "call +49 30 1234567 now", []report.Identity{id("phone", "+49 30 1234567")}},
		{"phone intl before time", "+49 30 1234567 10:02", []report.Identity{id("phone", "+49 30 1234567")}},
		{"phone us paren", "(555) 123-4567", []report.Identity{id("phone", "(555) 123-4567")}},
		{"phone us dashes", "555-123-4567", []report.Identity{id("phone", "555-123-4567")}},
		{"phone de mobile", "Handy 0151 23456789", []report.Identity{id("phone", "0151 23456789")}},
		{"phone de landline slash", "030/1234567", []report.Identity{id("phone", "030/1234567")}},
		{"phone context", "Tel: 015123456789", []report.Identity{id("phone", "015123456789")}},
		{"meet code", "https://meet.google.com/abc-defg-hij", []report.Identity{id("meeting_code", "abc-defg-hij")}},
		{"meet code in name", "abc-defg-hij (2024-05-01 at 10_02 GMT-7)", []report.Identity{id("meeting_code", "abc-defg-hij")}},
		{"zoom id context", "Meeting ID: 812 3456 7890", []report.Identity{id("meeting_number", "812 3456 7890")}},
		{"zoom id bare 11", "join 812 3456 7890", []report.Identity{id("meeting_number", "812 3456 7890")}},
		{"zoom url", "https://us02web.zoom.us/j/81234567890?pwd=x", []report.Identity{id("meeting_number", "81234567890")}},
		{"webex number", "Meeting number: 2634 123 4567", []report.Identity{id("meeting_number", "2634 123 4567")}},
		{"name", "Recorded by Anna Schmidt", []report.Identity{id("name", "Anna Schmidt")}},
		{"name possessive", "2024-05-01 10.02.33 Anna Schmidt's Zoom Meeting", []report.Identity{id("name", "Anna Schmidt")}},
		{"name camel", "audioAnnaSchmidt31415926.m4a", []report.Identity{id("name", "Anna Schmidt")}},
		{"name camel bare", "AnnaSchmidt", []report.Identity{id("name", "Anna Schmidt")}},
		{"name underscore", "Anna_Schmidt_notes", []report.Identity{id("name", "Anna Schmidt")}},
		{"name particle", "Pieter van der Berg joined", []report.Identity{id("name", "Pieter van der Berg")}},
		{"name three", "Anna Maria Schmidt", []report.Identity{id("name", "Anna Maria Schmidt")}},
		{"name unicode", "Jörg Müller", []report.Identity{id("name", "Jörg Müller")}},
		{"name hyphen", "Sarah Meyer-Lansky", []report.Identity{id("name", "Sarah Meyer-Lansky")}},
		{"zoom chat line", "10:02:33 From Anna Schmidt to Everyone: hi", []report.Identity{id("name", "Anna Schmidt")}},
		{"vtt voice", "<v Jane Doe>hello", []report.Identity{id("name", "Jane Doe")}},
		{"mixed order", "Anna Schmidt <anna@example.com> +49 30 1234567",
			[]report.Identity{id("name", "Anna Schmidt"), id("email", "anna@example.com"), id("phone", "+49 30 1234567")}},
		{"name dedup", "Anna Schmidt, AnnaSchmidt, Anna  Schmidt", []report.Identity{id("name", "Anna Schmidt")}},

		// Hard negatives.
		{"timestamp", "10:02:33", nil},
		{"srt timing", "00:00:05,000 --> 00:00:07,500", nil},
		{"resolution", "1920x1080", nil},
		{"bitrate", "128 kb/s, 44100 Hz, 30 fps", nil},
		{"iso date", "2024-05-01", nil},
		{"local date", "01.05.2024 and 01/05/2024", nil},
		{"version", "v4.6.0 Lavf59.27.100", nil},
		{"uuid", "3f2504e0-4f89-11d3-9a0c-0305e82c3301", nil},
		{"uuid digits", "01234567-0123-4567-8901-012345678901", nil},
		{"hex id", "deadbeef01234567 0x1f2e3d4c", nil},
		{"zoom cloud name", "GMT20240501-100233_Recording_avo_1920x1080.mp4", nil},
		{"teams name", "Meeting in _General_-20240501_100233-Meeting Recording.mp4", nil},
		{"sharing chapter", "Sharing Started", nil},
		{"unix time", "1714557753", nil},
		{"duration", "Duration: 01:02:03.45", nil},
		{"ip", "192.168.100.200", nil},
		{"not a name", "Emma Meeting Notes", nil},
		{"lowercase name", "anna schmidt", nil},
		{"slug", "how-does-this-work", nil},
		{"camel non-name", "JavaScript McDonald", nil},
		{"first name only", "Anna", nil},
		{"short number", "0151 234", nil},
		{"date and time", "2024-05-01 10.02.33", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Find(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Find(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ v, typ, want string }{
		{"jane.doe@example.com", "email", "j***@e******.com"},
		{"a@mail.example.co.uk", "email", "a***@m***.e******.c*.uk"},
		{"Anna Schmidt", "name", "A*** S******"},
		{"Jörg Müller", "name", "J*** M*****"},
		{"+49 30 1234567", "phone", "+** ** *****67"},
		{"(555) 123-4567", "phone", "(***) ***-**67"},
		{"812 3456 7890", "meeting_number", "*** **** **90"},
		{"abc-defg-hij", "meeting_code", "a**-d***-h**"},
		{"jane.doe", "local_part", "j***"},
		{"+52.5200+013.4050/", "location", "+**.****+***.****/"},
	}
	for _, tt := range tests {
		if got := Mask(tt.v, tt.typ); got != tt.want {
			t.Errorf("Mask(%q, %q) = %q, want %q", tt.v, tt.typ, got, tt.want)
		}
	}
}

func TestMaskAllAndRedact(t *testing.T) {
	ids := []report.Identity{id("name", "Anna Schmidt"), id("email", "anna.s@example.com")}
	in := "audioAnnaSchmidt31415926.m4a by Anna Schmidt (ANNA.S@EXAMPLE.COM), anna.s@"
	got := MaskAll(in, ids)
	for _, leak := range []string{"Anna", "Schmidt", "example", "anna.s", "ANNA"} {
		if strings.Contains(got, leak) {
			t.Errorf("MaskAll left %q in %q", leak, got)
		}
	}
	r := Redact("From Anna Schmidt to Everyone: call me at +49 30 1234567 or anna@example.com, AnnaSchmidt")
	for _, leak := range []string{"Anna", "Schmidt", "1234567", "example"} {
		if strings.Contains(r, leak) {
			t.Errorf("Redact left %q in %q", leak, r)
		}
	}
	if !strings.Contains(r, "Everyone") || !strings.Contains(r, "67") {
		t.Errorf("Redact removed too much: %q", r)
	}
	if s := "Sharing Started at 10:02:33, 1920x1080"; Redact(s) != s {
		t.Errorf("Redact changed a string without identities: %q", Redact(s))
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"\x1b[31mred\x1b[0m", "red"},
		{"title\x1b]0;pwned\x07 ok", "title ok"},
		{"a\nb\tc\x00d", "a b cd"},
		{"bidi \u202eevil", "bidi evil"},
		{"  padded  ", "padded"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := CleanOpt("a\nb\x1b[2J", true, 0); got != "a\nb" {
		t.Errorf("CleanOpt keep newlines = %q", got)
	}
	long := strings.Repeat("é", 10000)
	got := Clean(long)
	if len(got) > MaxCleanLen || !strings.HasSuffix(got, "…") {
		t.Errorf("Clean(long) len %d, suffix %q", len(got), got[len(got)-5:])
	}
	if !strings.HasPrefix(got, "éé") || strings.ContainsRune(got, '\uFFFD') {
		t.Error("Clean(long) cut inside a rune")
	}
}

func FuzzFind(f *testing.F) {
	f.Add("From Anna Schmidt to Everyone: +49 30 1234567 anna@example.com abc-defg-hij")
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range FindMatches(s) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End {
				t.Fatalf("bad span %+v", m)
			}
		}
		_ = Redact(s)
	})
}

func TestFindPlaceNamesAreNotPeople(t *testing.T) {
	for _, s := range []string{"Victoria Station", "Madison Square Garden", "Austin Office", "Jan Sales Review", "Emma Hotel"} {
		if got := Find(s); len(got) != 0 {
			t.Errorf("Find(%q) = %v, want nothing", s, got)
		}
	}
}

func TestFindMatchesSpans(t *testing.T) {
	text := "first line\n10:02:33 From Anna Schmidt to Everyone:\n\tmail anna@example.com or +49 30 1234567\n"
	ms := FindMatches(text)
	if len(ms) != 3 {
		t.Fatalf("got %d matches: %+v", len(ms), ms)
	}
	for _, m := range ms {
		if got := text[m.Start:m.End]; got != m.Value {
			t.Errorf("span %d-%d = %q, value %q", m.Start, m.End, got, m.Value)
		}
	}
}

func TestKnownTLD(t *testing.T) {
	tests := []struct {
		tld  string
		want bool
	}{
		{"org", true},
		{"de", true},
		{"EU", true},
		{"ls", true}, // Lesotho: short endings are real too
		{"oly", false},
		{"ce", false},
		{"0rg", false},
		{"co.uk", false}, // a suffix, not a top-level domain
		{"", false},
	}
	for _, tt := range tests {
		if got := KnownTLD(tt.tld); got != tt.want {
			t.Errorf("KnownTLD(%q) = %v, want %v", tt.tld, got, tt.want)
		}
	}
}
