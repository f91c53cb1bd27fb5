package media

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// writeTestWAV writes 16-bit stereo PCM: left a 440 Hz sine, right its negation.
func writeTestWAV(t *testing.T, rate, frames int) (string, [][2]float64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.wav")
	want := make([][2]float64, frames)
	data := make([]byte, 0, frames*4)
	for i := range want {
		v := int16(math.Round(16000 * math.Sin(2*math.Pi*440*float64(i)/float64(rate))))
		want[i] = [2]float64{float64(v) / 32768, float64(-v) / 32768}
		data = binary.LittleEndian.AppendUint16(data, uint16(v))
		data = binary.LittleEndian.AppendUint16(data, uint16(-v))
	}
	hdr := []byte("RIFF")
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(36+len(data)))
	hdr = append(hdr, "WAVEfmt "...)
	hdr = binary.LittleEndian.AppendUint32(hdr, 16)
	hdr = binary.LittleEndian.AppendUint16(hdr, 1)
	hdr = binary.LittleEndian.AppendUint16(hdr, 2)
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(rate))
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(rate*4))
	hdr = binary.LittleEndian.AppendUint16(hdr, 4)
	hdr = binary.LittleEndian.AppendUint16(hdr, 16)
	hdr = append(hdr, "data"...)
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(len(data)))
	if err := os.WriteFile(path, append(hdr, data...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, want
}

func readAllAudio(t *testing.T, r AudioReader, chunk int) []float32 {
	t.Helper()
	var out []float32
	buf := make([]float32, chunk)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("read: %v", err)
		}
	}
}

func TestOpenAudioPaths(t *testing.T) {
	const rate, frames = 48000, 48000 * 3 / 2
	path, want := writeTestWAV(t, rate, frames)
	ctx := context.Background()
	info, err := Probe(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		opt   AudioOptions
		chunk int
		ch    int
		// expected sample value of frame i, channel c
		val func(i, c int) float64
	}{
		{"wav native, odd chunks", AudioOptions{}, 1001, 2, func(i, c int) float64 { return want[i][c] }},
		{"ffmpeg mono downmix", AudioOptions{Channels: 1}, 4096, 1, func(i, c int) float64 { return 0 }},
		{"ffmpeg same format", AudioOptions{SampleRate: rate, Channels: 2}, 777, 2, func(i, c int) float64 { return want[i][c] }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := OpenAudio(ctx, info, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Channels() != c.ch || r.SampleRate() != rate {
				t.Fatalf("got %d ch %d Hz", r.Channels(), r.SampleRate())
			}
			x := readAllAudio(t, r, c.chunk)
			if len(x) != frames*c.ch {
				t.Fatalf("got %d samples, want %d", len(x), frames*c.ch)
			}
			for i := 0; i < frames; i += 997 {
				for ch := 0; ch < c.ch; ch++ {
					if d := math.Abs(float64(x[i*c.ch+ch]) - c.val(i, ch)); d > 1e-4 {
						t.Fatalf("frame %d ch %d: %v, want %v", i, ch, x[i*c.ch+ch], c.val(i, ch))
					}
				}
			}
		})
	}
}

func TestOpenAudioCancel(t *testing.T) {
	path, _ := writeTestWAV(t, 48000, 48000)
	info, err := Probe(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r, err := OpenAudio(ctx, info, AudioOptions{Channels: 1})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	buf := make([]float32, 1<<20)
	for i := 0; i < 10; i++ {
		if _, err := r.Read(buf); err != nil {
			break
		}
	}
	if err := r.Close(); err != nil {
		t.Fatalf("close after cancel: %v", err)
	}
}
