// Package metadata finds what a recording says about its recorder outside the
// picture and the sound: container, stream and chapter tags, the names of the
// file and its folders, side files left next to it (chat logs, captions), and
// the meeting software that made it, which tells which watermarks to look for.
//
// Everything read from the file system or the media is hostile: it passes
// through identity.Clean before it reaches a finding.
package metadata

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"tracescan/identity"
	"tracescan/media"
	"tracescan/report"
)

// Detector is the metadata and naming detector. Its zero value is not
// usable; call New. It keeps no state between files, so one Detector may
// serve every worker of a scan.
type Detector struct {
	// MaxSideFileBytes bounds how much of each side file is read.
	MaxSideFileBytes int64
	// MaxSideFiles bounds how many side files are inspected per recording
	// (a folder of thousands of .vtt files should not stall a scan).
	MaxSideFiles int
	// ParentLevels is how many parent folders are checked for names.
	ParentLevels int
}

// New returns a detector with the default limits.
func New() *Detector {
	return &Detector{MaxSideFileBytes: 1 << 20, MaxSideFiles: 32, ParentLevels: 2}
}

// Name is the scanner name used by --scanners.
func (d *Detector) Name() string { return "metadata" }

// Version changes whenever the detector's logic changes, so that stored
// results are not reused across versions (scan.Versioned).
func (d *Detector) Version() string { return "1" }

// DependsOnPath is true: findings come from the file name, its folders and
// the side files beside it, not only from its content.
func (d *Detector) DependsOnPath() bool { return true }

// scoreExact is the score of a finding read verbatim from the file.
const (
	scoreExact        = 1.0
	scoreMeaningExact = "read verbatim from the file, not a statistical estimate"
)

// Detect returns tag, chapter, file-name, side-file and platform findings.
func (d *Detector) Detect(ctx context.Context, info *media.Info) ([]report.Finding, error) {
	if info == nil {
		return nil, fmt.Errorf("metadata: no media info")
	}
	var out []report.Finding
	out = append(out, d.tagFindings(info)...)
	out = append(out, d.chapterFindings(info)...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out = append(out, d.nameFindings(info)...)
	side, err := d.sideFileFindings(ctx, info)
	if err != nil {
		return nil, err
	}
	out = append(out, side...)
	out = append(out, platformFinding(info, Fingerprint(info)))
	for i := range out {
		out[i].Detector = d.Name()
		if out[i].Score == 0 {
			out[i].Score = scoreExact
			out[i].ScoreMeaning = scoreMeaningExact
		}
	}
	report.SortFindings(out)
	return out, nil
}

// ---- tags ----

// tagClass says how a tag key is judged.
type tagClass int

const (
	classText     tagClass = iota // free text set by a person or an app: title, comment, artist
	classDevice                   // device make and model
	classSoftware                 // software name and version
	classLocation                 // GPS position
	classTime                     // creation time
	classEncoder                  // muxer/encoder library string
	classHandler                  // MP4 handler names
	classVendor                   // MP4 vendor id
	classOther                    // unknown keys: could hold anything
)

// ignoredTags carry no information about the recorder.
var ignoredTags = map[string]bool{
	"major_brand": true, "minor_version": true, "compatible_brands": true,
	"language": true, "duration": true, "number_of_frames": true, "number_of_bytes": true,
	"_statistics_tags": true, "_statistics_writing_app": true, "_statistics_writing_date_utc": true,
	"bps": true, "timecode": true, "rotate": true,
}

func classify(key string) tagClass {
	k := strings.ToLower(key)
	k = strings.TrimPrefix(k, "com.apple.quicktime.")
	switch {
	case k == "location" || strings.HasPrefix(k, "location-") || strings.HasPrefix(k, "location.iso6709") ||
		k == "gps" || strings.HasPrefix(k, "location.") || k == "xyz" || k == "©xyz":
		return classLocation
	case k == "make" || k == "model" || k == "camera_make" || k == "camera_model" || k == "device":
		return classDevice
	case k == "software" || k == "encoding_tool" || k == "creator_tool" || k == "tool" || k == "writing_app":
		return classSoftware
	case k == "creation_time" || k == "creationdate" || k == "date" || k == "date_recorded" ||
		k == "creation_date" || k == "year":
		return classTime
	case k == "encoder" || k == "encoded_by" || k == "muxing_app" || k == "writing_library":
		return classEncoder
	case k == "handler_name":
		return classHandler
	case k == "vendor_id":
		return classVendor
	case k == "title" || k == "comment" || k == "artist" || k == "author" || k == "album_artist" ||
		k == "album" || k == "composer" || k == "copyright" || k == "description" || k == "synopsis" ||
		k == "displayname" || k == "keywords" || k == "performer" || k == "publisher" || k == "show" ||
		k == "lyrics" || k == "subtitle" || k == "owner" || k == "user" || k == "account" ||
		k == "organization" || k == "director" || k == "producer" || k == "genre":
		return classText
	}
	return classOther
}

var (
	reGenericEncoder = regexp.MustCompile(`(?i)^(?:lavf|lavc|libavformat|libavcodec|ffmpeg|x264|x265|handbrake|gpac|mp4v2|isomedia|google|apple|core media|qaac|lame|nero|l-smash|mkvmerge|libebml|libmatroska|libvpx|libopus|libvorbis|vorbis|opus)`)
	reGenericHandler = regexp.MustCompile(`(?i)^(?:videohandler|soundhandler|subtitlehandler|datahandler|texthandler|hint|(?:apple|core media|mainconcept|gpac iso|l-smash|alias) .*(?:handler|video|audio|sound|data|metadata|text)|iso media file produced by google inc\.?.*|gopro .*|chapters?)$`)
	reGenericText    = regexp.MustCompile(`(?i)^(?:|untitled|untitled video|video|audio|movie|recording|new recording|screen recording|sound|track ?\d*|clip|unknown|none|n/a|-+|zoom meeting|zoom|meeting recording|meeting|microsoft teams|teams|google meet|webex|webex meeting)$`)
	// ISO 6709: +52.5200+013.4050+034.000/ (latitude, longitude, altitude).
	reISO6709 = regexp.MustCompile(`^([+-]\d{1,3}(?:\.\d+)?)([+-]\d{1,3}(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?(?:CRS[^/]*)?/?$`)
)

type tagHit struct {
	keys  []string
	name  string // tag name without the scope, e.g. "title"
	value string // cleaned value
	class tagClass
}

// tagFindings groups equal values of the same tag across the container and
// its streams (an MP4 repeats creation_time in every track) into one finding.
func (d *Detector) tagFindings(info *media.Info) []report.Finding {
	var hits []*tagHit
	index := map[string]*tagHit{}
	addTags := func(scope string, tags map[string]string) {
		keys := make([]string, 0, len(tags))
		for k := range tags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, rawKey := range keys {
			// Keys are as hostile as values.
			k := identity.CleanOpt(rawKey, false, 128)
			name := strings.ToLower(k)
			if ignoredTags[name] || name == "" {
				continue
			}
			v := identity.Clean(tags[rawKey])
			if v == "" {
				continue
			}
			cls := classify(name)
			if cls == classVendor && strings.Trim(v, "[]0") == "" {
				continue // "[0][0][0][0]": no vendor recorded
			}
			if cls == classTime {
				v = normTime(v)
			}
			gk := name + "\x00" + v
			if h, ok := index[gk]; ok {
				h.keys = append(h.keys, scope+":"+k)
				continue
			}
			h := &tagHit{keys: []string{scope + ":" + k}, name: name, value: v, class: cls}
			index[gk] = h
			hits = append(hits, h)
		}
	}
	addTags("format", info.Tags)
	for _, s := range info.Streams {
		addTags("stream"+strconv.Itoa(s.Index), s.Tags)
	}
	cmd := stripCommand(info.Path)
	var out []report.Finding
	for _, h := range hits {
		out = append(out, tagFinding(h, cmd))
	}
	return out
}

func tagFinding(h *tagHit, cmd string) report.Finding {
	ids := identity.Find(h.value)
	f := report.Finding{
		Kind:       report.KindMetadata,
		Key:        strings.Join(h.keys, ","),
		Text:       h.value,
		Identities: ids,
		Command:    cmd,
		Advice:     "Strip all container, stream and chapter metadata before publishing (the command copies the streams without re-encoding).",
	}
	// Show the key as the file spells it (com.apple.quicktime.location.ISO6709).
	where := "Tag " + h.name
	if _, k, ok := strings.Cut(h.keys[0], ":"); ok {
		where = "Tag " + k
	}
	if len(h.keys) > 1 {
		where += fmt.Sprintf(" (in %d places)", len(h.keys))
	}
	person := personIdentities(ids)
	switch {
	case len(person) > 0:
		f.Severity = report.High
		f.Title = fmt.Sprintf("%s holds %s", where, describeIdentities(person))
	case h.class == classLocation:
		f.Severity = report.High
		// The position is an identity so that --redact masks it; the
		// title does not repeat it.
		f.Identities = append(f.Identities, report.Identity{Type: identity.TypeLocation, Value: h.value})
		if reISO6709.MatchString(h.value) {
			f.Title = where + " holds the GPS position where it was recorded"
		} else {
			f.Title = where + " holds a recording location"
		}
	case len(ids) > 0: // meeting codes and numbers identify the meeting
		f.Severity = report.Medium
		f.Title = fmt.Sprintf("%s holds %s", where, describeIdentities(ids))
	case h.class == classDevice:
		f.Severity = report.Medium
		f.Title = where + " names the recording device"
	case h.class == classText:
		if reGenericText.MatchString(h.value) {
			f.Severity = report.Low
			f.Title = where + " holds a generic text"
		} else {
			f.Severity = report.Medium
			f.Title = where + " holds text that may identify the meeting or its recorder"
		}
	case h.class == classOther:
		// Unknown keys are reported so that nothing is silently kept, but
		// without a recognised identity they are weak evidence.
		f.Severity = report.Low
		f.Title = where + " (unrecognised tag) may carry information about the recording"
	case h.class == classTime:
		f.Severity = report.Low
		f.Title = where + " dates the meeting: " + h.value
	case h.class == classSoftware:
		f.Severity = report.Low
		f.Title = where + " names the recording software"
	case h.class == classEncoder:
		if reGenericEncoder.MatchString(h.value) {
			f.Severity = report.Info
			f.Title = where + " is a generic encoder string"
			f.Advice = "Harmless on its own; -fflags +bitexact (in the command) drops it."
		} else {
			f.Severity = report.Low
			f.Title = where + " names the software that wrote the file"
		}
	case h.class == classHandler:
		if reGenericHandler.MatchString(h.value) {
			f.Severity = report.Info
			f.Title = where + " is a generic track handler name"
			f.Advice = "Harmless on its own; the command resets it."
		} else {
			f.Severity = report.Low
			f.Title = where + " is a non-standard track handler name (it can name the recording app)"
		}
	case h.class == classVendor:
		f.Severity = report.Low
		f.Title = where + " names the vendor of the software that wrote the track"
	default:
		f.Severity = report.Low
		f.Title = where
	}
	return f
}

// personIdentities keeps identities that point at a person.
func personIdentities(ids []report.Identity) []report.Identity {
	var out []report.Identity
	for _, id := range ids {
		switch id.Type {
		case identity.TypeEmail, identity.TypeLocalPart, identity.TypePhone, identity.TypeName:
			out = append(out, id)
		}
	}
	return out
}

func describeIdentities(ids []report.Identity) string {
	words := map[string]string{
		identity.TypeEmail: "an email address", identity.TypeLocalPart: "an email user name",
		identity.TypePhone: "a phone number", identity.TypeName: "a personal name",
		identity.TypeMeetingCode: "a Google Meet code", identity.TypeMeetingNumber: "a meeting number",
	}
	var parts []string
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id.Type] {
			continue
		}
		seen[id.Type] = true
		w := words[id.Type]
		if w == "" {
			w = id.Type
		}
		parts = append(parts, w)
	}
	switch len(parts) {
	case 0:
		return "nothing"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// normTime writes parseable timestamps in one form so that the container's
// "2024-05-01T10:02:33Z" and a track's "2024-05-01T10:02:33.000000Z" group.
func normTime(v string) string {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC().Format("2006-01-02 15:04:05 UTC")
		}
	}
	return v
}

// stripCommand is the ffmpeg command that copies the audio and video streams
// without any container, stream or chapter metadata. Mapping only a/v drops
// the chapter text track MP4 adds; +bitexact drops the "Lavf" encoder tag.
// The output gets a neutral name because the original may itself identify.
func stripCommand(path string) string {
	out := filepath.Join(filepath.Dir(path), "recording-clean"+cleanExt(path))
	return "ffmpeg -i " + shellQuote(path) +
		" -map 0:v? -map 0:a? -map_metadata -1 -map_metadata:s:v -1 -map_metadata:s:a -1 -map_chapters -1" +
		" -c copy -fflags +bitexact -flags:v +bitexact -flags:a +bitexact " + shellQuote(out)
}

// cleanExt is the file's extension if it is a plain one, else .mp4.
func cleanExt(path string) string {
	ext := strings.ToLower(filepath.Ext(path))
	if len(ext) < 2 || len(ext) > 6 || strings.ContainsAny(ext, " '\"\\$`") {
		return ".mp4"
	}
	return ext
}

// shellQuote quotes s for a POSIX shell when it needs it. Control characters
// are removed first: a command in a report must not carry escape sequences.
func shellQuote(s string) string {
	s = identity.CleanOpt(s, false, 1<<16)
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./-_", r)) {
			safe = false
			break
		}
	}
	if safe && !strings.HasPrefix(s, "-") {
		return s
	}
	if strings.HasPrefix(s, "-") {
		s = "./" + s // keep ffmpeg and mv from reading it as an option
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ---- chapters ----

func (d *Detector) chapterFindings(info *media.Info) []report.Finding {
	var out []report.Finding
	cmd := stripCommand(info.Path)
	for i, c := range info.Chapters {
		title := ""
		key := ""
		for k, v := range c.Tags {
			if strings.EqualFold(k, "title") {
				title, key = identity.Clean(v), identity.Clean(k)
			}
		}
		f := report.Finding{
			Kind:      report.KindMetadata,
			Key:       fmt.Sprintf("chapter%d:%s", i, firstNonEmpty(key, "title")),
			Text:      title,
			TimeStart: report.Ptr(c.Start),
			TimeEnd:   report.Ptr(c.End),
			Command:   cmd,
			Advice:    "Drop the chapters before publishing (-map_chapters -1 in the command).",
			Severity:  report.Low,
		}
		ids := identity.Find(title)
		f.Identities = ids
		lt := strings.ToLower(title)
		switch {
		case len(personIdentities(ids)) > 0:
			f.Severity = report.High
			f.Title = fmt.Sprintf("Chapter %d title holds %s", i, describeIdentities(personIdentities(ids)))
		case strings.Contains(lt, "sharing started") || strings.Contains(lt, "sharing stopped") ||
			strings.Contains(lt, "screen share") || strings.Contains(lt, "screen sharing"):
			verb := "started"
			if strings.Contains(lt, "stopped") {
				verb = "stopped"
			}
			f.Title = fmt.Sprintf("Chapter marker shows a screen share %s at %s (Zoom writes these)", verb, clock(c.Start))
			f.Advice = "The marker reveals that and when a screen was shared; shared screens are where Zoom draws its " +
				"visible watermark, so also run the video scanner on that range. Drop the chapters before publishing."
		case title == "":
			f.Severity = report.Info
			f.Title = fmt.Sprintf("Chapter %d (no title) at %s", i, clock(c.Start))
		default:
			f.Title = fmt.Sprintf("Chapter %d title at %s", i, clock(c.Start))
		}
		out = append(out, f)
	}
	return out
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// clock writes seconds as h:mm:ss or m:ss.
func clock(s float64) string {
	if s < 0 {
		s = 0
	}
	t := int(s + 0.5)
	h, m, sec := t/3600, t/60%60, t%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%d:%02d", m, sec)
}
