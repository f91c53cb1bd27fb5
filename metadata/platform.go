package metadata

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"tracescan/identity"
	"tracescan/media"
	"tracescan/report"
)

var platformLabels = map[string]string{
	PlatformZoomLocal:  "Zoom local recording",
	PlatformZoomCloud:  "Zoom cloud recording",
	PlatformTeams:      "Microsoft Teams recording",
	PlatformGoogleMeet: "Google Meet recording",
	PlatformWebex:      "Webex recording",
	PlatformUnknown:    "unknown source",
}

// What each source can put into the picture and the sound. This is what the
// user should look for before publishing, so it names the scanners to run.
var platformImplies = map[string]string{
	PlatformZoomLocal: "Zoom can add a visible watermark with the viewer's email (or its local part) over shared " +
		"screens, and an inaudible audio signature identifying the participant in the played audio; both survive " +
		"in local recordings when enabled by the host. Run the video and audio scanners.",
	PlatformZoomCloud: "Zoom can add a visible watermark with the viewer's email (or its local part) over shared " +
		"screens, and an audio signature in the played audio; cloud recordings downloaded by a viewer may carry " +
		"that viewer's marks. Run the video and audio scanners.",
	PlatformTeams: "Teams Premium can add a visible watermark with the viewer's email over shared content and video, " +
		"single or tiled (diagonal); audio watermarking is also offered. Run the video and audio scanners.",
	PlatformGoogleMeet: "Google Meet can show the Meet code and the viewer's email over the picture, and participant " +
		"names on video tiles. Run the video scanner.",
	PlatformWebex: "Webex can overlay the viewer's email and the meeting number as a watermark on shared content and " +
		"embed an audio watermark. Run the video and audio scanners.",
	PlatformUnknown: "The source is unknown, so every kind of mark is possible: visible email or name watermarks " +
		"(single or tiled), audio signatures, ultrasonic beacons. Run all scanners.",
}

// Fingerprint guesses which meeting software made the recording from its
// names, folders, chapters, tags and side files. It never fails: with no
// evidence it returns "unknown" (which implies that every mark is possible).
func Fingerprint(info *media.Info) report.Platform {
	score := map[string]float64{}
	evidence := map[string][]string{}
	add := func(p string, w float64, ev string) {
		score[p] += w
		evidence[p] = append(evidence[p], ev)
	}
	if info == nil {
		return platformResult(PlatformUnknown, 0, nil)
	}
	base := filepath.Base(info.Path)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	for _, h := range analyzeName(stem, false) {
		if h.platform != "" {
			add(h.platform, 1, "file name: "+h.what)
		}
	}
	if dir := parentDir(info.Path); dir != "" {
		for _, h := range analyzeName(filepath.Base(dir), true) {
			if h.platform != "" {
				add(h.platform, 1, "folder name: "+h.what)
			}
		}
	}
	sharing := false
	for _, c := range info.Chapters {
		for k, v := range c.Tags {
			lv := strings.ToLower(strings.TrimSpace(v))
			if strings.EqualFold(k, "title") && (lv == "sharing started" || lv == "sharing stopped") {
				sharing = true
			}
		}
	}
	if sharing {
		add(PlatformZoomLocal, 0.75, "chapters \"Sharing Started/Stopped\" (Zoom's screen-share markers)")
	}
	keys := make([]string, 0, len(info.Tags))
	for k := range info.Tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		lk, lv := strings.ToLower(k), strings.ToLower(info.Tags[k])
		switch {
		case strings.Contains(lv, "zoom"):
			add(PlatformZoomLocal, 0.5, fmt.Sprintf("tag %s mentions Zoom", lk))
		case strings.Contains(lv, "microsoft teams") || strings.Contains(lv, "teams meeting"):
			add(PlatformTeams, 0.5, fmt.Sprintf("tag %s mentions Teams", lk))
		case strings.Contains(lv, "google meet") || strings.Contains(lv, "meet.google.com"):
			add(PlatformGoogleMeet, 0.5, fmt.Sprintf("tag %s mentions Google Meet", lk))
		case strings.Contains(lv, "webex"):
			add(PlatformWebex, 0.5, fmt.Sprintf("tag %s mentions Webex", lk))
		}
	}
	for _, sf := range listSideFiles(filepath.Dir(info.Path), 64) {
		l := strings.ToLower(sf.name)
		switch {
		case l == "meeting_saved_chat.txt" || l == "meeting_saved_new_chat.txt" || l == "playback.m3u" ||
			l == "closed_caption.txt" || l == "recording.conf":
			add(PlatformZoomLocal, 0.75, "Zoom side file "+sf.name)
		case strings.HasPrefix(sf.name, "GMT") && (strings.HasSuffix(l, ".transcript.vtt") || strings.HasSuffix(l, "chat.txt") || strings.HasSuffix(l, ".cc.vtt")):
			add(PlatformZoomCloud, 0.75, "Zoom cloud side file "+sf.name)
		}
	}
	best, bestScore := PlatformUnknown, 0.0
	for _, p := range []string{PlatformZoomLocal, PlatformZoomCloud, PlatformTeams, PlatformGoogleMeet, PlatformWebex} {
		if score[p] > bestScore {
			best, bestScore = p, score[p]
		}
	}
	return platformResult(best, bestScore, dedupStrings(evidence[best]))
}

func platformResult(name string, score float64, ev []string) report.Platform {
	conf := "low"
	switch {
	case name == PlatformUnknown:
		conf = "low"
		ev = []string{"no file name, folder, tag, chapter or side file typical of a meeting tool"}
	case score >= 1.75:
		conf = "high"
	case score >= 1:
		conf = "medium"
	}
	for i := range ev {
		ev[i] = cleanEvidence(ev[i])
	}
	return report.Platform{
		Name:       name,
		Label:      platformLabels[name],
		Confidence: conf,
		Evidence:   ev,
		Implies:    platformImplies[name],
	}
}

// cleanEvidence keeps names from the file system printable.
func cleanEvidence(s string) string { return identity.Clean(s) }

// PlatformFunc adapts Fingerprint to scan.Options.Platform.
func PlatformFunc(info *media.Info) *report.Platform {
	p := Fingerprint(info)
	return &p
}

// platformFinding states the fingerprint as an info finding, so that the
// text and JSON reports say what to look for even when nothing else shows.
func platformFinding(info *media.Info, p report.Platform) report.Finding {
	title := "Looks like a " + p.Label + " (" + p.Confidence + " confidence)"
	if p.Name == PlatformUnknown {
		title = "Recording source unknown: no meeting-tool naming, tags or side files"
	}
	return report.Finding{
		Kind:         report.KindPlatform,
		Severity:     report.Info,
		Key:          "platform:" + p.Name,
		Title:        title,
		Text:         strings.Join(p.Evidence, "; "),
		Score:        confidenceScore(p.Confidence),
		ScoreMeaning: "evidence weight for the platform guess: 0.33 low, 0.67 medium, 1 high",
		Advice:       p.Implies,
	}
}

func confidenceScore(c string) float64 {
	switch c {
	case "high":
		return 1
	case "medium":
		return 0.67
	}
	return 0.33
}
