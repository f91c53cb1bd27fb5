package audiomarks

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Variant names the processing a file went through after embedding.
type Variant string

// Variants.
const (
	Plain      Variant = "wav"        // 16-bit PCM WAV, 48 kHz
	AAC96      Variant = "aac96"      // AAC 96 kbit/s (.m4a)
	MP3128     Variant = "mp3128"     // MP3 128 kbit/s
	Opus32     Variant = "opus32"     // Opus 32 kbit/s
	Resample16 Variant = "resample16" // 16 kHz WAV
	SpeakerMic Variant = "speakermic" // 100-7000 Hz, reverb, noise
)

// Spec says what to generate.
type Spec struct {
	Host    Host
	Mark    Mark
	Variant Variant
	// DurationS of the clip (default 120).
	DurationS float64
	// StrengthDB: PN and FSK, mark RMS relative to host RMS (e.g. -30);
	// patchwork, the +-dB of the band modulation (e.g. 1); echo, the echo
	// amplitude in dB (e.g. -14 for 0.2).
	StrengthDB float64
	// PeriodS of the payload repeat (0: drawn from the seed, 1-6 s).
	PeriodS float64
	// BandLo, BandHi for PN (0: 2000-6000 Hz).
	BandLo, BandHi float64
	// Stereo writes two channels (mark in both, or only Left when OneSide).
	Stereo  bool
	OneSide bool
	// FrameN is the patchwork frame size in samples at 48 kHz (default 1024).
	FrameN int
}

// Label describes a generated file.
type Label struct {
	Spec
	Seed     int64
	Path     string
	Positive bool
	// Name is a short description, e.g. "pn-30dB/speech/aac96".
	Name string
}

// Generate writes one clip into dir and returns its label. The same seed
// and spec give the same host, key and payload.
func Generate(ctx context.Context, dir string, seed int64, spec Spec) (Label, error) {
	if spec.DurationS == 0 {
		spec.DurationS = 120
	}
	if spec.Mark == "" {
		spec.Mark = None
	}
	if spec.Variant == "" {
		spec.Variant = Plain
	}
	rng := rand.New(rand.NewSource(seed))
	if spec.PeriodS == 0 {
		spec.PeriodS = 1 + 5*rng.Float64()
	}
	if spec.BandLo == 0 && spec.BandHi == 0 {
		spec.BandLo, spec.BandHi = 2000, 6000
	}
	if spec.FrameN == 0 {
		spec.FrameN = 1024
	}
	n := int(spec.DurationS * Rate)
	host, err := makeHost(ctx, rng, spec.Host, n)
	if err != nil {
		return Label{}, err
	}
	x := append([]float32(nil), host...)
	krng := rand.New(rand.NewSource(seed*7919 + 17)) // key and payload
	switch spec.Mark {
	case None:
	case PN:
		spec.PeriodS = float64(pnPeriod(spec.PeriodS)) / Rate
		embedPN(x, krng, spec.PeriodS, spec.BandLo, spec.BandHi, spec.StrengthDB)
	case Patchwork:
		embedPatchwork(x, krng, spec.PeriodS, spec.StrengthDB, spec.FrameN)
	case Echo:
		embedEcho(x, krng, spec.PeriodS, spec.StrengthDB)
	case FSK:
		embedFSK(x, krng, spec.PeriodS, spec.StrengthDB)
	default:
		return Label{}, fmt.Errorf("unknown mark %q", spec.Mark)
	}
	chans := [][]float32{x}
	if spec.Stereo {
		right := x
		if spec.OneSide {
			right = host
		}
		chans = [][]float32{x, right}
	}
	name := fmt.Sprintf("%s_%s_%s_%d", spec.Mark, spec.Host, spec.Variant, seed)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Label{}, err
	}
	wavPath := filepath.Join(dir, name+".src.wav")
	if err := WriteWAV(wavPath, Rate, chans); err != nil {
		return Label{}, err
	}
	out, err := applyVariant(ctx, wavPath, filepath.Join(dir, name), spec.Variant, seed)
	if err != nil {
		return Label{}, err
	}
	if out != wavPath {
		os.Remove(wavPath)
	}
	lb := Label{Spec: spec, Seed: seed, Path: out, Positive: spec.Mark != None}
	lb.Name = fmt.Sprintf("%s/%s/%s", markName(spec), spec.Host, spec.Variant)
	return lb, nil
}

func markName(s Spec) string {
	switch s.Mark {
	case None:
		return "none"
	case Patchwork:
		return fmt.Sprintf("patchwork+-%gdB", s.StrengthDB)
	default:
		return fmt.Sprintf("%s%gdB", s.Mark, s.StrengthDB)
	}
}

// WriteWAV writes 16-bit PCM (clipping at full scale).
func WriteWAV(path string, rate int, chans [][]float32) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<16)
	nch := len(chans)
	n := len(chans[0])
	data := uint32(n * nch * 2)
	hdr := []any{[]byte("RIFF"), 36 + data, []byte("WAVEfmt "), uint32(16), uint16(1), uint16(nch),
		uint32(rate), uint32(rate * nch * 2), uint16(nch * 2), uint16(16), []byte("data"), data}
	for _, h := range hdr {
		if err := binary.Write(w, binary.LittleEndian, h); err != nil {
			return err
		}
	}
	buf := make([]byte, 2)
	for i := 0; i < n; i++ {
		for c := 0; c < nch; c++ {
			v := math.Round(float64(chans[c][i]) * 32767)
			v = math.Max(-32768, math.Min(32767, v))
			binary.LittleEndian.PutUint16(buf, uint16(int16(v)))
			if _, err := w.Write(buf); err != nil {
				return err
			}
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func applyVariant(ctx context.Context, in, base string, v Variant, seed int64) (string, error) {
	var args []string
	out := base
	switch v {
	case Plain:
		final := base + ".wav"
		return final, os.Rename(in, final)
	case AAC96:
		out += ".m4a"
		args = []string{"-c:a", "aac", "-b:a", "96k"}
	case MP3128:
		out += ".mp3"
		args = []string{"-c:a", "libmp3lame", "-b:a", "128k"}
	case Opus32:
		out += ".opus"
		args = []string{"-c:a", "libopus", "-b:a", "32k"}
	case Resample16:
		out += ".16k.wav"
		args = []string{"-ar", "16000", "-c:a", "pcm_s16le"}
	case SpeakerMic:
		// Speaker and room: band-limit, sox reverb, then microphone noise.
		tmp := base + ".room.wav"
		if err := run(ctx, "sox", in, tmp, "sinc", "100-7000", "reverb", "35", "50", "60", "100", "10"); err != nil {
			return "", err
		}
		defer os.Remove(tmp)
		out += ".mic.wav"
		noise := fmt.Sprintf("anoisesrc=c=pink:a=0.002:r=48000:seed=%d", seed%1000000)
		return out, run(ctx, "ffmpeg", "-v", "error", "-y", "-i", tmp, "-f", "lavfi", "-i", noise,
			"-filter_complex", "[0:a]aformat=channel_layouts=mono[a];[a][1:a]amix=inputs=2:duration=first:normalize=0",
			"-c:a", "pcm_s16le", out)
	default:
		return "", fmt.Errorf("unknown variant %q", v)
	}
	full := append([]string{"-v", "error", "-y", "-i", in}, args...)
	return out, run(ctx, "ffmpeg", append(full, out)...)
}

func run(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	b, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(string(b)))
	}
	return nil
}
