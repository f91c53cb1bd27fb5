// Package audiodiff compares the audio of two copies of one meeting. The
// copies share the meeting and differ in their personal marks, so once they
// are aligned (offset, clock drift, gain) and subtracted, what is left is
// codec noise plus the difference of the marks. The residual is tested
// against what two codecs alone leave: codec noise follows the host and
// never repeats, a personal mark repeats its payload every few seconds.
package audiodiff

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	"tracescan/media"
	"tracescan/report"
)

// Options tunes a comparison.
type Options struct {
	// MaxOffsetS is the largest offset between the copies searched; 0
	// means 300 s.
	MaxOffsetS float64
}

// ErrNoAlignment means the two copies could not be lined up.
var ErrNoAlignment = errors.New("the copies do not line up: they do not look like recordings of the same meeting")

// Result is the outcome of a comparison.
type Result struct {
	// OffsetS is the time in B of A's t=0: B = A shifted by OffsetS, so a
	// positive offset means B starts earlier in the meeting (B has extra
	// audio before A's start). With drift, tB = OffsetS + (1+Drift) tA.
	OffsetS float64
	// Drift is the relative clock drift (B rate / A rate - 1).
	Drift float64
	// GainDB is B's level relative to A's (300-4000 Hz).
	GainDB float64
	// Flagged is set when a copy difference beyond what two codecs leave
	// was found (exactly when Findings holds a copy_difference finding).
	Flagged  bool
	Findings []report.Finding
	// Measurements, for tables and tests.
	Stats Stats
}

// Stats are the measurements behind the decision.
type Stats struct {
	AlignRMSUs   float64 // RMS of the fine lag residuals after the fit, microseconds
	AlignChunks  int     // chunks that timed the alignment
	EnvNCC       float64 // whole-file envelope correlation (same meeting: near 1)
	ResidualDB   float64 // residual RMS relative to the host, dB
	ExcessDB     float64 // residual power over the codec floor model, dB
	WaveP        float64 // p-value of the residual waveform repeat
	WaveLagS     float64
	WaveRho      float64
	PatternP     float64 // p-value of the level-pattern repeat
	PatternLagS  float64
	PatternRho   float64
	OverlapS     float64 // seconds of A analysed
	HideableDB   float64 // weakest mark the test would still see, dB below host
	AnalysedFrom float64
	AnalysedTo   float64
}

const (
	defaultMaxOffset = 300.0
	winMaxS          = 45.0 // analysis windows: bounded memory whatever the length
	maxWindows       = 6
	minOverlapS      = 8.0
	silentRMS        = 1e-4 // -80 dBFS
	minGlobalNCC     = 0.45
	// Residual louder than this relative to the shared part means the
	// copies do not hold the same audio.
	maxResidualDB = -6.0
)

// Compare aligns copy b to copy a, subtracts and tests the residual.
func Compare(ctx context.Context, a, b *media.Info, opt Options) (*Result, error) {
	maxOff := opt.MaxOffsetS
	if maxOff <= 0 {
		maxOff = defaultMaxOffset
	}
	ea, rmsA, err := envelope(ctx, a)
	if err != nil {
		return nil, err
	}
	eb, rmsB, err := envelope(ctx, b)
	if err != nil {
		return nil, err
	}
	if rmsA < silentRMS && rmsB < silentRMS {
		return silentResult(), nil
	}
	if rmsA < silentRMS || rmsB < silentRMS {
		return nil, fmt.Errorf("%w: one copy is silent", ErrNoAlignment)
	}
	if len(ea[0]) < int(minOverlapS*envFPS) || len(eb[0]) < int(minOverlapS*envFPS) {
		return nil, fmt.Errorf("audio too short to compare (%.1f s and %.1f s)", float64(len(ea[0]))/envFPS, float64(len(eb[0]))/envFPS)
	}
	m, envNCC, err := coarseAlign(ctx, ea, eb, maxOff)
	if err != nil {
		return nil, err
	}
	durA, durB := float64(len(ea[0]))/envFPS, float64(len(eb[0]))/envFPS
	t0 := math.Max(0, -m.o/(1+m.d)) + 0.5
	t1 := math.Min(durA, (durB-m.o)/(1+m.d)) - 0.5
	if t1-t0 < minOverlapS {
		return nil, fmt.Errorf("%w: the copies overlap for only %.1f s", ErrNoAlignment, math.Max(0, t1-t0))
	}
	nWin := min(maxWindows, int(math.Ceil((t1-t0)/winMaxS)))
	winLen := math.Min(winMaxS, (t1-t0)/float64(nWin))
	var ws []*window
	for i := 0; i < nWin; i++ {
		s := t0 + (t1-t0-winLen*float64(nWin))*(float64(i)+0.5)/float64(nWin) + winLen*float64(i)
		w, err := loadWindow(ctx, a, b, m, s, winLen)
		if err != nil {
			return nil, err
		}
		if len(w.a) < stftN*8 {
			continue
		}
		ws = append(ws, w)
	}
	if len(ws) == 0 {
		return nil, fmt.Errorf("%w: no audio decoded in the overlap", ErrNoAlignment)
	}
	// Fine alignment: chunk lags, refit, resample; the search narrows as
	// the model improves.
	var nChunks int
	var rms float64
	for _, lag := range []int{int(0.3 * fineRate), 48} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m, nChunks, rms = refine(ws, m, lag)
	}
	if nChunks < 2 || rms > 1e-3 {
		return nil, fmt.Errorf("%w: the fine timing does not agree (%d chunks, %.2f ms spread)", ErrNoAlignment, nChunks, rms*1e3)
	}
	// Two windows at a time: the analysis is the costly part, and each
	// window's working set is bounded.
	stats := make([]*winStats, len(ws))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() == nil {
				stats[i] = analyse(w)
				ws[i] = nil // release the decoded audio
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Result{OffsetS: m.o, Drift: m.d}
	res.Stats.AlignRMSUs = rms * 1e6
	res.Stats.AlignChunks = nChunks
	res.Stats.EnvNCC = envNCC
	res.GainDB = gainDB(stats)
	var eR, eS float64
	for _, st := range stats {
		eR += math.Pow(10, st.resDB/10)
		eS += math.Pow(10, st.hostDB/10)
	}
	res.Stats.ResidualDB = 10 * math.Log10(eR/eS)
	if res.Stats.ResidualDB > maxResidualDB {
		return nil, fmt.Errorf("%w: after alignment the copies still differ at %.1f dB of their level", ErrNoAlignment, res.Stats.ResidualDB)
	}
	decide(res, stats)
	return res, nil
}

// gainDB is B's level relative to A's in the speech band.
func gainDB(stats []*winStats) float64 {
	var pa, pb float64
	for _, st := range stats {
		pa += st.pA
		pb += st.pB
	}
	if pa <= 0 || pb <= 0 {
		return 0
	}
	return 10 * math.Log10(pb/pa)
}

func silentResult() *Result {
	f := report.Finding{
		Kind:         report.KindInconclusive,
		Severity:     report.Info,
		Detector:     "audiodiff",
		Copy:         "both",
		Method:       "residual_excess",
		Title:        "Both copies are silent: no audio to compare",
		ScoreMeaning: "no measurement: both tracks are below -80 dBFS",
		Advice:       "Nothing in the audio distinguishes the copies.",
	}
	return &Result{Findings: []report.Finding{f}}
}
