// Package audiomarks generates labelled test audio: host material (speech
// from espeak-ng, synthesised music and loops, noise, silence) with or
// without a known, repeated watermark payload (PN spread spectrum,
// patchwork band modulation, echo hiding, an ultrasonic FSK beacon), and
// the codec / resampling / speaker-to-microphone variants a leaked
// recording goes through.
package audiomarks

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand"
	"os/exec"
	"strings"
)

// Rate is the sample rate every host is synthesised at.
const Rate = 48000

// Host names the content a mark is hidden in.
type Host string

// Hosts. The last group are hard negatives: repeats that are not marks.
const (
	Speech       Host = "speech"       // one espeak-ng voice
	Conversation Host = "conversation" // alternating voices
	Music        Host = "music"        // synthesised, varied bars
	Noise        Host = "noise"        // pink or white noise
	Silence      Host = "silence"      // digital silence
	Loop         Host = "loop"         // sample-exact repeated music bar(s)
	Jingle       Host = "jingle"       // speech with a jingle replayed a few times
	HoldMusic    Host = "hold"         // loop with a spoken announcement
	Room         Host = "room"         // room noise with mains hum
)

var voices = []string{"en-us", "en-gb", "en-gb-scotland", "en-us+f3", "en+m3", "en-gb+f2", "en-gb-x-rp", "en-us+f4"}

var words = strings.Fields(`the meeting starts at nine and we will review the budget for next quarter
please share your screen so everyone can see the numbers I think the release is on track but testing
needs another week our customers asked for better export options the design team has a new proposal
let me check with finance before we commit can you send the document after the call we should
schedule a follow up with the vendor the data looks good apart from the spike in March who owns the
migration plan I will take that action item thanks everyone for joining today the server costs went
up because of the new region we need a decision by Friday does anyone have questions about the roadmap`)

func sentence(rng *rand.Rand) string {
	n := 6 + rng.Intn(10)
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[rng.Intn(len(words))])
	}
	return b.String()
}

// espeak renders text with a voice at Rate, mono float32.
func espeak(ctx context.Context, voice, text string, speed, pitch int) ([]float32, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c",
		fmt.Sprintf("espeak-ng -v %s -s %d -p %d --stdout \"$TEXT\" | ffmpeg -v error -i pipe:0 -ar %d -ac 1 -f f32le pipe:1",
			voice, speed, pitch, Rate))
	cmd.Env = append(cmd.Environ(), "TEXT="+text)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("espeak-ng %s: %w (%s)", voice, err, strings.TrimSpace(errb.String()))
	}
	b := out.Bytes()
	x := make([]float32, len(b)/4)
	for i := range x {
		x[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return x, nil
}

// speech fills n samples with turns of the given voices separated by pauses.
func speech(ctx context.Context, rng *rand.Rand, n int, vs []string) ([]float32, error) {
	out := make([]float32, 0, n)
	turn := 0
	for len(out) < n {
		v := vs[turn%len(vs)]
		var text []string
		for i := 0; i < 1+rng.Intn(3); i++ {
			text = append(text, sentence(rng))
		}
		x, err := espeak(ctx, v, strings.Join(text, ". "), 140+rng.Intn(40), 30+rng.Intn(40))
		if err != nil {
			return nil, err
		}
		gain := float32(0.5 + 0.5*rng.Float64())
		for _, s := range x {
			out = append(out, s*gain)
		}
		pause := int((0.2 + 0.8*rng.Float64()) * Rate)
		out = append(out, make([]float32, pause)...)
		turn++
	}
	return out[:n], nil
}

// note adds a decaying harmonic tone (a plucked/synth note).
func note(x []float32, start int, freq, amp, durS float64, harm int) {
	n := int(durS * Rate)
	for i := 0; i < n && start+i < len(x); i++ {
		t := float64(i) / Rate
		env := math.Exp(-3*t/durS) * math.Min(1, t*200)
		v := 0.0
		for h := 1; h <= harm; h++ {
			f := freq * float64(h)
			if f > 12000 {
				break
			}
			v += math.Sin(2*math.Pi*f*t) / float64(h)
		}
		x[start+i] += float32(amp * env * v)
	}
}

// drum adds a noise burst (snare/hat) or a pitch-dropping kick.
func drum(x []float32, start int, kind int, amp float64, rng *rand.Rand) {
	switch kind {
	case 0: // kick
		for i := 0; i < Rate/6 && start+i < len(x); i++ {
			t := float64(i) / Rate
			x[start+i] += float32(amp * math.Exp(-t*25) * math.Sin(2*math.Pi*(50+100*math.Exp(-t*30))*t))
		}
	default: // snare / hat: filtered noise
		dec := 30.0
		if kind == 2 {
			dec = 90
		}
		prev := 0.0
		for i := 0; i < Rate/5 && start+i < len(x); i++ {
			t := float64(i) / Rate
			w := rng.NormFloat64()
			v := w - prev // crude high-pass
			if kind == 1 {
				v = 0.5 * (w + prev)
			}
			prev = w
			x[start+i] += float32(amp * 0.3 * math.Exp(-t*dec) * v)
		}
	}
}

var scale = []float64{0, 2, 4, 5, 7, 9, 11}

// bar renders one bar of music starting at sample 0 of x.
func bar(x []float32, rng *rand.Rand, root float64, beatS float64) {
	beats := 4
	chord := []int{0, 2, 4}
	deg := rng.Intn(7)
	for b := 0; b < beats; b++ {
		s := int(float64(b) * beatS * Rate)
		drum(x, s, 0, 0.5, rng)
		drum(x, s+int(beatS*Rate/2), 2, 0.3, rng)
		if b%2 == 1 {
			drum(x, s, 1, 0.4, rng)
		}
		// melody note
		st := scale[(deg+rng.Intn(5))%7] + 12
		note(x, s, root*math.Pow(2, st/12), 0.15, beatS*1.5, 6)
	}
	for _, c := range chord {
		st := scale[(deg+c)%7]
		note(x, 0, root*math.Pow(2, st/12), 0.08, beatS*float64(beats), 4)
	}
	note(x, 0, root/2*math.Pow(2, scale[deg]/12), 0.2, beatS*2, 3)
	note(x, int(2*beatS*Rate), root/2*math.Pow(2, scale[deg]/12), 0.2, beatS*2, 3)
}

// music renders n samples of varied bars; loop > 0 repeats the first loop
// bars sample-exactly instead.
func music(rng *rand.Rand, n int, loopBars int) []float32 {
	root := 110 * math.Pow(2, float64(rng.Intn(12))/12) * 2
	beatS := 60 / (80 + 60*rng.Float64())
	barN := int(4 * beatS * Rate)
	x := make([]float32, n+barN*2)
	if loopBars > 0 {
		pat := make([]float32, barN*loopBars+barN)
		for b := 0; b < loopBars; b++ {
			bar(pat[b*barN:], rng, root, beatS)
		}
		// Wrap the decay tail so the loop is seamless and exact.
		per := barN * loopBars
		for i := per; i < len(pat); i++ {
			pat[i-per] += pat[i]
		}
		for s := 0; s < n; s += per {
			copy(x[s:], pat[:per])
		}
		return normalize(x[:n], 0.25)
	}
	for s := 0; s < n; s += barN {
		bar(x[s:], rng, root, beatS*(1+0.01*rng.NormFloat64()))
	}
	return normalize(x[:n], 0.25)
}

func normalize(x []float32, rms float64) []float32 {
	e := 0.0
	for _, v := range x {
		e += float64(v) * float64(v)
	}
	if e == 0 {
		return x
	}
	g := float32(rms / math.Sqrt(e/float64(len(x))))
	for i := range x {
		x[i] *= g
	}
	return x
}

// noise returns pink (pink=true) or white noise at the given RMS.
func noise(rng *rand.Rand, n int, pink bool, rms float64) []float32 {
	x := make([]float32, n)
	var b0, b1, b2 float64
	for i := range x {
		w := rng.NormFloat64()
		if pink { // Paul Kellet's economy filter
			b0 = 0.99765*b0 + w*0.0990460
			b1 = 0.96300*b1 + w*0.2965164
			b2 = 0.57000*b2 + w*1.0526913
			x[i] = float32(b0 + b1 + b2 + w*0.1848)
		} else {
			x[i] = float32(w)
		}
	}
	return normalize(x, rms)
}

// makeHost renders n samples of host material.
func makeHost(ctx context.Context, rng *rand.Rand, h Host, n int) ([]float32, error) {
	switch h {
	case Speech:
		return speech(ctx, rng, n, []string{voices[rng.Intn(len(voices))]})
	case Conversation:
		a := rng.Intn(len(voices))
		b := (a + 1 + rng.Intn(len(voices)-1)) % len(voices)
		return speech(ctx, rng, n, []string{voices[a], voices[b]})
	case Music:
		return music(rng, n, 0), nil
	case Loop:
		return music(rng, n, 1+rng.Intn(2)), nil
	case Noise:
		return noise(rng, n, rng.Intn(2) == 0, 0.02+0.1*rng.Float64()), nil
	case Silence:
		return make([]float32, n), nil
	case Room:
		x := noise(rng, n, true, 0.003+0.01*rng.Float64())
		hum := 50.0
		if rng.Intn(2) == 0 {
			hum = 60
		}
		for i := range x {
			t := float64(i) / Rate
			x[i] += float32(0.004 * (math.Sin(2*math.Pi*hum*t) + 0.5*math.Sin(2*math.Pi*3*hum*t)))
		}
		return x, nil
	case Jingle:
		x, err := speech(ctx, rng, n, []string{voices[rng.Intn(len(voices))]})
		if err != nil {
			return nil, err
		}
		j := music(rng, 3*Rate, 1)
		// Irregular replays, as when a jingle opens each agenda item.
		for _, at := range []float64{0.05, 0.3 + 0.1*rng.Float64(), 0.7 + 0.1*rng.Float64()} {
			s := int(at * float64(n))
			for i, v := range j {
				if s+i < n {
					x[s+i] = v
				}
			}
		}
		return x, nil
	case HoldMusic:
		x := music(rng, n, 2)
		ann, err := espeak(ctx, voices[rng.Intn(len(voices))], "Thank you for holding. Your call is important to us.", 150, 50)
		if err != nil {
			return nil, err
		}
		for s := 5 * Rate; s < n; s += 40 * Rate {
			for i, v := range ann {
				if s+i < n {
					x[s+i] = 0.3*x[s+i] + v*0.6
				}
			}
		}
		return x, nil
	}
	return nil, fmt.Errorf("unknown host %q", h)
}
