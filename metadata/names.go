package metadata

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"

	"tracescan/identity"
	"tracescan/media"
	"tracescan/report"
)

// Platform names, as in report.Platform.Name.
const (
	PlatformZoomLocal  = "zoom_local"
	PlatformZoomCloud  = "zoom_cloud"
	PlatformTeams      = "teams"
	PlatformGoogleMeet = "google_meet"
	PlatformWebex      = "webex"
	PlatformUnknown    = "unknown"
)

// nameHit is one thing a file or folder name gives away.
type nameHit struct {
	platform string // platform the naming scheme belongs to, "" if none
	what     string // plain-language description
	severity report.Severity
	ids      []report.Identity
}

var (
	reZoomLocalFile  = regexp.MustCompile(`^zoom_\d+$`)
	reZoomAudioOnly  = regexp.MustCompile(`^audio_only$`)
	reZoomConvert    = regexp.MustCompile(`^double_click_to_convert_\d+$`)
	reZoomPartAudio  = regexp.MustCompile(`audio((?:\p{Lu}[\p{L}\p{M}'’-]*)+)(\d{5,})\b`)
	reZoomFolder     = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}) (\d{2})\.(\d{2})\.(\d{2}) (.+)$`)
	reZoomFolderHost = regexp.MustCompile(`^(.+?)['’]s (?:Zoom Meeting|Personal Meeting Room)(?: \d+)?$`)
	reZoomCloud      = regexp.MustCompile(`^GMT(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:_(.*))?$`)
	reTeams          = regexp.MustCompile(`^(.*?)-(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})-Meeting Recording$`)
	reTeamsLoose     = regexp.MustCompile(`(?i)\bmeeting recording\b`)
	reTeamsChannel   = regexp.MustCompile(`Meeting in _(.+?)_`)
	reMeet           = regexp.MustCompile(`^(.+?) \((\d{4}-\d{2}-\d{2}) at (\d{1,2})[_:](\d{2}) (GMT[+-]?[\d:]*)\)(?: - Recording)?$`)
	reMeetLoose      = regexp.MustCompile(`(?i)^(.+?) - \d{4}[/_-]\d{2}[/_-]\d{2} \d{1,2}[_:]\d{2} GMT[+-]?[\d:_]* - Recording$`)
	reWebex          = regexp.MustCompile(`^(.+?)-(\d{4})(\d{2})(\d{2}) (\d{2})(\d{2})-(\d+)$`)
	reWebexHost      = regexp.MustCompile(`^(.+?)['’]s Personal Room$`)
	reWebexRoom      = regexp.MustCompile(`(?i)\bpersonal room\b`)
	reDateInName     = regexp.MustCompile(`(?:19|20)\d{2}[-_.]?(?:0[1-9]|1[0-2])[-_.]?(?:0[1-9]|[12]\d|3[01])`)
	reGenericTopic   = regexp.MustCompile(`(?i)^(?:meeting|zoom meeting|meeting in _general_|recording|untitled|call|video call)$`)
)

// splitCamel turns "AnnaSchmidt" into "Anna Schmidt".
func splitCamel(s string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range s {
		if unicode.IsUpper(r) && prevLower {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prevLower = unicode.IsLower(r)
	}
	return b.String()
}

// analyzeName reports what one path component (a file name without its
// extension, or a folder name) gives away.
func analyzeName(stem string, isDir bool) []nameHit {
	var hits []nameHit
	add := func(h nameHit) { hits = append(hits, h) }
	nameID := func(v string) []report.Identity {
		v = strings.TrimSpace(v)
		if v == "" {
			return nil
		}
		return []report.Identity{{Type: identity.TypeName, Value: v}}
	}
	if !isDir {
		switch {
		case reZoomLocalFile.MatchString(stem):
			add(nameHit{platform: PlatformZoomLocal, severity: report.Low,
				what: "Zoom's local recording name (" + stem + ")"})
		case reZoomAudioOnly.MatchString(stem):
			add(nameHit{platform: PlatformZoomLocal, severity: report.Low,
				what: "Zoom's local audio-only recording name"})
		case reZoomConvert.MatchString(stem):
			add(nameHit{platform: PlatformZoomLocal, severity: report.Low,
				what: "an unconverted Zoom local recording"})
		}
		if m := reZoomPartAudio.FindStringSubmatch(stem); m != nil {
			add(nameHit{platform: PlatformZoomLocal, severity: report.High, ids: nameID(splitCamel(m[1])),
				what: "Zoom's per-participant audio file, named after the participant " + splitCamel(m[1])})
		}
	}
	if m := reZoomFolder.FindStringSubmatch(stem); m != nil {
		topic := m[5]
		h := nameHit{platform: PlatformZoomLocal, severity: report.Medium,
			what: fmt.Sprintf("Zoom's local recording folder: meeting on %s at %s:%s:%s, topic %q", m[1], m[2], m[3], m[4], topic)}
		if hm := reZoomFolderHost.FindStringSubmatch(topic); hm != nil {
			h.ids = nameID(hm[1])
			h.severity = report.High
			h.what = fmt.Sprintf("Zoom's local recording folder: %s's meeting on %s at %s:%s:%s", hm[1], m[1], m[2], m[3], m[4])
		} else if reGenericTopic.MatchString(topic) {
			h.severity = report.Low
		}
		add(h)
	}
	if m := reZoomCloud.FindStringSubmatch(stem); m != nil {
		view := ""
		rest := strings.ToLower(m[7])
		switch {
		case strings.Contains(rest, "_avo") || strings.HasPrefix(rest, "avo"):
			view = ", active-speaker view"
		case strings.Contains(rest, "_gvo") || strings.HasPrefix(rest, "gvo"):
			view = ", gallery view"
		case strings.Contains(rest, "_as_") || strings.HasSuffix(rest, "_as") || strings.HasPrefix(rest, "as_"):
			view = ", shared-screen view"
		case strings.Contains(rest, "gallery"):
			view = ", gallery view"
		}
		add(nameHit{platform: PlatformZoomCloud, severity: report.Low,
			what: fmt.Sprintf("Zoom cloud recording name: meeting started %s-%s-%s %s:%s:%s GMT%s", m[1], m[2], m[3], m[4], m[5], m[6], view)})
	}
	if m := reTeams.FindStringSubmatch(stem); m != nil {
		h := nameHit{platform: PlatformTeams, severity: report.Low,
			what: fmt.Sprintf("Microsoft Teams recording name: meeting on %s-%s-%s at %s:%s:%s", m[2], m[3], m[4], m[5], m[6], m[7])}
		topic := strings.TrimSpace(m[1])
		if cm := reTeamsChannel.FindStringSubmatch(topic); cm != nil {
			h.what += fmt.Sprintf(", held in channel %q", cm[1])
			if !strings.EqualFold(cm[1], "General") {
				h.severity = report.Medium
			}
		} else if topic != "" && !reGenericTopic.MatchString(topic) {
			h.what += fmt.Sprintf(", title %q", topic)
			h.severity = report.Medium
		}
		add(h)
	} else if reTeamsLoose.MatchString(stem) {
		add(nameHit{platform: PlatformTeams, severity: report.Low, what: "Microsoft Teams' \"Meeting Recording\" naming"})
	}
	if m := reMeet.FindStringSubmatch(stem); m != nil {
		h := nameHit{platform: PlatformGoogleMeet, severity: report.Low,
			what: fmt.Sprintf("Google Meet recording name: meeting on %s at %s:%s %s", m[2], m[3], m[4], m[5])}
		if !reGenericTopic.MatchString(m[1]) {
			h.severity = report.Medium
			h.what += fmt.Sprintf(", meeting %q", m[1])
		}
		add(h)
	} else if m := reMeetLoose.FindStringSubmatch(stem); m != nil {
		add(nameHit{platform: PlatformGoogleMeet, severity: report.Medium,
			what: fmt.Sprintf("Google Meet recording name, meeting %q", m[1])})
	}
	if m := reWebex.FindStringSubmatch(stem); m != nil {
		h := nameHit{platform: PlatformWebex, severity: report.Low,
			what: fmt.Sprintf("Webex recording name: meeting on %s-%s-%s at %s:%s", m[2], m[3], m[4], m[5], m[6])}
		if hm := reWebexHost.FindStringSubmatch(m[1]); hm != nil {
			h.ids = nameID(hm[1])
			h.severity = report.High
			h.what += ", in " + hm[1] + "'s personal room"
		} else if !reGenericTopic.MatchString(m[1]) {
			h.severity = report.Medium
			h.what += fmt.Sprintf(", topic %q", m[1])
		}
		add(h)
	} else if reWebexRoom.MatchString(stem) {
		add(nameHit{platform: PlatformWebex, severity: report.Medium, what: "a Webex personal room name"})
	}
	if len(hits) == 0 && reDateInName.MatchString(stem) {
		add(nameHit{severity: report.Low, what: "a date, which dates the meeting"})
	}
	// Any other identity in the name, e.g. an email in a folder name.
	known := map[string]bool{}
	for _, h := range hits {
		for _, id := range h.ids {
			known[id.Type+"\x00"+strings.ToLower(id.Value)] = true
		}
	}
	var ids []report.Identity
	for _, id := range identity.Find(stem) {
		if !known[id.Type+"\x00"+strings.ToLower(id.Value)] {
			ids = append(ids, id)
		}
	}
	if len(ids) > 0 {
		sev := report.Medium
		if len(personIdentities(ids)) > 0 {
			sev = report.High
		}
		add(nameHit{severity: sev, ids: ids, what: describeIdentities(ids)})
	}
	return hits
}

// nameFindings checks the file name and up to ParentLevels parent folders.
func (d *Detector) nameFindings(info *media.Info) []report.Finding {
	var out []report.Finding
	base := filepath.Base(info.Path)
	ext := filepath.Ext(base)
	if f, ok := nameFinding(strings.TrimSuffix(base, ext), base, false, info.Path, 0); ok {
		out = append(out, f)
	}
	dir := parentDir(info.Path)
	for level := 1; level <= d.ParentLevels && dir != ""; level++ {
		name := filepath.Base(dir)
		if name == "/" || name == "." || name == string(filepath.Separator) || name == "" {
			break
		}
		if f, ok := nameFinding(name, name, true, dir, level); ok {
			out = append(out, f)
		}
		next := filepath.Dir(dir)
		if next == dir {
			break
		}
		dir = next
	}
	return out
}

// parentDir is the absolute folder holding path ("" when unknown), so that
// a relative "zoom_0.mp4" still has its folder name checked.
func parentDir(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	return filepath.Dir(abs)
}

func nameFinding(stem, shown string, isDir bool, fullPath string, level int) (report.Finding, bool) {
	hits := analyzeName(stem, isDir)
	if len(hits) == 0 {
		return report.Finding{}, false
	}
	f := report.Finding{Kind: report.KindFileName, Text: identity.Clean(shown)}
	var whats []string
	seen := map[string]bool{}
	for _, h := range hits {
		if h.severity > f.Severity {
			f.Severity = h.severity
		}
		whats = append(whats, h.what)
		for _, id := range h.ids {
			k := id.Type + "\x00" + strings.ToLower(id.Value)
			if !seen[k] {
				seen[k] = true
				id.Value = identity.Clean(id.Value)
				f.Identities = append(f.Identities, id)
			}
		}
	}
	whats = dedupStrings(whats)
	if isDir {
		f.Key = fmt.Sprintf("folder_name:%d", level)
		f.Title = fmt.Sprintf("Folder name (%d up) reveals %s", level, identity.Clean(strings.Join(whats, "; ")))
		neutral := filepath.Join(filepath.Dir(fullPath), "recording")
		f.Advice = "Rename the folder (or publish the file from elsewhere) before sharing it, e.g. to \"recording\"."
		f.Command = "mv -- " + shellQuote(fullPath) + " " + shellQuote(neutral)
	} else {
		f.Key = "file_name"
		f.Title = "File name reveals " + identity.Clean(strings.Join(whats, "; "))
		neutral := filepath.Join(filepath.Dir(fullPath), "recording"+cleanExt(fullPath))
		f.Advice = fmt.Sprintf("Rename the file before publishing, e.g. to %q.", filepath.Base(neutral))
		f.Command = "mv -- " + shellQuote(fullPath) + " " + shellQuote(neutral)
	}
	return f, true
}

func dedupStrings(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
