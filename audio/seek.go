package audio

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os/exec"
	"strconv"
	"strings"

	"tracescan/media"
)

// seekReader decodes one window [start, start+dur) of a compressed file
// with ffmpeg's input seeking: long recordings are analysed in a few
// windows, and decoding the whole file only to skip most of it cost more
// than the analysis itself (60 min of AAC: 5 s of decoding for 8 min used).
type seekReader struct {
	cmd    *exec.Cmd
	br     *bufio.Reader
	raw    []byte
	ch     int
	cancel context.CancelFunc
	stderr strings.Builder
}

// canSeek tells whether windows can be decoded by seeking: compressed
// files through ffmpeg (PCM WAV is read directly and is cheap to skip).
func canSeek(info *media.Info) bool {
	st, ok := info.Audio()
	return ok && info.Duration > 0 && !(info.Format == "wav" && strings.HasPrefix(st.Codec, "pcm_s"))
}

func openSeek(ctx context.Context, info *media.Info, rate, ch int, startS, durS float64) (*seekReader, error) {
	st, _ := info.Audio()
	ctx, cancel := context.WithCancel(ctx)
	r := &seekReader{ch: ch, cancel: cancel}
	r.cmd = exec.CommandContext(ctx, "ffmpeg", "-nostdin", "-hide_banner", "-v", "error",
		"-ss", strconv.FormatFloat(startS, 'f', 3, 64), "-t", strconv.FormatFloat(durS, 'f', 3, 64),
		"-i", "file:"+info.Path, "-map", "0:"+strconv.Itoa(st.Index), "-vn", "-sn", "-dn",
		"-ac", strconv.Itoa(ch), "-ar", strconv.Itoa(rate), "-f", "f32le", "-acodec", "pcm_f32le", "pipe:1")
	out, err := r.cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	r.cmd.Stderr = &r.stderr
	if err := r.cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("starting ffmpeg: %w", err)
	}
	r.br = bufio.NewReaderSize(out, 1<<16)
	return r, nil
}

// Read fills buf with whole frames; io.EOF at the end of the window.
func (r *seekReader) Read(buf []float32) (int, error) {
	n := len(buf) - len(buf)%r.ch
	if cap(r.raw) < 4*n {
		r.raw = make([]byte, 4*n)
	}
	raw := r.raw[:4*n]
	got, err := io.ReadFull(r.br, raw)
	got -= got % (4 * r.ch)
	for i := 0; i < got/4; i++ {
		buf[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || (errors.Is(err, io.EOF) && got > 0) {
		err = nil
	}
	if got == 0 && err == nil {
		err = io.EOF
	}
	if errors.Is(err, io.EOF) {
		if werr := r.cmd.Wait(); werr != nil {
			r.cmd = nil
			msg := strings.TrimSpace(r.stderr.String())
			if msg == "" {
				msg = werr.Error()
			}
			return got / 4, fmt.Errorf("ffmpeg audio decode: %s", msg)
		}
		r.cmd = nil
	}
	return got / 4, err
}

func (r *seekReader) Close() {
	r.cancel()
	if r.cmd != nil {
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}
