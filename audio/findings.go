package audio

import (
	"fmt"
	"math"
	"sort"

	"tracescan/report"
)

// Decision thresholds. The p-value thresholds come from the null models;
// the estimated false-positive rates are what cmd/evalaudio measured on
// clean material at these thresholds (see README.md in this package).
const (
	spreadAlpha  = 1e-3 // Bonferroni p-value for any spread-spectrum finding
	spreadStrong = 1e-8 // ... for medium severity
	patchAlpha   = 1e-5 // its null is less exact (codecs, reverb reach 1e-3..3e-5)
	patchStrong  = 1e-8
	minSpread    = 0.5  // repeat must be spread over the recording
	maxContent   = 0.2  // raw content correlation above this is a loop
	minContent   = 0.03 // ... and above this unless the whitened repeat is far stronger
	echoSwitchZ  = -10  // anti-correlation of two echo delays (echo hiding)
	beaconMin    = 0.2  // share of frames with an ultrasonic tone
)

// Measured false-positive rates: cmd/evalaudio found no finding of any
// kind on 64 clean and hard-negative 2-minute clips (44 used to set the
// thresholds, 20 held out); 3/64 is the 95 % upper bound (rule of three).
// Reported with each finding as the estimated rate per 2-minute clip.
const (
	nCalib    = 64
	fprSpread = 3.0 / nCalib
	fprPatch  = 3.0 / nCalib
	fprEcho   = 3.0 / nCalib
	fprBeacon = 3.0 / nCalib
)

const adviceMark = "Marks like this survive re-encoding, resampling, speed changes and re-recording through " +
	"a speaker and microphone, and cannot be removed reliably without destroying the audio. Do not publish " +
	"this audio: publish a transcript, or an excerpt re-voiced by someone else (or by text-to-speech)."

// Findings turns measurements into report findings.
func (r *Result) Findings(opt Options) []report.Finding {
	var out []report.Finding
	dur := r.DurationS
	if dur < opt.minDur() {
		out = append(out, report.Finding{Kind: report.KindInconclusive, Severity: report.Info, Detector: "audio",
			Title: fmt.Sprintf("Audio too short for watermark tests (%.0f s)", dur),
			Text: "Known personal audio marks need about 2 minutes of audio to be identified (Webex: more " +
				"than 100 s). Repeats in a clip this short may go unseen." + shortNote(r.BeaconOnly),
			TimeStart: report.Ptr(0.0), TimeEnd: report.Ptr(dur),
			Advice: "Treat the result as inconclusive; the same caution applies to any longer copy of this audio."})
	}
	found := false
	for _, s := range r.bestSpread() {
		out = append(out, r.spreadFinding(s, opt))
		found = true
	}
	for _, p := range r.bestPatch() {
		out = append(out, r.patchFinding(p, opt))
		found = true
	}
	if f, ok := r.echoFinding(opt); ok {
		out = append(out, f)
		found = true
	}
	if f, ok := r.beaconFinding(opt); ok {
		out = append(out, f)
		found = true
	}
	if !found {
		out = append(out, r.absenceNote())
	}
	return out
}

// SpreadDetected reports whether a spread-spectrum finding passes the
// default threshold (used by the evaluation too).
func (s SpreadScore) Detected() bool {
	// Every harmonic in range must stand out on its own: a payload
	// repeats for the whole recording, codec frame patterns and repeated
	// words at one lag do not.
	// The period itself must be about as strong as its multiples (it has
	// the most overlap); a far stronger multiple means the repeat is at
	// that multiple, and the period is a coincidence.
	// With 2P and 3P in range, both must stand out (z^2 >= 5, p ~ 0.007
	// each under the null) and one clearly (z^2 >= 9): |R|^2 of a real
	// repeat near the threshold scatters like an exponential, so asking
	// 9 of each missed marks whose sum was far beyond the threshold.
	var harm bool
	if s.Harm[2] == 0 {
		harm = s.Harm[1] >= 9
	} else {
		harm = math.Min(s.Harm[1], s.Harm[2]) >= 5 && math.Max(s.Harm[1], s.Harm[2]) >= 9
	}
	harm = harm && s.Harm[0] >= 0.4*math.Max(s.Harm[1], s.Harm[2])
	return s.PAdj <= spreadAlpha && harm && !s.ContentRepeat() &&
		(s.Blocks < 3 || s.Spread >= minSpread)
}

// ContentRepeat tells a loud repeat (loop, sampled drums, replayed jingle)
// from a hidden one: a mark is a small share of the raw audio but a large
// share after whitening; repeated content is as strong raw as whitened.
func (s SpreadScore) ContentRepeat() bool {
	return s.Content >= maxContent || (s.Content >= minContent && s.Content >= 0.5*s.Corr)
}

func (r *Result) bestSpread() []SpreadScore {
	best := map[string]SpreadScore{}
	for _, s := range r.Spread {
		if !s.Detected() {
			continue
		}
		if b, ok := best[s.Channel]; !ok || s.Stat > b.Stat {
			best[s.Channel] = s
		}
	}
	return sortedByChannel(best)
}

func sortedByChannel[T any](m map[string]T) []T {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]T, 0, len(keys))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}

func (r *Result) spreadFinding(s SpreadScore, opt Options) report.Finding {
	sev := report.Low
	if s.PAdj <= spreadStrong {
		sev = report.Medium
	}
	f := report.Finding{
		Kind: report.KindAudioWatermark, Severity: sev, Detector: "audio", Method: "spread_spectrum_autocorrelation",
		Score: -math.Log10(s.PAdj), ScoreMeaning: "-log10 of the Bonferroni-corrected p-value that whitened audio " +
			"without a repeated mark shows peaks this strong at a period and its multiples",
		PValue: report.Ptr(s.PAdj), FalsePositiveRate: report.Ptr(fprSpread),
		Title: fmt.Sprintf("Repeated hidden signal every %.3f s in %s (%s channel)", s.PeriodS, s.Band.Name, s.Channel),
		Text: fmt.Sprintf("After spectral flattening the %s band repeats itself every %.3f s "+
			"(peak strengths %.0f, %.0f, %.0f at 1x, 2x, 3x the period; noise level 1), spread over the whole "+
			"recording (evenness %.2f over %d blocks), while the audible content does not repeat (raw "+
			"correlation %.2f). The repeated part carries about %.1f dB of the flattened band power. This is "+
			"what an additive spread-spectrum watermark with a repeated payload looks like.",
			s.Band.Name, s.PeriodS, s.Harm[0], s.Harm[1], s.Harm[2], s.Spread, s.Blocks, s.Content, db(s.Corr)),
		TimeStart: report.Ptr(0.0), TimeEnd: report.Ptr(r.DurationS),
		BandHz:  &report.Band{Low: s.Band.Lo, High: s.Band.Hi},
		PeriodS: report.Ptr(s.PeriodS), Channel: s.Channel, Advice: adviceMark,
	}
	if !opt.NoImages {
		f.Images = r.images(s.Channel, s.Band.Lo, s.Band.Hi, "Spectrogram ("+s.Channel+"), searched band in red",
			curvePNG(s.Curve, s.CurveS, []float64{s.PeriodS, 2 * s.PeriodS, 3 * s.PeriodS}),
			"Whitened autocorrelation magnitude vs lag (0-20 s, noise level 1); red: the period and its multiples")
	}
	return f
}

func (r *Result) images(ch string, lo, hi float64, specCap string, plot []byte, plotCap string) []report.Evidence {
	var ev []report.Evidence
	for _, w := range r.Channels {
		if w.name == ch {
			if b := spectrogramPNG(w.spectro.cols, r.SampleRate, lo, hi); b != nil {
				ev = append(ev, report.Evidence{Caption: specCap, Data: b})
			}
		}
	}
	if plot != nil {
		ev = append(ev, report.Evidence{Caption: plotCap, Data: plot})
	}
	return ev
}

// Detected reports whether a patchwork score passes the default threshold.
func (p PatchScore) Detected() bool {
	// Band modulation leaves the waveform itself unrepeated: any raw
	// repeat at the period means repeated content.
	// A weak residual repeat at a period where the content also repeats
	// is explained by the content (sampled drums, loops).
	content := p.Content >= maxContent || (p.Content >= minContent && math.Min(p.Z1, p.Z2) < 12)
	// The repeat must hold at most multiples of the period, not come from
	// one or two coincidences (a jingle replayed a few times): with four
	// or more multiples in range, the score without the strongest one must
	// still stand out, 3/4 of them must agree and the odd ones must carry
	// evidence; with fewer, the period and twice it must each stand out.
	// P weaker than half of 2P means the period is twice P.
	harm := p.Z1 >= patchZ1 && p.Z2 >= patchZ2 && p.Z1 >= 0.5*p.Z2
	if p.Mult >= 4 {
		harm = p.ZLOO >= patchLOO && p.PosFrac >= 0.75 && p.ZOdd >= 0.5*p.ZEven
	}
	return p.PAdj <= patchAlpha && harm && p.Chunks >= 0.75 && !content
}

func (r *Result) bestPatch() []PatchScore {
	best := map[string]PatchScore{}
	for _, p := range r.Patch {
		if !p.Detected() {
			continue
		}
		if b, ok := best[p.Channel]; !ok || p.PAdj < b.PAdj {
			best[p.Channel] = p
		}
	}
	return sortedByChannel(best)
}

func (r *Result) contentAt(periodS float64) float64 {
	if len(r.Channels) == 0 {
		return 0
	}
	return contentCorr(r.Channels[0], periodS)
}

func (r *Result) patchFinding(p PatchScore, opt Options) report.Finding {
	sev := report.Low
	if p.PAdj <= patchStrong {
		sev = report.Medium
	}
	f := report.Finding{
		Kind: report.KindAudioWatermark, Severity: sev, Detector: "audio", Method: "band_modulation_sign_repeat",
		Score: -math.Log10(p.PAdj), ScoreMeaning: "-log10 of the Bonferroni-corrected p-value of the sign-pattern " +
			"self-correlation combined over the multiples of the period",
		PValue: report.Ptr(p.PAdj), FalsePositiveRate: report.Ptr(fprPatch),
		Title: fmt.Sprintf("Repeated pattern of raised and lowered frequency bins every %.3f s (%s channel)", p.PeriodS, p.Channel),
		Text: fmt.Sprintf("With %d-sample frames, the pattern of which frequency bins sit above or below the "+
			"spectral envelope repeats every %.3f s (robust z %.1f at the period, %.1f at twice it; %d of %d "+
			"multiples of the period agree; present in %.0f %% of the analysed span). Band-modulation (patchwork) "+
			"watermarks repeat their payload like this.",
			p.FrameN, p.PeriodS, p.Z1, p.Z2, int(math.Round(p.PosFrac*float64(p.Mult))), p.Mult, 100*p.Chunks),
		TimeStart: report.Ptr(0.0), TimeEnd: report.Ptr(math.Min(p.SpanS, r.DurationS)),
		BandHz:  &report.Band{Low: 300, High: math.Min(8000, 0.45*r.SampleRate)},
		PeriodS: report.Ptr(p.PeriodS), Channel: p.Channel, Advice: adviceMark,
	}
	if !opt.NoImages {
		f.Images = r.images(p.Channel, 300, math.Min(8000, 0.45*r.SampleRate), "Spectrogram ("+p.Channel+"), analysed band in red",
			curvePNG(p.Curve, p.CurveS, []float64{p.PeriodS, 2 * p.PeriodS}),
			"Sign-pattern self-correlation (robust z) vs lag; red: the period and twice it")
	}
	return f
}

// EchoDetected reports whether the echo score passes the threshold.
//
// Only the switching pattern counts: in the evaluation a single fixed
// echo (z 14-46) came from every speaker-to-microphone path, 16 kHz
// resampling and Opus, so on its own it says nothing about a mark.
func (e *EchoScore) Detected() bool {
	return e.Switching()
}

// Switching reports the two-delay pattern of echo hiding.
func (e *EchoScore) Switching() bool {
	return e != nil && e.Z >= 6 && e.SecondZ >= 6 && e.SwitchZ <= echoSwitchZ
}

func (r *Result) echoFinding(opt Options) (report.Finding, bool) {
	e := r.Echo
	if !e.Detected() {
		return report.Finding{}, false
	}
	sev := report.Low
	if e.SwitchZ <= 2*echoSwitchZ && e.Z >= 8 && e.SecondZ >= 8 {
		sev = report.Medium
	}
	title := fmt.Sprintf("Switching echoes at %.2f and %.2f ms (echo hiding)", e.DelayMS, e.SecondMS)
	text := fmt.Sprintf("Two persistent cepstral peaks at %.2f ms (z %.1f) and %.2f ms (z %.1f) take turns "+
		"(correlation %.2f across segments, z %.1f): echo hiding encodes bits by switching the echo delay. "+
		"A single fixed echo is not reported: rooms, microphones and resamplers make those.",
		e.DelayMS, e.Z, e.SecondMS, e.SecondZ, e.Switch, e.SwitchZ)
	f := report.Finding{Kind: report.KindEchoSignature, Severity: sev, Detector: "audio", Method: "cepstral_peak",
		Score: e.Z, ScoreMeaning: "robust z of the mean cepstral peak against other quefrencies in 0.3-5 ms",
		FalsePositiveRate: report.Ptr(fprEcho), Title: title, Text: text,
		TimeStart: report.Ptr(0.0), TimeEnd: report.Ptr(math.Min(r.DurationS, opt.localCapS())),
		Channel: "mid", Advice: adviceMark}
	if !opt.NoImages {
		f.Images = []report.Evidence{{Caption: fmt.Sprintf("Cepstral peak z vs quefrency (%.2f-%.2f ms); red: echo delays", e.Q1MS, e.Q2MS),
			Data: curvePNG(e.Curve, e.Q2MS-e.Q1MS, []float64{e.DelayMS - e.Q1MS, e.SecondMS - e.Q1MS})}}
	}
	return f, true
}

// BeaconDetected reports whether the beacon score passes the threshold.
func (b *BeaconScore) Detected() bool {
	return b != nil && b.Frac >= beaconMin && b.QuietFrac >= 0.5*b.Frac && len(b.Tones) > 0
}

func (r *Result) beaconFinding(opt Options) (report.Finding, bool) {
	b := r.Beacon
	if !b.Detected() {
		return report.Finding{}, false
	}
	lo, hi := b.Tones[0], b.Tones[len(b.Tones)-1]
	sev, method := report.Low, "pilot_tone"
	title := fmt.Sprintf("Ultrasonic tone at %.0f Hz", lo)
	if len(b.Tones) >= 3 {
		sev, method = report.Medium, "fsk_beacon"
		title = fmt.Sprintf("Ultrasonic data beacon: %d tones %.0f-%.0f Hz, ~%.0f ms symbols", len(b.Tones), lo, hi, b.SymbolMS)
	}
	f := report.Finding{Kind: report.KindUltrasonicBeacon, Severity: sev, Detector: "audio", Method: method,
		Score: b.Frac, ScoreMeaning: fmt.Sprintf("share of frames with a tone %d dB above the 17-24 kHz band median", beaconPromDB),
		FalsePositiveRate: report.Ptr(fprBeacon), Title: title,
		Text: fmt.Sprintf("Narrowband energy in %.0f %% of frames (%.0f %% of the frames where nobody speaks), tones at %s. "+
			"Proximity and room beacons (e.g. Zoom Rooms near 19-20 kHz) transmit like this; a data beacon can identify "+
			"the room or device that was present.", 100*b.Frac, 100*b.QuietFrac, fmtTones(b.Tones)),
		TimeStart: report.Ptr(0.0), TimeEnd: report.Ptr(r.DurationS),
		BandHz: &report.Band{Low: lo - 100, High: hi + 100}, Channel: "mid",
		Advice: "Low-pass the audio below 16 kHz before sharing (ffmpeg -af lowpass=f=15000) removes this beacon; " +
			"it does not remove marks in the audible band.",
		Command: "ffmpeg -i INPUT -af lowpass=f=15000,lowpass=f=15000 -c:v copy OUTPUT"}
	if !opt.NoImages {
		f.Images = r.images("mid", lo-100, hi+100, "Spectrogram (mid), beacon band in red", nil, "")
	}
	return f, true
}

func fmtTones(t []float64) string {
	s := ""
	for i, v := range t {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%.0f", v)
	}
	return s + " Hz"
}

func db(x float64) float64 { return 10 * math.Log10(math.Max(x, 1e-12)) }

func shortNote(beaconOnly bool) string {
	if !beaconOnly {
		return ""
	}
	return fmt.Sprintf(" Under %d s only the ultrasonic beacon test ran: the repeat tests need several "+
		"periods of a payload lasting seconds.", beaconOnlyS)
}

// absenceNote says what the scan could have found, since absence is never
// proof.
func (r *Result) absenceNote() report.Finding {
	minC := 1.0
	band := ""
	for _, s := range r.Spread {
		if s.MinCorr > 0 && s.MinCorr < minC {
			minC, band = s.MinCorr, s.Band.Name
		}
	}
	if r.BeaconOnly {
		return report.Finding{Kind: report.KindInconclusive, Severity: report.Info, Detector: "audio",
			Title: "No ultrasonic beacon found (clip too short for the other audio tests)",
			Text: fmt.Sprintf("No ultrasonic beacon passed its test. The clip is shorter than %d s, so the tests "+
				"for repeated spread-spectrum marks, band modulation and echoes did not run; no mark can be excluded.", beaconOnlyS),
			TimeStart: report.Ptr(0.0), TimeEnd: report.Ptr(r.DurationS),
			Advice: "Scan a longer copy of the recording, or compare two copies (tracescan diff)."}
	}
	text := fmt.Sprintf("No repeated spread-spectrum mark, repeated band modulation, echo pattern or ultrasonic "+
		"beacon passed the tests. In this recording the scan would have found a mark repeating every 0.1-10 s "+
		"for its whole length whose power is at least %.0f dB below the content in the %s band after "+
		"spectral flattening (roughly that many dB below the speech in that band). ", db(minC), band)
	text += "Keyed marks can sit far below that (audiowmark nudges bands by about 1 % per 23 ms frame) and " +
		"cannot be excluded: compare two copies of the same meeting (tracescan diff) to expose them."
	return report.Finding{Kind: report.KindInconclusive, Severity: report.Info, Detector: "audio",
		Title: "No audio watermark found (weaker keyed marks cannot be excluded)", Text: text,
		TimeStart: report.Ptr(0.0), TimeEnd: report.Ptr(r.DurationS),
		Advice: "If two recipients' copies of this meeting exist, run tracescan diff on them; otherwise prefer " +
			"publishing a transcript over the audio."}
}
