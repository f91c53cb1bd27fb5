package main

import (
	"strings"

	"tracescan/audio"
	"tracescan/identity"
	"tracescan/media"
	"tracescan/metadata"
	"tracescan/report"
	"tracescan/scan"
	"tracescan/video"
)

// scannerNames lists the scanners in the order they are documented.
var scannerNames = []string{"metadata", "audio", "video"}

func newDetector(name string) scan.Detector {
	switch name {
	case "metadata":
		return metadata.New()
	case "audio":
		return audio.New(audio.Options{})
	case "video":
		return video.New(video.Options{})
	}
	return nil
}

// buildDetectors parses --scanners.
func buildDetectors(list string) ([]scan.Detector, error) {
	var ds []scan.Detector
	seen := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(strings.ToLower(name))
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		d := newDetector(name)
		if d == nil {
			return nil, usagef("unknown scanner %q (want %s)", name, strings.Join(scannerNames, ", "))
		}
		ds = append(ds, d)
	}
	if len(ds) == 0 {
		return nil, usagef("--scanners names no scanner")
	}
	return ds, nil
}

// platformGuesser fingerprints the source software when the metadata
// scanner runs (the guess is drawn from the same tags and names).
func platformGuesser(list string) func(*media.Info) *report.Platform {
	if !strings.Contains(strings.ToLower(list), "metadata") {
		return nil
	}
	return metadata.PlatformFunc
}

// redactReport masks every identity in the report: the identities the
// detectors recognised, wherever they appear, and anything else that reads
// as an email, phone number or name.
func redactReport(rep *report.ScanReport) {
	rep.Redacted = true
	for i := range rep.Files {
		f := &rep.Files[i]
		var ids []report.Identity
		for _, x := range f.Findings {
			ids = append(ids, x.Identities...)
		}
		mask := func(s string) string { return identity.Redact(identity.MaskAll(s, ids)) }
		f.Path = mask(f.Path)
		for k := range f.Errors {
			f.Errors[k] = mask(f.Errors[k])
		}
		if f.Platform != nil {
			for k := range f.Platform.Evidence {
				f.Platform.Evidence[k] = mask(f.Platform.Evidence[k])
			}
		}
		for j := range f.Findings {
			x := &f.Findings[j]
			x.Title, x.Text, x.Advice, x.Command = mask(x.Title), mask(x.Text), mask(x.Advice), mask(x.Command)
			for k := range x.Identities {
				x.Identities[k].Value = identity.Mask(x.Identities[k].Value, x.Identities[k].Type)
			}
			redactImages(x)
		}
	}
}

// redactImages pixelates pictures that can show identity text (frames,
// rebuilt watermarks); plots of audio measurements show none and are kept.
func redactImages(x *report.Finding) {
	switch x.Kind {
	case report.KindAudioWatermark, report.KindUltrasonicBeacon, report.KindEchoSignature,
		report.KindInconclusive, report.KindCopyDifference:
		if len(x.Identities) == 0 {
			return
		}
	}
	kept := x.Images[:0]
	for _, ev := range x.Images {
		data, err := report.PixelatePNG(ev.Data)
		if err != nil {
			continue // cannot blur it: leave it out
		}
		ev.Data = data
		ev.Caption += " (pixelated: --redact)"
		kept = append(kept, ev)
	}
	x.Images = kept
}
