package metadata

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"tracescan/identity"
	"tracescan/media"
	"tracescan/report"
)

// sideKind says what a side file is, or "" when it is not one.
func sideKind(name string) string {
	l := strings.ToLower(name)
	switch {
	case l == "meeting_saved_chat.txt" || l == "meeting_saved_new_chat.txt" || l == "chat.txt" ||
		strings.HasSuffix(l, "chat.txt") || strings.HasSuffix(l, "_chat.txt"):
		return "chat log"
	case l == "closed_caption.txt" || strings.HasSuffix(l, ".cc.vtt") || strings.HasSuffix(l, "closed_caption.txt"):
		return "closed captions"
	case strings.HasSuffix(l, ".transcript.vtt"):
		return "transcript"
	case strings.HasSuffix(l, ".vtt") || strings.HasSuffix(l, ".srt") || strings.HasSuffix(l, ".sbv"):
		return "captions/transcript"
	case l == "playback.m3u" || strings.HasSuffix(l, ".m3u") || strings.HasSuffix(l, ".m3u8"):
		return "playlist"
	case l == "recording.conf" || strings.HasSuffix(l, ".conf") && strings.Contains(l, "record"):
		return "recording configuration"
	}
	return ""
}

// sideFile is a side file found beside a recording.
type sideFile struct {
	name, path, kind string
}

// listSideFiles returns up to max side files in dir, sorted by name. Only
// regular files count: a FIFO named chat.txt would block the read.
func listSideFiles(dir string, max int) []sideFile {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []sideFile
	for _, e := range ents {
		k := sideKind(e.Name())
		if k == "" {
			continue
		}
		p := filepath.Join(dir, e.Name())
		st, err := os.Stat(p)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		out = append(out, sideFile{name: e.Name(), path: p, kind: k})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	if max > 0 && len(out) > max {
		out = out[:max]
	}
	return out
}

var (
	// Zoom chat: "10:02:33 From Anna Schmidt to Everyone:" (and "To", and
	// "to Bob(Direct Message)"), older "10:02:33	 From  Anna Schmidt : hi".
	reChatTo   = regexp.MustCompile(`(?im)^[ \t]*(?:\d{1,2}:\d{2}(?::\d{2})?[ \t]+)?From[ \t]+(.+?)[ \t]+to[ \t]+(.+?)[ \t]*:`)
	reChatFrom = regexp.MustCompile(`(?im)^[ \t]*\d{1,2}:\d{2}(?::\d{2})?[ \t]+From[ \t]+(.+?)[ \t]*:`)
	reVTTVoice = regexp.MustCompile(`<v(?:\.[\w.-]+)*[ \t]+([^>\n]{1,80})>`)
	// Caption speaker prefix: "Anna Schmidt: hello".
	reSpeaker  = regexp.MustCompile(`(?m)^[ \t]*(?:-[ \t]*)?([\p{Lu}][\p{L}\p{M}'’.\-]*(?:[ \t]+[\p{L}\p{M}'’.\-]+){0,3})[ \t]*:[ \t]+\S`)
	reRoleTail = regexp.MustCompile(`(?i)[ \t]*\((?:direct message|privately|private|host|co-host|cohost|guest|me|in waiting room)\)[ \t]*$`)
)

// notPeople are chat recipients and caption prefixes that are not persons.
var notPeople = map[string]bool{
	"everyone": true, "me": true, "all": true, "all panelists": true, "everyone (in waiting room)": true,
	"all panelists and attendees": true, "host": true, "hosts and panelists": true, "note": true,
	"kind": true, "language": true, "region": true, "style": true, "speaker": true, "unknown speaker": true,
	"q": true, "a": true, "http": true, "https": true, "webvtt": true, "x-timestamp-map": true,
}

// personLabel cleans a chat sender or caption speaker and says whether it
// plausibly names a person.
func personLabel(s string) (string, bool) {
	s = identity.Clean(s)
	s = reRoleTail.ReplaceAllString(s, "")
	s = strings.Trim(strings.TrimSpace(s), `"'`)
	if s == "" || len([]rune(s)) > 80 || notPeople[strings.ToLower(s)] {
		return "", false
	}
	hasLetter := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			hasLetter = true
			break
		}
	}
	return s, hasLetter
}

// speakerOK accepts a caption prefix as a speaker only when it looks like a
// name: capitalised words, or a single word that is a known given name.
func speakerOK(s string) bool {
	ws := strings.Fields(s)
	if len(ws) == 1 {
		return identity.IsGivenName(ws[0])
	}
	if len(ws) > 4 {
		return false
	}
	for _, w := range ws {
		r := []rune(w)
		if !unicode.IsUpper(r[0]) || notSpeakerWords[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

// notSpeakerWords make a caption prefix a heading ("Action Items:"), not a
// speaker.
var notSpeakerWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`note notes meeting action items item agenda summary question answer
		update todo speaker chapter part step warning error tip example title subject re fwd date time
		location next steps decision decisions topic link slide slides sharing screen recording`) {
		notSpeakerWords[w] = true
	}
}

// sideIdentities finds the people and identities in a side file's text.
func sideIdentities(text string) []report.Identity {
	var ids []report.Identity
	seen := map[string]bool{}
	add := func(id report.Identity) {
		k := id.Type + "\x00" + strings.ToLower(strings.Join(strings.Fields(id.Value), " "))
		if seen[k] {
			return
		}
		seen[k] = true
		ids = append(ids, id)
	}
	addPerson := func(s string) {
		if v, ok := personLabel(s); ok {
			// A chat label may itself be an email or a phone number.
			if found := identity.Find(v); len(found) == 1 && found[0].Value == v {
				add(found[0])
				return
			}
			add(report.Identity{Type: identity.TypeName, Value: v})
		}
	}
	toLines := map[int]bool{}
	for _, m := range reChatTo.FindAllStringSubmatchIndex(text, -1) {
		toLines[m[0]] = true
		addPerson(text[m[2]:m[3]])
		addPerson(text[m[4]:m[5]])
	}
	for _, m := range reChatFrom.FindAllStringSubmatchIndex(text, -1) {
		if toLines[m[0]] {
			continue
		}
		addPerson(text[m[2]:m[3]])
	}
	for _, m := range reVTTVoice.FindAllStringSubmatch(text, -1) {
		addPerson(m[1])
	}
	for _, m := range reSpeaker.FindAllStringSubmatch(text, -1) {
		if speakerOK(m[1]) && !strings.Contains(m[1], "-->") {
			addPerson(m[1])
		}
	}
	// Zoom playlists list per-participant audio files.
	for _, m := range reZoomPartAudio.FindAllStringSubmatch(text, -1) {
		add(report.Identity{Type: identity.TypeName, Value: splitCamel(m[1])})
	}
	for _, id := range identity.Find(text) {
		add(id)
	}
	return ids
}

// maxSideIdentities bounds the identities listed for one side file; a chat
// log of a 500-person webinar does not need 500 entries to be withheld.
const maxSideIdentities = 50

func (d *Detector) sideFileFindings(ctx context.Context, info *media.Info) ([]report.Finding, error) {
	dir := filepath.Dir(info.Path)
	var out []report.Finding
	for _, sf := range listSideFiles(dir, d.MaxSideFiles) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f := report.Finding{
			Kind:   report.KindSideFile,
			Key:    identity.Clean(sf.name),
			Advice: "Do not publish this side file with the recording: it belongs to the meeting, not to the audience. Keep it out of the upload (or delete the copy you share).",
		}
		text, truncated, err := readHead(sf.path, d.MaxSideFileBytes)
		if err != nil {
			f.Severity = report.Medium
			f.Title = fmt.Sprintf("A %s beside the recording (%s) could not be read", sf.kind, f.Key)
			f.Text = identity.Clean(err.Error())
			out = append(out, f)
			continue
		}
		ids := sideIdentities(identity.CleanOpt(text, true, len(text)+1))
		if len(ids) > maxSideIdentities {
			ids = ids[:maxSideIdentities]
		}
		f.Identities = ids
		people := personIdentities(ids)
		if len(people) > 0 {
			f.Severity = report.High
			f.Title = fmt.Sprintf("A %s beside the recording (%s) names %s", sf.kind, f.Key, countIdentities(people))
		} else {
			f.Severity = report.Medium
			f.Title = fmt.Sprintf("A %s beside the recording (%s)", sf.kind, f.Key)
		}
		f.Text = summarizeIdentities(ids)
		if truncated {
			f.Text = strings.TrimSpace(f.Text + fmt.Sprintf(" (only the first %d bytes were read)", d.MaxSideFileBytes))
		}
		out = append(out, f)
	}
	return out, nil
}

// readHead reads at most max bytes of path.
func readHead(path string, max int64) (string, bool, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", false, err
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, max+1))
	if err != nil {
		return "", false, fmt.Errorf("reading %s: %w", filepath.Base(path), err)
	}
	truncated := int64(len(b)) > max
	if truncated {
		b = b[:max]
	}
	return string(b), truncated, nil
}

func countIdentities(ids []report.Identity) string {
	n := map[string]int{}
	for _, id := range ids {
		n[id.Type]++
	}
	var parts []string
	add := func(typ, one, many string) {
		switch c := n[typ]; {
		case c == 1:
			parts = append(parts, "1 "+one)
		case c > 1:
			parts = append(parts, fmt.Sprintf("%d %s", c, many))
		}
	}
	add(identity.TypeName, "person", "people")
	add(identity.TypeEmail, "email address", "email addresses")
	add(identity.TypePhone, "phone number", "phone numbers")
	add(identity.TypeLocalPart, "email user name", "email user names")
	return strings.Join(parts, ", ")
}

// summarizeIdentities lists the values found, by type, for the report's
// evidence line; --redact masks them through the finding's Identities.
func summarizeIdentities(ids []report.Identity) string {
	if len(ids) == 0 {
		return "no names, emails or phone numbers recognised"
	}
	byType := map[string][]string{}
	var order []string
	for _, id := range ids {
		if _, ok := byType[id.Type]; !ok {
			order = append(order, id.Type)
		}
		byType[id.Type] = append(byType[id.Type], id.Value)
	}
	var parts []string
	for _, t := range order {
		parts = append(parts, t+": "+strings.Join(byType[t], ", "))
	}
	return identity.Clean(strings.Join(parts, "; "))
}
