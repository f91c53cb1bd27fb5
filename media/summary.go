package media

import "tracescan/report"

// Summary is what a report shows of a probed file: format, duration, size
// and its audio and video streams.
func (in *Info) Summary() *report.MediaInfo {
	m := &report.MediaInfo{Format: in.Format, DurationS: in.Duration, SizeBytes: in.Size}
	for _, s := range in.Streams {
		if s.Type != "audio" && s.Type != "video" {
			continue
		}
		m.Streams = append(m.Streams, report.Stream{
			Index: s.Index, Type: s.Type, Codec: s.Codec, Width: s.Width, Height: s.Height,
			FrameRate: s.FrameRate, SampleRate: s.SampleRate, Channels: s.Channels,
		})
	}
	return m
}
