package screenshare

import (
	"fmt"
	"math/rand"
	"regexp"
	"strings"
)

var (
	firstNames = []string{"anna", "jonas", "maria", "li", "omar", "sofia", "peter", "keiko", "lucas", "emma", "raj", "olga"}
	lastNames  = []string{"schmidt", "meyer", "garcia", "chen", "hassan", "rossi", "novak", "tanaka", "silva", "jensen", "patel", "ivanova"}
	domains    = []string{"example.com", "contoso.com", "acme-corp.de", "mail.example.org", "firma.eu", "uni-bonn.de"}
)

// RandomEmail returns a plausible work email.
func RandomEmail(r *rand.Rand) string {
	f, l := firstNames[r.Intn(len(firstNames))], lastNames[r.Intn(len(lastNames))]
	var local string
	switch r.Intn(4) {
	case 0:
		local = f + "." + l
	case 1:
		local = f[:1] + l
	case 2:
		local = f + "_" + l + fmt.Sprint(r.Intn(90)+10)
	default:
		local = f + l[:1] + fmt.Sprint(r.Intn(900)+100)
	}
	return local + "@" + domains[r.Intn(len(domains))]
}

// RandomOverlayText returns watermark text in the style of one of the
// meeting platforms: the full email (Teams, Zoom enhanced), the local part
// (Zoom), email plus meeting number (Webex), Meet code plus email.
func RandomOverlayText(r *rand.Rand) string {
	email := RandomEmail(r)
	switch r.Intn(8) {
	case 0:
		local, _, _ := strings.Cut(email, "@")
		return local
	case 1:
		return fmt.Sprintf("%s %d %03d %03d", email, 2+r.Intn(7), r.Intn(1000), r.Intn(1000))
	case 2:
		const abc = "abcdefghijkmnopqrstuvwxyz"
		code := func(n int) string {
			b := make([]byte, n)
			for i := range b {
				b[i] = abc[r.Intn(len(abc))]
			}
			return string(b)
		}
		return code(3) + "-" + code(4) + "-" + code(3) + " " + email
	default:
		return email
	}
}

var emailRe = regexp.MustCompile(`[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}`)

// primaryIdentity is the identity a reader must recover from overlay text:
// the email when there is one, else the text itself (a local part).
func primaryIdentity(text string) string {
	if m := emailRe.FindString(strings.ToLower(text)); m != "" {
		return m
	}
	return strings.TrimSpace(text)
}

// Categories of the evaluation set.
const (
	CatPositive     = "positive"
	CatNegative     = "negative"
	CatHardNegative = "hard_negative"
)

// EvalOpacities are the opacity buckets positives are drawn from, cycled by
// seed so that every bucket is equally represented.
var EvalOpacities = []float64{0.05, 0.08, 0.12, 0.18, 0.25, 0.3}

// EvalSpec maps a seed to a video of the evaluation set. Seeds cycle through
// categories (3 positives, then a negative, then a hard negative, ...), so a
// seed list 1..N is a fixed, balanced set. Everything else is drawn from the
// seed.
func EvalSpec(seed int64) (Spec, string) {
	r := rand.New(rand.NewSource(seed * 7919))
	spec := Spec{Duration: 20 + float64(r.Intn(3))*5, SceneS: 2.5 + r.Float64()*2}
	spec.Name = fmt.Sprintf("eval-%03d", seed)
	switch r.Intn(6) {
	case 0: // downscaled
		spec.Width, spec.Height, spec.BitrateKbps = 854, 480, 600
	case 1: // low bitrate
		spec.Width, spec.Height, spec.BitrateKbps = 1280, 720, 500
	default:
		spec.Width, spec.Height, spec.BitrateKbps = 1280, 720, 1200
	}
	spec.KeyintS = float64(2 + r.Intn(3))
	// Static UI appears in every category so that it never marks positives.
	if r.Intn(3) == 0 {
		spec.Statics = append(spec.Statics, Static{Kind: StaticToolbar})
	}
	var cat string
	switch seed % 5 {
	case 1, 2, 3:
		cat = CatPositive
	case 4:
		cat = CatNegative
	default:
		cat = CatHardNegative
	}
	switch cat {
	case CatPositive:
		idx := (seed / 5 * 3) + seed%5 - 1
		o := &Overlay{
			Text:    RandomOverlayText(r),
			Opacity: EvalOpacities[int(idx)%len(EvalOpacities)],
			// Platform marks are grey so that they show on any content; a
			// near-white one is the hard case (invisible on white pages).
			Gray: []uint8{240, 200, 160, 128, 96}[r.Intn(5)],
			Font: Fonts[r.Intn(len(Fonts))],
		}
		scale := float64(spec.Height) / 720
		switch r.Intn(3) {
		case 0:
			o.Layout, o.SizePx = LayoutSingle, (36+float64(r.Intn(20)))*scale
		case 1:
			o.Layout, o.SizePx = LayoutTiled, (24+float64(r.Intn(10)))*scale
		default:
			o.Layout, o.SizePx = LayoutDiagonal, (34+float64(r.Intn(16)))*scale
			o.AngleDeg = 20 + float64(r.Intn(26))
		}
		// Present for part of the video in a third of the cases (a screen
		// share that starts late or stops early).
		if r.Intn(3) == 0 {
			if r.Intn(2) == 0 {
				o.Start = float64(int(spec.Duration * 0.3))
			} else {
				o.End = float64(int(spec.Duration * 0.7))
			}
		}
		spec.Overlay = o
	case CatHardNegative:
		kinds := []Static{
			{Kind: StaticLogo}, {Kind: StaticClock},
			{Kind: StaticNameLabel, Text: "Anna Schmidt"},
			{Kind: StaticStamp, Text: "CONFIDENTIAL", Opacity: 1},
			{Kind: StaticStamp, Text: "CONFIDENTIAL", Opacity: 0.2},
		}
		k := r.Perm(len(kinds))
		spec.Statics = append(spec.Statics, kinds[k[0]])
		if r.Intn(2) == 0 && kinds[k[1]].Kind != kinds[k[0]].Kind {
			spec.Statics = append(spec.Statics, kinds[k[1]])
		}
	}
	return spec, cat
}
