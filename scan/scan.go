// Package scan turns command-line paths into a report: it walks folders,
// recognises media by content, runs the detectors on a pool of workers and
// collects their findings. It never prints; progress goes to a callback.
package scan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"tracescan/media"
	"tracescan/report"
	"tracescan/store"
)

// Options configures a scan.
type Options struct {
	Detectors []Detector
	// Jobs is the number of files scanned at once; 0 means one per core.
	Jobs           int
	FollowSymlinks bool
	Include        []string // globs on base name or relative path
	Exclude        []string
	// FileTimeout bounds the work on one file; 0 means no limit.
	FileTimeout time.Duration
	// Platform, when set, guesses the meeting software from the probe.
	Platform func(*media.Info) *report.Platform
	// Store, when set, returns stored results for unchanged files and keeps
	// each finished file's results as soon as it is done.
	Store *store.Store
	// Shard, when Shard.Of > 1, scans only this share of the files.
	Shard Shard
	// Progress is called after each file with the number done and total.
	Progress func(done, total int, path string)
	Logger   *slog.Logger
	Tool     report.Tool

	slots chan struct{}
}

// Run scans paths and returns the report. Problems with single files end up
// in that file's Errors; the error return is only for a cancelled scan.
func Run(ctx context.Context, paths []string, opt Options) (*report.ScanReport, error) {
	start := time.Now()
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	w := walk(paths, walkOptions{followSymlinks: opt.FollowSymlinks, include: opt.Include, exclude: opt.Exclude})
	rep := &report.ScanReport{SchemaVersion: report.SchemaVersion, Tool: opt.Tool}
	for _, p := range w.skipped {
		if opt.Shard.Owns(p) {
			rep.Summary.FilesSkipped++
		}
	}
	for _, pe := range w.errors {
		if opt.Shard.Owns(pe.path) {
			rep.Files = append(rep.Files, report.FileReport{Path: pe.path, Errors: []string{pe.err.Error()}})
		}
	}
	sort.SliceStable(w.files, func(i, j int) bool { return w.files[i].path < w.files[j].path })
	if opt.Shard.Of > 1 {
		w.files = opt.Shard.filter(w.files)
	}
	detKey := detectorKey(opt.Detectors)
	// At most jobs detectors run at once, over all files: one long file
	// still gets every core (its detectors run side by side), and --jobs 1
	// really means one core's worth of work.
	opt.slots = make(chan struct{}, jobs)

	type result struct {
		fr      report.FileReport
		skipped bool
	}
	results := make([]result, len(w.files))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range min(jobs, max(1, len(w.files))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fr, skipped := scanCached(ctx, w.files[i], opt, detKey)
				results[i] = result{fr, skipped}
				mu.Lock()
				done++
				if opt.Progress != nil {
					opt.Progress(done, len(w.files), w.files[i].path)
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range w.files {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("scan cancelled: %w", err)
	}
	for _, r := range results {
		if r.skipped {
			rep.Summary.FilesSkipped++
			continue
		}
		rep.Files = append(rep.Files, r.fr)
	}
	rep.Finalize()
	rep.Summary.ElapsedS = time.Since(start).Seconds()
	return rep, nil
}

// scanCached answers from the store when the file's content and the
// detectors are unchanged, and stores fresh results that have no errors
// (a file that failed is tried again next time).
func scanCached(ctx context.Context, c candidate, opt Options, detKey string) (report.FileReport, bool) {
	if opt.Store == nil {
		return scanFile(ctx, c, opt)
	}
	log := opt.Logger.With("file", c.path)
	key, err := opt.Store.KeyFor(ctx, c.path)
	if err != nil {
		log.Debug("not using the results store", "err", err)
		return scanFile(ctx, c, opt)
	}
	if fr, probe, ok, err := opt.Store.Get(ctx, key, detKey); err != nil {
		log.Warn("results store", "err", err)
	} else if ok {
		fr.Cached = true
		refreshPathDependent(ctx, &fr, probe, opt)
		return fr, false
	}
	fr, info, skipped := scanFileInfo(ctx, c, opt)
	if skipped || len(fr.Errors) > 0 || ctx.Err() != nil {
		return fr, skipped
	}
	probe, err := json.Marshal(info)
	if err != nil {
		log.Warn("results store", "err", err)
		return fr, false
	}
	if err := opt.Store.Put(ctx, key, detKey, fr, probe); err != nil {
		log.Warn("results store", "err", err)
	}
	return fr, false
}

// PathDependent detectors read more than the file's content (its name, its
// folder, side files next to it): their findings are never taken from the
// store, which is keyed by content.
type PathDependent interface {
	DependsOnPath() bool
}

// refreshPathDependent re-runs the path-dependent detectors on a stored
// result, so a renamed or moved copy reports its own name and neighbours.
// The stored probe stands in for a new ffprobe run: same content, same
// streams and tags; only the path is new.
func refreshPathDependent(ctx context.Context, fr *report.FileReport, probe []byte, opt Options) {
	var fresh []Detector
	for _, d := range opt.Detectors {
		if pd, ok := d.(PathDependent); ok && pd.DependsOnPath() {
			fresh = append(fresh, d)
		}
	}
	if len(fresh) == 0 {
		return
	}
	var info media.Info
	if err := json.Unmarshal(probe, &info); err != nil || len(info.Streams) == 0 {
		p, err := media.Probe(ctx, fr.Path)
		if err != nil {
			fr.Errors = append(fr.Errors, reason(ctx, err))
			return
		}
		info = *p
	}
	info.Path = fr.Path
	if opt.Platform != nil {
		fr.Platform = opt.Platform(&info)
	}
	for _, d := range fresh {
		kept := fr.Findings[:0]
		for _, x := range fr.Findings {
			if x.Detector != d.Name() {
				kept = append(kept, x)
			}
		}
		fr.Findings = kept
		fs, err := d.Detect(ctx, &info)
		if err != nil {
			fr.Errors = append(fr.Errors, d.Name()+": "+reason(ctx, err))
		}
		fr.Findings = append(fr.Findings, fs...)
	}
	report.SortFindings(fr.Findings)
}

// Versioned detectors say which version of their logic produced a result,
// so stored results are not reused after a detector changes.
type Versioned interface {
	Version() string
}

// detectorKey names the detector set and versions and the build, e.g.
// "audio@2,metadata@1+3f2a9c81d0e4".
func detectorKey(ds []Detector) string {
	var parts []string
	for _, d := range ds {
		v := "1"
		if vd, ok := d.(Versioned); ok {
			v = vd.Version()
		}
		parts = append(parts, d.Name()+"@"+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",") + "+" + buildID()
}

// buildID identifies the running program's code: results stored by another
// build (an upgrade, a rebuilt binary) are not reused, even where no
// detector's version was raised by hand. It is the source revision when the
// binary was built from a clean checkout, else a hash of the executable.
var buildID = sync.OnceValue(func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" && modified == "false" {
			return rev[:min(12, len(rev))]
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	f, err := os.Open(exe)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unknown"
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
})

// scanFile probes one candidate and runs every detector on it. skipped is
// true for files found in folders that turn out not to be media.
func scanFile(ctx context.Context, c candidate, opt Options) (report.FileReport, bool) {
	fr, _, skipped := scanFileInfo(ctx, c, opt)
	return fr, skipped
}

// scanFileInfo is scanFile that also returns the probe (nil when the file
// could not be probed).
func scanFileInfo(ctx context.Context, c candidate, opt Options) (fr report.FileReport, info *media.Info, skipped bool) {
	start := time.Now()
	fr.Path = c.path
	if opt.FileTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opt.FileTimeout)
		defer cancel()
	}
	defer func() { fr.ElapsedS = time.Since(start).Seconds() }()
	log := opt.Logger.With("file", c.path)
	info, err := media.Probe(ctx, c.path)
	if err != nil {
		// In folders, a file that is not named like media and does not parse
		// as media is simply something else (a PDF, a chat log).
		if !c.explicit && !hasMediaExtension(c.path) && ctx.Err() == nil {
			log.Debug("skipping non-media file", "reason", err)
			return fr, nil, true
		}
		fr.Errors = append(fr.Errors, reason(ctx, err))
		return fr, nil, false
	}
	fr.Media = info.Summary()
	if opt.Platform != nil {
		fr.Platform = opt.Platform(info)
	}
	if empty := emptyMedia(info); empty != "" {
		fr.Errors = append(fr.Errors, empty)
	}

	// Detectors of one file run side by side so that a single long
	// recording still uses both cores.
	type out struct {
		findings []report.Finding
		err      error
	}
	outs := make([]out, len(opt.Detectors))
	var wg sync.WaitGroup
	for i, d := range opt.Detectors {
		if fr.Errors != nil && d.Name() != "metadata" {
			continue // an empty stream has nothing to decode
		}
		if !applies(d.Name(), info) {
			continue
		}
		fr.Scanners = append(fr.Scanners, d.Name())
		wg.Add(1)
		go func() {
			defer wg.Done()
			if opt.slots != nil {
				select {
				case opt.slots <- struct{}{}:
					defer func() { <-opt.slots }()
				case <-ctx.Done():
					outs[i] = out{nil, ctx.Err()}
					return
				}
			}
			t0 := time.Now()
			fs, err := d.Detect(ctx, info)
			log.Debug("detector done", "detector", d.Name(), "findings", len(fs), "seconds", time.Since(t0).Seconds(), "err", err)
			outs[i] = out{fs, err}
		}()
	}
	wg.Wait()
	for i, o := range outs {
		fr.Findings = append(fr.Findings, o.findings...)
		if o.err != nil {
			fr.Errors = append(fr.Errors, opt.Detectors[i].Name()+": "+reason(ctx, o.err))
		}
	}
	return fr, info, false
}

// applies says whether a detector has anything to look at in the file.
func applies(name string, info *media.Info) bool {
	switch name {
	case "audio":
		_, ok := info.Audio()
		return ok
	case "video":
		_, ok := info.Video()
		return ok
	}
	return true
}

// emptyMedia reports a file whose streams hold no time at all.
func emptyMedia(info *media.Info) string {
	if info.Duration > 0 {
		return ""
	}
	for _, s := range info.Streams {
		if s.Duration > 0 || s.Frames > 0 {
			return ""
		}
	}
	return "media has no content (duration 0 s)"
}

// reason turns an error into the one-line reason shown to the user.
func reason(ctx context.Context, err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out (see --timeout)"
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return "cancelled"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return DescribeStat(err).Error()
	}
	return err.Error()
}
