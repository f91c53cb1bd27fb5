package audio

import (
	"strings"

	"tracescan/media"
)

// canSeek tells whether windows can be decoded by seeking
// (media.AudioOptions.StartS/DurationS): compressed files through ffmpeg.
// PCM WAV is read directly and is cheap to skip, so it is read through.
// Decoding a whole long file only to skip most of it cost more than the
// analysis itself (60 min of AAC: 5 s of decoding for 8 min used).
func canSeek(info *media.Info) bool {
	st, ok := info.Audio()
	return ok && info.Duration > 0 && !(info.Format == "wav" && strings.HasPrefix(st.Codec, "pcm_s"))
}
