// Package compare puts two copies of one meeting side by side: personal
// marks differ between copies while the meeting is the same, so what
// differs after alignment is the marks, of any scheme. The audio and video
// halves live in compare/audiodiff and compare/videodiff; this package
// probes both copies, runs the halves that apply at once, and gathers
// their findings into one report.
package compare

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"tracescan/compare/audiodiff"
	"tracescan/compare/videodiff"
	"tracescan/media"
	"tracescan/report"
)

// Options chooses what is compared.
type Options struct {
	// Audio and Video switch the halves on; both false means both on.
	Audio, Video bool
	AudioOptions audiodiff.Options
	VideoOptions videodiff.Options
}

// ErrNoAlignment reports copies that do not line up in any medium compared:
// they are not recordings of the same meeting.
var ErrNoAlignment = errors.New("the copies do not line up: they do not look like recordings of the same meeting")

// ErrNothingInCommon reports copies without a stream kind in common.
var ErrNothingInCommon = errors.New("the copies have no audio or video stream in common to compare")

// InputError names the copy that could not be read.
type InputError struct {
	Path string
	Err  error
}

func (e *InputError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Compare compares copy a with copy b. The report's Path is a and its
// ComparedWith b. Unreadable copies give an *InputError; copies that align
// in no medium give ErrNoAlignment. A medium that fails while another
// succeeds is recorded in the report's Errors.
func Compare(ctx context.Context, pathA, pathB string, opt Options) (*report.FileReport, error) {
	start := time.Now()
	if !opt.Audio && !opt.Video {
		opt.Audio, opt.Video = true, true
	}
	var infos [2]*media.Info
	for i, p := range []string{pathA, pathB} {
		info, err := media.Probe(ctx, p)
		if err != nil {
			return nil, &InputError{Path: p, Err: err}
		}
		infos[i] = info
	}
	a, b := infos[0], infos[1]
	_, aAudio := a.Audio()
	_, bAudio := b.Audio()
	_, aVideo := a.Video()
	_, bVideo := b.Video()
	doAudio := opt.Audio && aAudio && bAudio
	doVideo := opt.Video && aVideo && bVideo
	if !doAudio && !doVideo {
		return nil, ErrNothingInCommon
	}

	type half struct {
		name     string
		findings []report.Finding
		err      error
	}
	var halves []half
	var mu sync.Mutex
	var wg sync.WaitGroup
	run := func(name string, fn func() ([]report.Finding, error)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fs, err := fn()
			mu.Lock()
			halves = append(halves, half{name, fs, err})
			mu.Unlock()
		}()
	}
	if doAudio {
		run("audio", func() ([]report.Finding, error) {
			r, err := audiodiff.Compare(ctx, a, b, opt.AudioOptions)
			if err != nil {
				return nil, err
			}
			return r.Findings, nil
		})
	}
	if doVideo {
		run("video", func() ([]report.Finding, error) {
			r, err := videodiff.Compare(ctx, a, b, opt.VideoOptions)
			if err != nil {
				return nil, err
			}
			return r.Findings, nil
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	fr := &report.FileReport{Path: pathA, ComparedWith: pathB, Media: a.Summary(), Findings: []report.Finding{}, Errors: []string{}}
	aligned, unaligned := 0, 0
	for _, h := range halves {
		fr.Scanners = append(fr.Scanners, h.name)
		switch {
		case h.err == nil:
			aligned++
			fr.Findings = append(fr.Findings, h.findings...)
		case errors.Is(h.err, audiodiff.ErrNoAlignment), errors.Is(h.err, videodiff.ErrNoAlignment):
			// An error of its own only when no medium aligns; otherwise a note.
			unaligned++
			fr.Errors = append(fr.Errors, fmt.Sprintf("%s: %v", h.name, h.err))
		default:
			fr.Errors = append(fr.Errors, fmt.Sprintf("%s comparison: %v", h.name, h.err))
		}
	}
	if aligned == 0 && unaligned > 0 {
		return nil, ErrNoAlignment
	}
	report.SortFindings(fr.Findings)
	fr.ElapsedS = time.Since(start).Seconds()
	return fr, nil
}
