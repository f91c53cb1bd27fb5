// Package report holds the findings model shared by every detector and the
// renderers that turn a scan into text or JSON. The JSON shape is a public
// contract: fields are only ever added, and SchemaVersion changes when a field
// changes meaning.
package report

import (
	"sort"
)

// SchemaVersion is the version of the JSON report shape.
const SchemaVersion = 1

// Severity orders findings by how much they expose the recorder.
type Severity int

const (
	Info Severity = iota
	Low
	Medium
	High
)

var severityNames = [...]string{"info", "low", "medium", "high"}

func (s Severity) String() string {
	if s < Info || s > High {
		return "unknown"
	}
	return severityNames[s]
}

// ParseSeverity reads "info", "low", "medium", "high" (and "none", which is
// above every severity so nothing reaches it).
func ParseSeverity(name string) (Severity, bool) {
	for i, n := range severityNames {
		if n == name {
			return Severity(i), true
		}
	}
	if name == "none" {
		return High + 1, true
	}
	return 0, false
}

// MarshalText writes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, ok := ParseSeverity(string(b))
	if !ok || v > High {
		return &UnknownSeverityError{Name: string(b)}
	}
	*s = v
	return nil
}

// UnknownSeverityError reports a severity name that is not one of ours.
type UnknownSeverityError struct{ Name string }

func (e *UnknownSeverityError) Error() string { return "unknown severity " + e.Name }

// Finding kinds: part of the public JSON schema.
const (
	KindMetadata            = "metadata"
	KindFileName            = "file_name"
	KindSideFile            = "side_file"
	KindPlatform            = "platform"
	KindVisibleWatermark    = "visible_watermark"
	KindVisibleIdentityText = "visible_identity_text"
	KindStaticOverlay       = "static_overlay"
	KindAudioWatermark      = "audio_watermark"
	KindUltrasonicBeacon    = "ultrasonic_beacon"
	KindEchoSignature       = "echo_signature"
	KindInconclusive        = "inconclusive"
	KindCopyDifference      = "copy_difference"
)

// Region is a rectangle in source pixels.
type Region struct {
	X int `json:"x"`
	Y int `json:"y"`
	W int `json:"w"`
	H int `json:"h"`
}

// Band is a frequency range in Hz.
type Band struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Evidence is a picture that supports a finding. Data holds PNG bytes for
// renderers that inline pictures; Path is set when it was also written to disk.
type Evidence struct {
	Caption string `json:"caption"`
	Path    string `json:"path,omitempty"`
	Data    []byte `json:"-"`
}

// Finding is one thing in a recording that could identify its recorder.
// It answers what (Kind, Text), where (times, Region, Band, Key), how sure
// (Score with ScoreMeaning, PValue, FalsePositiveRate) and what to do (Advice,
// Command).
type Finding struct {
	Kind     string   `json:"kind"`
	Severity Severity `json:"severity"`
	// Detector names the detector that produced the finding, e.g. "metadata".
	Detector string `json:"detector"`
	// Score is the detector's statistic; ScoreMeaning says how to read it.
	Score        float64 `json:"score"`
	ScoreMeaning string  `json:"score_meaning,omitempty"`
	// PValue and FalsePositiveRate are set when the detector is calibrated
	// against a null model or a measured clean set.
	PValue            *float64 `json:"p_value,omitempty"`
	FalsePositiveRate *float64 `json:"false_positive_rate,omitempty"`
	// Title is a short plain-language headline; Text is the evidence read
	// from the media (a tag value, OCR text, a file name).
	Title string `json:"title"`
	Text  string `json:"text,omitempty"`
	// Identities lists emails, phone numbers and names found in Text; they are
	// masked everywhere by --redact.
	Identities []Identity `json:"identities,omitempty"`

	TimeStart *float64 `json:"time_start,omitempty"`
	TimeEnd   *float64 `json:"time_end,omitempty"`
	Region    *Region  `json:"region,omitempty"`
	BandHz    *Band    `json:"band_hz,omitempty"`
	// Key is the metadata key or the side file that holds the finding.
	Key string `json:"key,omitempty"`

	// Detector-specific measurements (public schema, all optional).
	Method   string   `json:"method,omitempty"`
	Layout   string   `json:"layout,omitempty"`
	Opacity  *float64 `json:"opacity,omitempty"`
	PeriodS  *float64 `json:"period_s,omitempty"`
	Channel  string   `json:"channel,omitempty"`
	AngleDeg *float64 `json:"angle_deg,omitempty"`
	// Copy says which of two compared copies a copy_difference finding
	// describes: "a", "b" or "both".
	Copy string `json:"copy,omitempty"`

	Advice  string     `json:"advice"`
	Command string     `json:"command,omitempty"`
	Images  []Evidence `json:"evidence,omitempty"`
}

// Identity is a piece of personal data recognised in a finding.
type Identity struct {
	Type  string `json:"type"` // email, local_part, phone, name, meeting_code, meeting_number
	Value string `json:"value"`
}

// MediaInfo summarises what ffprobe saw.
type MediaInfo struct {
	Format    string   `json:"format"`
	DurationS float64  `json:"duration_s"`
	SizeBytes int64    `json:"size_bytes"`
	Streams   []Stream `json:"streams"`
}

// Stream is one audio or video stream of a file.
type Stream struct {
	Index      int     `json:"index"`
	Type       string  `json:"type"`
	Codec      string  `json:"codec"`
	Width      int     `json:"width,omitempty"`
	Height     int     `json:"height,omitempty"`
	FrameRate  float64 `json:"frame_rate,omitempty"`
	SampleRate int     `json:"sample_rate,omitempty"`
	Channels   int     `json:"channels,omitempty"`
}

// Platform is the best guess of which meeting software made the recording.
type Platform struct {
	Name       string   `json:"name"` // zoom_local, zoom_cloud, teams, webex, google_meet, unknown
	Label      string   `json:"label"`
	Confidence string   `json:"confidence"` // low, medium, high
	Evidence   []string `json:"evidence,omitempty"`
	Implies    string   `json:"implies"`
}

// FileReport is everything found in one file.
type FileReport struct {
	Path string `json:"path"`
	// ComparedWith is the second copy when this report compares two copies
	// of one meeting (tracescan diff); Path is the first.
	ComparedWith string     `json:"compared_with,omitempty"`
	Media        *MediaInfo `json:"media,omitempty"`
	Platform     *Platform  `json:"platform,omitempty"`
	Findings     []Finding  `json:"findings"`
	Errors       []string   `json:"errors"`
	// Scanners lists the detectors that ran on this file.
	Scanners []string `json:"scanners,omitempty"`
	// Cached is set when the results came from the results store because
	// the file and the detectors are unchanged since they were stored.
	Cached   bool    `json:"cached,omitempty"`
	ElapsedS float64 `json:"elapsed_s"`
}

// Summary counts what a scan saw.
type Summary struct {
	FilesScanned int            `json:"files_scanned"`
	FilesSkipped int            `json:"files_skipped"`
	FilesFailed  int            `json:"files_failed"`
	BySeverity   map[string]int `json:"findings_by_severity"`
	ElapsedS     float64        `json:"elapsed_s"`
}

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// ScanReport is the whole result of one run.
type ScanReport struct {
	SchemaVersion int          `json:"schema_version"`
	Tool          Tool         `json:"tool"`
	Redacted      bool         `json:"redacted"`
	Files         []FileReport `json:"files"`
	Summary       Summary      `json:"summary"`
}

// MaxSeverity returns the highest severity among the findings and whether
// there was any.
func (f *FileReport) MaxSeverity() (Severity, bool) {
	best, any := Info, false
	for _, x := range f.Findings {
		if !any || x.Severity > best {
			best, any = x.Severity, true
		}
	}
	return best, any
}

// SortFindings orders findings by severity (highest first), then kind, then
// time and key, so that output is stable.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		ta, tb := timeOrZero(a.TimeStart), timeOrZero(b.TimeStart)
		if ta != tb {
			return ta < tb
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Text < b.Text
	})
}

func timeOrZero(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// Finalize sorts files and findings and fills the summary counts.
func (r *ScanReport) Finalize() {
	sort.SliceStable(r.Files, func(i, j int) bool { return r.Files[i].Path < r.Files[j].Path })
	r.Summary.BySeverity = map[string]int{"info": 0, "low": 0, "medium": 0, "high": 0}
	r.Summary.FilesScanned, r.Summary.FilesFailed = 0, 0
	for i := range r.Files {
		f := &r.Files[i]
		if f.Findings == nil {
			f.Findings = []Finding{}
		}
		if f.Errors == nil {
			f.Errors = []string{}
		}
		SortFindings(f.Findings)
		if len(f.Errors) > 0 {
			r.Summary.FilesFailed++
		} else {
			r.Summary.FilesScanned++
		}
		for _, x := range f.Findings {
			r.Summary.BySeverity[x.Severity.String()]++
		}
	}
}

// Ptr returns a pointer to v, for the optional fields.
func Ptr[T any](v T) *T { return &v }
