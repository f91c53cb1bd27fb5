// Command evalaudio generates a labelled set of 2-minute clips (positives
// with known repeated marks, clean and hard negatives) from a seed list
// declared up front, runs the audio detector on each and prints ROC points
// and detection rates per embedder and variant.
//
//	go run ./cmd/evalaudio              # full set (about 130 clips)
//	go run ./cmd/evalaudio -filter pn   # only items whose name matches
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"os/signal"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"tracescan/audio"
	"tracescan/media"
	"tracescan/report"
	"tracescan/samples/audiomarks"
)

type item struct {
	spec audiomarks.Spec
	seed int64
}

type result struct {
	label  audiomarks.Label
	score  float64 // -log10 p of the best spread/patch test, or echo z / beacon share mapped
	found  bool
	sev    report.Severity
	kinds  string
	detail string
	err    error
	secs   float64
}

// set is the evaluation set. Seeds are fixed and listed here before any
// result is seen; nothing is dropped afterwards.
func set(dur float64) []item {
	var it []item
	add := func(seed int64, s audiomarks.Spec) {
		s.DurationS = dur
		it = append(it, item{s, seed})
	}
	speechHosts := []audiomarks.Host{audiomarks.Speech, audiomarks.Conversation}
	// Positives, uncompressed, at the floor strengths.
	for i, h := range []audiomarks.Host{audiomarks.Speech, audiomarks.Conversation, audiomarks.Music, audiomarks.Noise,
		audiomarks.Speech, audiomarks.Conversation} {
		add(int64(100+i), audiomarks.Spec{Host: h, Mark: audiomarks.PN, StrengthDB: -30})
	}
	add(110, audiomarks.Spec{Host: audiomarks.Speech, Mark: audiomarks.PN, StrengthDB: -30, BandLo: 1000, BandHi: 3000})
	add(111, audiomarks.Spec{Host: audiomarks.Conversation, Mark: audiomarks.PN, StrengthDB: -30, BandLo: 3000, BandHi: 7000})
	add(112, audiomarks.Spec{Host: audiomarks.Music, Mark: audiomarks.PN, StrengthDB: -30, BandLo: 300, BandHi: 7500})
	add(113, audiomarks.Spec{Host: audiomarks.Speech, Mark: audiomarks.PN, StrengthDB: -30, Stereo: true, OneSide: true})
	for i, h := range []audiomarks.Host{audiomarks.Speech, audiomarks.Conversation, audiomarks.Music, audiomarks.Noise,
		audiomarks.Speech, audiomarks.Conversation} {
		add(int64(200+i), audiomarks.Spec{Host: h, Mark: audiomarks.Patchwork, StrengthDB: 1, FrameN: []int{1024, 2048}[i%2]})
	}
	// More uncompressed positives at the floor strengths (16 alone say
	// little about a 90 % rate): seeds 3000, 3003, ..., 3069, fixed before
	// any run; PN -30 dB and patchwork +-1 dB alternate, each on every host
	// three times.
	floorHosts := []audiomarks.Host{audiomarks.Speech, audiomarks.Conversation, audiomarks.Music, audiomarks.Noise}
	for i := 0; i < 24; i++ {
		h := floorHosts[(i/2)%len(floorHosts)]
		if i%2 == 0 {
			add(int64(3000+3*i), audiomarks.Spec{Host: h, Mark: audiomarks.PN, StrengthDB: -30})
		} else {
			add(int64(3000+3*i), audiomarks.Spec{Host: h, Mark: audiomarks.Patchwork, StrengthDB: 1, FrameN: []int{1024, 2048}[(i/8)%2]})
		}
	}
	for i, h := range []audiomarks.Host{audiomarks.Speech, audiomarks.Conversation, audiomarks.Music} {
		add(int64(300+i), audiomarks.Spec{Host: h, Mark: audiomarks.Echo, StrengthDB: -14})
	}
	for i, h := range []audiomarks.Host{audiomarks.Speech, audiomarks.Music, audiomarks.Silence} {
		add(int64(400+i), audiomarks.Spec{Host: h, Mark: audiomarks.FSK, StrengthDB: -30})
	}
	// Positives through codecs and paths.
	for i, v := range []audiomarks.Variant{audiomarks.AAC96, audiomarks.MP3128, audiomarks.AAC96, audiomarks.MP3128,
		audiomarks.Opus32, audiomarks.Resample16, audiomarks.SpeakerMic, audiomarks.Opus32} {
		add(int64(500+i), audiomarks.Spec{Host: speechHosts[i%2], Mark: audiomarks.PN, StrengthDB: -30, Variant: v})
	}
	add(510, audiomarks.Spec{Host: audiomarks.Music, Mark: audiomarks.PN, StrengthDB: -30, Variant: audiomarks.AAC96})
	add(511, audiomarks.Spec{Host: audiomarks.Music, Mark: audiomarks.PN, StrengthDB: -30, Variant: audiomarks.MP3128})
	for i, v := range []audiomarks.Variant{audiomarks.AAC96, audiomarks.MP3128, audiomarks.AAC96, audiomarks.MP3128} {
		add(int64(600+i), audiomarks.Spec{Host: speechHosts[i%2], Mark: audiomarks.Patchwork, StrengthDB: 1, Variant: v})
	}
	add(610, audiomarks.Spec{Host: audiomarks.Speech, Mark: audiomarks.Echo, StrengthDB: -14, Variant: audiomarks.MP3128})
	add(611, audiomarks.Spec{Host: audiomarks.Speech, Mark: audiomarks.FSK, StrengthDB: -30, Variant: audiomarks.MP3128})
	// Weaker PN marks (beyond the floor) to show where detection ends.
	for i, db := range []float64{-40, -45, -50, -40} {
		add(int64(700+i), audiomarks.Spec{Host: speechHosts[i%2], Mark: audiomarks.PN, StrengthDB: db})
	}
	// Negatives: clean material.
	neg := []audiomarks.Host{audiomarks.Speech, audiomarks.Conversation, audiomarks.Music, audiomarks.Noise,
		audiomarks.Silence, audiomarks.Room}
	for i := 0; i < 12; i++ {
		add(int64(1000+i), audiomarks.Spec{Host: neg[i%len(neg)]})
	}
	// Hard negatives: loops, jingles, hold music.
	hard := []audiomarks.Host{audiomarks.Loop, audiomarks.Jingle, audiomarks.HoldMusic}
	for i := 0; i < 12; i++ {
		add(int64(1100+i), audiomarks.Spec{Host: hard[i%len(hard)]})
	}
	// Negatives through codecs (codec artefacts) and paths.
	vars := []audiomarks.Variant{audiomarks.AAC96, audiomarks.MP3128, audiomarks.Opus32, audiomarks.Resample16, audiomarks.SpeakerMic}
	all := append(neg, hard...)
	for i := 0; i < 20; i++ {
		add(int64(1200+i), audiomarks.Spec{Host: all[i%len(all)], Variant: vars[i%len(vars)]})
	}
	// Held-out negatives: never looked at while choosing thresholds; their
	// false-positive rate is the honest one.
	for i := 0; i < 20; i++ {
		v := append([]audiomarks.Variant{audiomarks.Plain}, vars...)[i%(len(vars)+1)]
		add(int64(2000+i), audiomarks.Spec{Host: all[(i*7)%len(all)], Variant: v})
	}
	return it
}

func main() {
	filter := flag.String("filter", "", "only run items whose name matches this regexp")
	dir := flag.String("dir", "", "directory for generated clips (default: a temp dir, removed)")
	dur := flag.Float64("dur", 120, "clip duration in seconds")
	jobs := flag.Int("j", 2, "parallel clips")
	verbose := flag.Bool("v", false, "print each clip's scores")
	flag.BoolVar(&debug, "debug", false, "print every test's raw scores")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *dir == "" {
		d, err := os.MkdirTemp("", "evalaudio")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	re := regexp.MustCompile(*filter)
	items := set(*dur)
	det := audio.New(audio.Options{NoImages: true})
	results := make([]result, len(items))
	sem := make(chan struct{}, *jobs)
	var wg sync.WaitGroup
	var mu sync.Mutex
	t0 := time.Now()
	for i, it := range items {
		name := fmt.Sprintf("%s_%s_%s_%d", it.spec.Mark, it.spec.Host, it.spec.Variant, it.seed)
		if !re.MatchString(name) {
			results[i].err = errSkip
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, it item) {
			defer wg.Done()
			defer func() { <-sem }()
			r := runOne(ctx, det, *dir, it)
			mu.Lock()
			results[i] = r
			if *verbose || r.err != nil {
				fmt.Printf("%-44s %5.1fs found=%-5v sev=%-6s score=%7.2f %s %v\n", r.label.Name+"#"+fmt.Sprint(it.seed),
					r.secs, r.found, r.sev, r.score, r.detail, errStr(r.err))
			}
			mu.Unlock()
		}(i, it)
	}
	wg.Wait()
	summarize(results)
	fmt.Printf("total %.0f s\n", time.Since(t0).Seconds())
}

var errSkip = fmt.Errorf("skipped")

var debug bool

func errStr(err error) string {
	if err == nil {
		return ""
	}
	return "ERROR " + err.Error()
}

func runOne(ctx context.Context, det *audio.Detector, dir string, it item) result {
	lb, err := audiomarks.Generate(ctx, dir, it.seed, it.spec)
	if err != nil {
		return result{label: lb, err: err}
	}
	defer os.Remove(lb.Path)
	t := time.Now()
	info, err := media.Probe(ctx, lb.Path)
	if err != nil {
		return result{label: lb, err: err}
	}
	res, err := det.Analyze(ctx, info)
	if err != nil {
		return result{label: lb, err: err}
	}
	fs := res.Findings(audio.Options{NoImages: true})
	if debug {
		var b strings.Builder
		for _, p := range res.Patch {
			fmt.Fprintf(&b, "  %s pw %s N=%d P=%.3f z=%.1f/%.1f zh=%.1f p=%.2g mult=%d loo=%.1f agree=%.2f odd/even=%.1f/%.1f chunks=%.2f content=%.3f det=%v\n", lb.Name, p.Channel, p.FrameN, p.PeriodS, p.Z1, p.Z2, p.ZH, p.PAdj, p.Mult, p.ZLOO, p.PosFrac, p.ZOdd, p.ZEven, p.Chunks, p.Content, p.Detected())
		}
		for _, s := range res.Spread {
			fmt.Fprintf(&b, "  %s ss %s %s P=%.3f H=%.0f/%.0f/%.0f p=%.2g spread=%.2f content=%.2f corr=%.3f\n", lb.Name, s.Channel, s.Band.Name, s.PeriodS, s.Harm[0], s.Harm[1], s.Harm[2], s.PAdj, s.Spread, s.Content, s.Corr)
		}
		if e := res.Echo; e != nil {
			fmt.Fprintf(&b, "  %s echo %.2fms z=%.1f pos=%.2f second %.2fms z=%.1f switch=%.2f z=%.1f\n", lb.Name, e.DelayMS, e.Z, e.PosFrac, e.SecondMS, e.SecondZ, e.Switch, e.SwitchZ)
		}
		if bb := res.Beacon; bb != nil {
			fmt.Fprintf(&b, "  %s beacon frac=%.2f quiet=%.2f tones=%v sym=%.0f\n", lb.Name, bb.Frac, bb.QuietFrac, bb.Tones, bb.SymbolMS)
		}
		fmt.Print(b.String())
	}
	r := result{label: lb, secs: time.Since(t).Seconds()}
	var kinds []string
	for _, f := range fs {
		if f.Kind == report.KindInconclusive {
			continue
		}
		r.found = true
		if f.Severity > r.sev {
			r.sev = f.Severity
		}
		kinds = append(kinds, f.Kind+":"+f.Method)
	}
	r.kinds = strings.Join(kinds, ",")
	r.score, r.detail = scoreOf(res)
	return r
}

// scoreOf maps every test onto one continuous score for the ROC: the best
// -log10 p of the repeat tests; echo and beacon tests, which have no p-value,
// enter through their threshold ratio scaled to the same decision point
// (score 3 = p 1e-3 = default threshold).
func scoreOf(res *audio.Result) (float64, string) {
	best, what := 0.0, ""
	for _, s := range res.Spread {
		v := -math.Log10(s.PAdj)
		if !s.Detected() && v >= 3 {
			v = 2.99 // failed a rejection check (loop, concentrated, no harmonic)
		}
		if v > best {
			best = v
			what = fmt.Sprintf("ss %s %s P=%.3f H=%.0f/%.0f/%.0f spread=%.2f content=%.2f", s.Channel, s.Band.Name, s.PeriodS,
				s.Harm[0], s.Harm[1], s.Harm[2], s.Spread, s.Content)
		}
	}
	for _, p := range res.Patch {
		v := -math.Log10(p.PAdj)
		if !p.Detected() && v >= 3 {
			v = 2.99
		}
		if v > best {
			best = v
			what = fmt.Sprintf("pw %s N=%d P=%.3f z=%.1f/%.1f chunks=%.2f", p.Channel, p.FrameN, p.PeriodS, p.Z1, p.Z2, p.Chunks)
		}
	}
	if e := res.Echo; e != nil {
		v := 3 * e.Z / 12
		if !e.Detected() && v >= 3 {
			v = 2.99
		}
		if v > best {
			best = v
			what = fmt.Sprintf("echo %.2fms z=%.1f pos=%.2f second %.2fms z=%.1f switchZ=%.1f", e.DelayMS, e.Z, e.PosFrac, e.SecondMS, e.SecondZ, e.SwitchZ)
		}
	}
	if b := res.Beacon; b != nil {
		v := 3 * b.Frac / 0.2
		if !b.Detected() && v >= 3 {
			v = 2.99
		}
		if v > best {
			best = v
			what = fmt.Sprintf("beacon frac=%.2f quiet=%.2f tones=%d sym=%.0fms", b.Frac, b.QuietFrac, len(b.Tones), b.SymbolMS)
		}
	}
	return best, what
}

func summarize(rs []result) {
	var pos, neg []result
	for _, r := range rs {
		if r.err == errSkip {
			continue
		}
		if r.err != nil {
			fmt.Printf("error: %s: %v\n", r.label.Name, r.err)
			continue
		}
		if r.label.Positive {
			pos = append(pos, r)
		} else {
			neg = append(neg, r)
		}
	}
	fmt.Printf("\n%d positives, %d negatives\n", len(pos), len(neg))
	// Per embedder/variant detection at the default threshold.
	groups := map[string][2]int{}
	for _, r := range pos {
		g := r.label.Name
		if i := strings.Index(g, "/"); i >= 0 {
			g = g[:i] + " " + string(r.label.Variant)
		}
		c := groups[g]
		c[1]++
		if r.found {
			c[0]++
		}
		groups[g] = c
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println("\ndetection at the default threshold, per embedder and variant:")
	for _, k := range keys {
		c := groups[k]
		fmt.Printf("  %-28s %2d/%-2d %5.0f %%\n", k, c[0], c[1], 100*float64(c[0])/float64(c[1]))
	}
	fp, fpMed := 0, 0
	for _, r := range neg {
		if r.found {
			fp++
			fmt.Printf("  false positive: %s seed %d sev %s %s (%s)\n", r.label.Name, r.label.Seed, r.sev, r.kinds, r.detail)
		}
		if r.found && r.sev >= report.Medium {
			fpMed++
		}
	}
	fmt.Printf("negatives with any finding: %d/%d (%.1f %%), medium/high: %d\n", fp, len(neg), 100*float64(fp)/float64(max(1, len(neg))), fpMed)
	ho, hoN := 0, 0
	for _, r := range neg {
		if r.label.Seed >= 2000 {
			hoN++
			if r.found {
				ho++
			}
		}
	}
	fmt.Printf("  of which held-out (seeds 2000+, not used to set thresholds): %d/%d\n", ho, hoN)
	floor := func(pred func(audiomarks.Label) bool) (int, int) {
		a, b := 0, 0
		for _, r := range pos {
			if pred(r.label) {
				b++
				if r.found {
					a++
				}
			}
		}
		return a, b
	}
	atFloor := func(l audiomarks.Label) bool {
		return (l.Mark == audiomarks.PN && l.StrengthDB <= -30 && l.StrengthDB >= -30) || l.Mark == audiomarks.Patchwork
	}
	a, b := floor(func(l audiomarks.Label) bool { return atFloor(l) && l.Variant == audiomarks.Plain })
	fmt.Printf("floor: uncompressed PN -30 dB / patchwork +-1 dB: %d/%d detected\n", a, b)
	a, b = floor(func(l audiomarks.Label) bool {
		return atFloor(l) && (l.Variant == audiomarks.AAC96 || l.Variant == audiomarks.MP3128)
	})
	fmt.Printf("floor: same after AAC 96k / MP3 128k: %d/%d detected\n", a, b)
	// ROC over the continuous score.
	fmt.Println("\nROC (threshold on score = -log10 p; 3 is the default):")
	fmt.Println("  thr    TPR    FPR")
	for _, thr := range []float64{1, 2, 3, 4, 6, 8, 12, 20, 40} {
		tp, fpc := 0, 0
		for _, r := range pos {
			if r.score >= thr {
				tp++
			}
		}
		for _, r := range neg {
			if r.score >= thr {
				fpc++
			}
		}
		fmt.Printf("  %4.0f  %5.3f  %5.3f\n", thr, float64(tp)/float64(max(1, len(pos))), float64(fpc)/float64(max(1, len(neg))))
	}
	fmt.Println("\nnegative score maxima by host:")
	mx := map[string]float64{}
	for _, r := range neg {
		k := string(r.label.Host)
		mx[k] = math.Max(mx[k], r.score)
	}
	for _, k := range sortedKeys(mx) {
		fmt.Printf("  %-14s %.2f\n", k, mx[k])
	}
}

func sortedKeys(m map[string]float64) []string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return k
}
