// Package audio looks for the evidence every practical personal audio mark
// must leave, without knowing its key: a payload embedded again and again
// at low level (repeated spread spectrum, repeated band modulation),
// persistent echoes, and ultrasonic beacons. Each test has a null model and
// a calibrated score; absence of a finding is reported with what could have
// been found, never as proof.
package audio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"

	"tracescan/media"
	"tracescan/report"
)

// maxLagS is the longest lag correlated: periods up to 10 s with their
// second harmonic.
const maxLagS = 20.5

// beaconOnlyS: clips shorter than this get only the beacon test. The lag
// tests need several repeats of a payload of seconds (periods 0.25-10 s,
// confirmed at 2P and 3P) and their nulls were calibrated on minutes; on a
// few seconds they cannot say anything, and batch scans of many short
// files must not pay for them.
const beaconOnlyS = 20

// Options tune the detector; the zero value is the calibrated default.
type Options struct {
	// Gonum selects the pure-Go FFT instead of OpenCV's (same results,
	// slower; see fft_bench_test.go).
	Gonum bool
	// LocalCapS bounds the seconds analysed by the patchwork and echo
	// tests (a repeated payload shows in any few minutes); 0 means 180.
	LocalCapS float64
	// MinDurationS below which the clip gets an inconclusive note; 0 means 100.
	MinDurationS float64
	// NoImages skips evidence pictures (faster evaluation runs).
	NoImages bool
	// MaxAnalysisS bounds the seconds fully analysed; longer recordings
	// are analysed in four equal windows spread over their length (a
	// repeated mark is in every window); 0 means 480 (four 2-minute
	// windows: the length known marks need).
	MaxAnalysisS float64
	// NoSeek decodes long recordings whole and skips to the windows
	// instead of decoding only the windows with ffmpeg input seeking
	// (kept to check that both give the same result).
	NoSeek bool
}

func (o Options) maxAnalysis() float64 {
	if o.MaxAnalysisS > 0 {
		return o.MaxAnalysisS
	}
	return 480
}

// analysisWindows returns [start, end) sample ranges to analyse.
func (o Options) analysisWindows(durS, sr float64) [][2]int {
	budget := o.maxAnalysis()
	if durS <= 0 { // unknown length: the first budget seconds
		return [][2]int{{0, int(budget * sr)}}
	}
	if durS <= 1.1*budget {
		return [][2]int{{0, math.MaxInt}}
	}
	const n = 4
	win := budget / n
	var w [][2]int
	for i := 0; i < n; i++ {
		start := (float64(i)+0.5)*durS/n - win/2
		start = math.Max(0, math.Min(durS-win, start))
		w = append(w, [2]int{int(start * sr), int((start + win) * sr)})
	}
	return w
}

func (o Options) useCV() bool { return !o.Gonum }

func (o Options) localCapS() float64 {
	if o.LocalCapS > 0 {
		return o.LocalCapS
	}
	return 180
}

func (o Options) minDur() float64 {
	if o.MinDurationS > 0 {
		return o.MinDurationS
	}
	return 100
}

// Detector is the "audio" scanner.
type Detector struct{ opt Options }

// New returns a detector with the given options.
func New(opts Options) *Detector { return &Detector{opt: opts} }

// Name is the scanner name used by --scanners.
func (d *Detector) Name() string { return "audio" }

// Detect streams the first audio stream of the file and runs every test.
func (d *Detector) Detect(ctx context.Context, info *media.Info) ([]report.Finding, error) {
	if _, ok := info.Audio(); !ok {
		return nil, nil
	}
	res, err := d.Analyze(ctx, info)
	if err != nil {
		return nil, err
	}
	return res.Findings(d.opt), nil
}

// Result is everything the streaming pass measured; Findings turns it into
// report findings. Exposed so that the evaluation can read raw scores.
type Result struct {
	SampleRate float64
	DurationS  float64
	// AnalysedS is how much of it the tests saw, in Windows stretches.
	AnalysedS float64
	Windows   int
	Channels  []*chanWorker
	Spread    []SpreadScore
	Patch     []PatchScore
	Echo      *EchoScore
	Beacon    *BeaconScore
	// BeaconOnly: the clip was too short for the lag tests (beaconOnlyS).
	BeaconOnly bool
}

// Analyze runs the streaming pass and the tests.
func (d *Detector) Analyze(ctx context.Context, info *media.Info) (*Result, error) {
	r, err := media.OpenAudio(ctx, info, media.AudioOptions{})
	if err != nil {
		return nil, fmt.Errorf("opening audio: %w", err)
	}
	defer r.Close()
	sr := float64(r.SampleRate())
	nch := r.Channels()
	if sr < 8000 {
		return nil, fmt.Errorf("sample rate %.0f Hz is too low to analyse", sr)
	}
	hop := nextPow2(int(sr*0.0213)) / 2
	est := int(info.Duration * sr / float64(hop))
	if est <= 0 {
		est = int(3600 * sr / float64(hop))
	}
	lite := info.Duration > 0 && info.Duration < beaconOnlyS
	names := []string{"mid"}
	if nch >= 2 && !lite {
		names = append(names, "side")
	}
	// Lags longer than half the clip overlap too little (beyond its
	// length they hold nothing and would pull the noise level down): a
	// short clip gets a correlator (and FFTs) sized to it.
	lagS := maxLagS
	if info.Duration > 0 {
		lagS = max(1, min(maxLagS, info.Duration/2))
	}
	workers := make([]*chanWorker, len(names))
	for i, nm := range names {
		workers[i] = newChanWorker(nm, sr, i == 0, i == 0, d.opt, est, lagS, info.Duration, lite)
	}
	defer func() {
		for _, w := range workers {
			w.close()
		}
	}()
	// One goroutine per derived channel: the two cores share the work
	// while ffmpeg decodes in its own process.
	type msg struct {
		x   []float32
		brk bool // the next samples are not adjacent
	}
	feeds := make([]chan msg, len(workers))
	var wg sync.WaitGroup
	pool := sync.Pool{New: func() any { return make([]float32, 0, 1<<15) }}
	for i, w := range workers {
		feeds[i] = make(chan msg, 8)
		wg.Add(1)
		go func(w *chanWorker, in chan msg) {
			defer wg.Done()
			for m := range in {
				if m.brk {
					w.breakWindow()
					continue
				}
				w.push(m.x)
				pool.Put(m.x[:0])
			}
			w.finish()
		}(w, feeds[i])
	}
	wins := d.opt.analysisWindows(info.Duration, sr)
	buf := make([]float32, (1<<15)*nch)
	// send passes frames [a, b) of buf to every derived channel.
	send := func(a, b int) {
		for i := range workers {
			x := pool.Get().([]float32)[:0]
			for j := a; j < b; j++ {
				if nch == 1 {
					x = append(x, buf[j])
					continue
				}
				l, rr := buf[j*nch], buf[j*nch+1]
				if i == 0 {
					x = append(x, 0.5*(l+rr))
				} else {
					x = append(x, 0.5*(l-rr))
				}
			}
			feeds[i] <- msg{x: x}
		}
	}
	brk := func() {
		for i := range workers {
			feeds[i] <- msg{brk: true}
		}
	}
	total, analysed := 0, 0
	var rerr error
	seeked := len(wins) > 1 && !d.opt.NoSeek && canSeek(info)
	if seeked {
		// Long compressed recording: decode only the windows.
		r.Close()
		for wi, w := range wins {
			if wi > 0 {
				brk()
			}
			sk, err := media.OpenAudio(ctx, info, media.AudioOptions{SampleRate: int(sr), Channels: nch,
				StartS: float64(w[0]) / sr, DurationS: float64(w[1]-w[0]) / sr})
			if err != nil {
				rerr = err
				break
			}
			for {
				if err := ctx.Err(); err != nil {
					rerr = err
					break
				}
				n, err := sk.Read(buf)
				if fr := min(n/nch, w[1]-w[0]); fr > 0 {
					send(0, fr)
					analysed += fr
				}
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					rerr = fmt.Errorf("decoding audio: %w", err)
					break
				}
			}
			sk.Close()
			if rerr != nil {
				break
			}
		}
		total = int(info.Duration * sr)
	}
	for wi := 0; wi < len(wins) && !seeked; {
		if err := ctx.Err(); err != nil {
			rerr = err
			break
		}
		n, err := r.Read(buf)
		fr := n / nch
		pos := total
		total += fr
		// Send the part of this chunk inside the current window.
		for fr > 0 && wi < len(wins) {
			a, b := max(pos, wins[wi][0]), min(total, wins[wi][1])
			if a < b {
				analysed += b - a
				send(a-pos, b-pos)
			}
			if total < wins[wi][1] {
				break
			}
			wi++
			if wi < len(wins) {
				brk()
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			rerr = fmt.Errorf("decoding audio: %w", err)
			break
		}
	}
	for _, f := range feeds {
		close(f)
	}
	wg.Wait()
	if rerr != nil {
		return nil, rerr
	}
	dur := float64(total) / sr
	if info.Duration > dur {
		dur = info.Duration // stopped early on purpose
	}
	res := &Result{SampleRate: sr, DurationS: dur, AnalysedS: float64(analysed) / sr, Windows: len(wins), Channels: workers, BeaconOnly: lite}
	for _, w := range workers {
		w.spectro.finish()
		res.Spread = append(res.Spread, spreadScores(w, workers[0])...)
		res.Patch = append(res.Patch, patchScores(w, workers[0])...)
	}
	if e := workers[0].echo; e != nil {
		res.Echo = echoScore(e, sr)
	}
	res.Beacon = beaconScore(workers[0].beacon, sr, workers[0].hop)
	return res, nil
}
