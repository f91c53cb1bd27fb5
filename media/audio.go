package media

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/go-audio/audio"
	"github.com/go-audio/wav"
)

// AudioOptions chooses how audio is decoded.
type AudioOptions struct {
	// SampleRate in Hz; 0 keeps the native rate, capped at MaxSampleRate.
	SampleRate int
	// Channels; 0 keeps the native count, capped at 2.
	Channels int
	// StartS and DurationS, when DurationS > 0, decode only that window,
	// with ffmpeg's input seeking: analysing a few windows of a long
	// recording then costs no decoding of the rest.
	StartS, DurationS float64
}

// MaxSampleRate caps native decoding: nothing we detect lives above 24 kHz.
const MaxSampleRate = 48000

// AudioReader streams interleaved float32 samples in [-1, 1].
type AudioReader interface {
	// Read fills buf with whole frames (len(buf) should be a multiple of
	// Channels) and returns the number of samples written; io.EOF at the end.
	Read(buf []float32) (int, error)
	SampleRate() int
	Channels() int
	Close() error
}

// OpenAudio opens the first audio stream of a probed file. PCM WAV files are
// read directly in chunks; everything else is streamed as raw float PCM from
// an ffmpeg child process, never held whole in memory.
func OpenAudio(ctx context.Context, info *Info, opt AudioOptions) (AudioReader, error) {
	st, ok := info.Audio()
	if !ok {
		return nil, fmt.Errorf("%s: no audio stream", info.Path)
	}
	if st.Duration == 0 && info.Duration == 0 && st.Frames == 0 {
		// Some containers report no duration; only refuse when we know.
		if strings.Contains(info.Format, "wav") || strings.Contains(info.Format, "mp4") {
			return nil, errors.New("audio track is empty (0 s)")
		}
	}
	rate := opt.SampleRate
	if rate == 0 {
		rate = st.SampleRate
		if rate == 0 || rate > MaxSampleRate {
			rate = MaxSampleRate
		}
	}
	ch := opt.Channels
	if ch == 0 {
		ch = st.Channels
		if ch == 0 || ch > 2 {
			ch = 2
		}
	}
	if opt.DurationS <= 0 && info.Format == "wav" && rate == st.SampleRate && ch == st.Channels &&
		strings.HasPrefix(st.Codec, "pcm_s") {
		r, err := openWAV(info.Path)
		if err == nil {
			return r, nil
		}
		// Fall through to ffmpeg for WAV variants the decoder rejects.
	}
	return openFFmpegAudio(ctx, info.Path, st.Index, rate, ch, opt.StartS, opt.DurationS)
}

type ffAudio struct {
	cmd    *exec.Cmd
	out    io.ReadCloser
	br     *bufio.Reader
	stderr *bytes.Buffer
	rate   int
	ch     int
	raw    []byte
	cancel context.CancelFunc
}

func openFFmpegAudio(ctx context.Context, path string, stream, rate, ch int, startS, durS float64) (*ffAudio, error) {
	ctx, cancel := context.WithCancel(ctx)
	args := []string{"-nostdin", "-hide_banner", "-v", "error"}
	if durS > 0 {
		args = append(args, "-ss", strconv.FormatFloat(startS, 'f', 3, 64), "-t", strconv.FormatFloat(durS, 'f', 3, 64))
	}
	args = append(args, "-i", "file:"+path, "-map", "0:"+strconv.Itoa(stream), "-vn", "-sn", "-dn",
		"-ac", strconv.Itoa(ch), "-ar", strconv.Itoa(rate), "-f", "f32le", "-acodec", "pcm_f32le", "pipe:1")
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{buf: &stderr, max: 4096}
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("starting ffmpeg: %w", err)
	}
	return &ffAudio{cmd: cmd, out: out, br: bufio.NewReaderSize(out, 1<<16), stderr: &stderr,
		rate: rate, ch: ch, cancel: cancel}, nil
}

func (a *ffAudio) SampleRate() int { return a.rate }
func (a *ffAudio) Channels() int   { return a.ch }

func (a *ffAudio) Read(buf []float32) (int, error) {
	n := len(buf) - len(buf)%a.ch
	if n == 0 {
		return 0, nil
	}
	if cap(a.raw) < 4*n {
		a.raw = make([]byte, 4*n)
	}
	raw := a.raw[:4*n]
	got, err := io.ReadFull(a.br, raw)
	got -= got % (4 * a.ch)
	for i := 0; i < got/4; i++ {
		buf[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	if err == io.ErrUnexpectedEOF || (err == io.EOF && got > 0) {
		err = nil
		if got == 0 {
			err = io.EOF
		}
	}
	if err == io.EOF {
		if werr := a.wait(); werr != nil {
			return got / 4, werr
		}
	}
	return got / 4, err
}

func (a *ffAudio) wait() error {
	if a.cmd == nil {
		return nil
	}
	err := a.cmd.Wait()
	a.cmd = nil
	if err != nil {
		msg := strings.TrimSpace(a.stderr.String())
		if i := strings.IndexByte(msg, '\n'); i > 0 {
			msg = msg[:i]
		}
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("ffmpeg audio decode: %s", msg)
	}
	return nil
}

func (a *ffAudio) Close() error {
	a.cancel()
	if a.cmd != nil {
		_ = a.cmd.Wait()
		a.cmd = nil
	}
	return nil
}

// wavReader reads PCM WAV in chunks with go-audio/wav (FullPCMBuffer is far
// too slow and large for long recordings).
type wavReader struct {
	f     *os.File
	dec   *wav.Decoder
	ib    *audio.IntBuffer
	scale float32
	ch    int
	rate  int
}

func openWAV(path string) (*wavReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	dec := wav.NewDecoder(f)
	if !dec.IsValidFile() {
		f.Close()
		return nil, errors.New("invalid WAV header")
	}
	if dec.WavAudioFormat != 1 || dec.BitDepth == 0 {
		f.Close()
		return nil, errors.New("not integer PCM")
	}
	if err := dec.FwdToPCM(); err != nil {
		f.Close()
		return nil, fmt.Errorf("seeking to PCM data: %w", err)
	}
	ch := int(dec.NumChans)
	return &wavReader{
		f: f, dec: dec, ch: ch, rate: int(dec.SampleRate),
		scale: 1 / float32(int64(1)<<(dec.BitDepth-1)),
		ib: &audio.IntBuffer{Format: &audio.Format{NumChannels: ch, SampleRate: int(dec.SampleRate)},
			SourceBitDepth: int(dec.BitDepth)},
	}, nil
}

func (w *wavReader) SampleRate() int { return w.rate }
func (w *wavReader) Channels() int   { return w.ch }

func (w *wavReader) Read(buf []float32) (int, error) {
	n := len(buf) - len(buf)%w.ch
	if n == 0 {
		return 0, nil
	}
	if cap(w.ib.Data) < n {
		w.ib.Data = make([]int, n)
	}
	w.ib.Data = w.ib.Data[:n]
	got, err := w.dec.PCMBuffer(w.ib)
	if err != nil {
		return 0, fmt.Errorf("reading WAV: %w", err)
	}
	got -= got % w.ch
	if got == 0 {
		return 0, io.EOF // PCMBuffer ends with (0, nil)
	}
	for i := 0; i < got; i++ {
		buf[i] = float32(w.ib.Data[i]) * w.scale
	}
	return got, nil
}

func (w *wavReader) Close() error { return w.f.Close() }

// limitedWriter keeps the first max bytes of a child's stderr.
type limitedWriter struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		if len(p) > room {
			l.buf.Write(p[:room])
		} else {
			l.buf.Write(p)
		}
	}
	return len(p), nil
}
