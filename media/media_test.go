package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"tracescan/internal/fftest"
)

func TestProbe(t *testing.T) {
	dir := t.TempDir()
	av := filepath.Join(dir, "Café Meeting – Ünïcode.mp4")
	fftest.Run(t, "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2", "-f", "lavfi", "-i", "sine=f=440:d=2",
		"-metadata", "title=Weekly sync", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", av)
	wav := filepath.Join(dir, "tone.wav")
	fftest.Run(t, "-f", "lavfi", "-i", "sine=f=440:d=1:sample_rate=16000", wav)
	text := filepath.Join(dir, "notes.mp4")
	os.WriteFile(text, []byte("these are meeting notes, not a video\n"), 0o644)
	empty := filepath.Join(dir, "empty.mp4")
	os.WriteFile(empty, nil, 0o644)
	truncated := filepath.Join(dir, "truncated.mp4")
	data, _ := os.ReadFile(av)
	os.WriteFile(truncated, data[:len(data)/3], 0o644)

	tests := []struct {
		name      string
		path      string
		wantErr   bool
		notMedia  bool
		wantVideo bool
		wantAudio bool
	}{
		{"video with audio", av, false, false, true, true},
		{"wav", wav, false, false, false, true},
		{"text named mp4", text, true, false, false, false},
		{"empty", empty, true, true, false, false},
		{"truncated", truncated, true, false, false, false},
		{"missing", filepath.Join(dir, "nope.mp4"), true, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := Probe(context.Background(), tt.path)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Probe err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.notMedia && !errors.Is(err, ErrNotMedia) {
				t.Errorf("err = %v, want ErrNotMedia", err)
			}
			if err != nil {
				return
			}
			_, v := info.Video()
			_, a := info.Audio()
			if v != tt.wantVideo || a != tt.wantAudio {
				t.Errorf("video %v audio %v, want %v %v", v, a, tt.wantVideo, tt.wantAudio)
			}
			if info.Duration < 0.9 {
				t.Errorf("duration %v", info.Duration)
			}
		})
	}
	info, err := Probe(context.Background(), av)
	if err != nil {
		t.Fatal(err)
	}
	if info.Tags["title"] != "Weekly sync" {
		t.Errorf("title tag = %q", info.Tags["title"])
	}
}

// readAll drains an AudioReader and returns the samples of channel 0.
func readAll(t *testing.T, r AudioReader) []float32 {
	t.Helper()
	var out []float32
	buf := make([]float32, 4096*r.Channels())
	for {
		n, err := r.Read(buf)
		for i := 0; i < n; i += r.Channels() {
			out = append(out, buf[i])
		}
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenAudio(t *testing.T) {
	dir := t.TempDir()
	wav := filepath.Join(dir, "tone.wav")
	fftest.Run(t, "-f", "lavfi", "-i", "sine=f=1000:d=2:sample_rate=48000", "-af", "pan=stereo|c0=c0|c1=c0", "-c:a", "pcm_s16le", wav)
	m4a := filepath.Join(dir, "tone.m4a")
	fftest.Run(t, "-i", wav, "-c:a", "aac", "-b:a", "128k", m4a)

	tests := []struct {
		name  string
		path  string
		opt   AudioOptions
		rate  int
		chans int
		secs  float64
	}{
		{"wav native (go-audio/wav)", wav, AudioOptions{}, 48000, 2, 2},
		{"wav resampled (ffmpeg)", wav, AudioOptions{SampleRate: 16000, Channels: 1}, 16000, 1, 2},
		{"aac native", m4a, AudioOptions{}, 48000, 2, 2},
		{"aac window by seeking", m4a, AudioOptions{StartS: 0.5, DurationS: 1}, 48000, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := Probe(context.Background(), tt.path)
			if err != nil {
				t.Fatal(err)
			}
			r, err := OpenAudio(context.Background(), info, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.SampleRate() != tt.rate || r.Channels() != tt.chans {
				t.Fatalf("rate %d ch %d", r.SampleRate(), r.Channels())
			}
			s := readAll(t, r)
			secs := float64(len(s)) / float64(tt.rate)
			if secs < tt.secs-0.1 || secs > tt.secs+0.2 {
				t.Errorf("decoded %.2f s, want about %.1f", secs, tt.secs)
			}
			// sine=... has amplitude 1/8: check the level, which catches
			// scaling and byte-order mistakes.
			var sum float64
			for _, v := range s[len(s)/4 : len(s)*3/4] {
				sum += float64(v) * float64(v)
			}
			rms := math.Sqrt(sum / float64(len(s)/2))
			if rms < 0.06 || rms > 0.13 { // ffmpeg mixes channels with a -3 dB pan law
				t.Errorf("rms %.3f, want about %.3f", rms, 0.125/math.Sqrt2)
			}
		})
	}
}

// encodeH264 encodes the lavfi source src to path with x264 (ultrafast)
// and the given extra options (key-frame interval and the like).
func encodeH264(t *testing.T, src, path string, extra ...string) {
	t.Helper()
	args := append([]string{"-f", "lavfi", "-i", src, "-c:v", "libx264", "-preset", "ultrafast"}, extra...)
	fftest.Run(t, append(args, path)...)
}

func TestSampleFrames(t *testing.T) {
	dir := t.TempDir()
	// Content that changes (testsrc2 moves) with a key frame every second.
	moving := filepath.Join(dir, "moving.mp4")
	encodeH264(t, "testsrc2=s=640x360:r=25:d=20", moving, "-g", "25")
	// A still picture: every key frame is a near-duplicate.
	still := filepath.Join(dir, "still.mp4")
	encodeH264(t, "color=c=gray:s=640x360:r=25:d=20", still, "-g", "25")
	// One key frame only: sampling must fall back to decoding by time.
	rare := filepath.Join(dir, "rare.mp4")
	encodeH264(t, "testsrc2=s=320x180:r=25:d=20", rare, "-g", "1000", "-x264-params", "scenecut=0")

	tests := []struct {
		name          string
		path          string
		opt           FrameOptions
		minN, maxN    int
		keyOnly       bool
		width, height int
	}{
		{"key frames, bounded", moving, FrameOptions{MaxFrames: 10, MaxWidth: 320, Gray: true}, 8, 10, true, 320, 180},
		{"all key frames bgr", moving, FrameOptions{MaxFrames: 100}, 18, 21, true, 640, 360},
		{"still drops duplicates", still, FrameOptions{MaxFrames: 100, Gray: true}, 1, 2, true, 640, 360},
		{"rare key frames fall back", rare, FrameOptions{MaxFrames: 10, Gray: true}, 8, 11, false, 320, 180},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := Probe(context.Background(), tt.path)
			if err != nil {
				t.Fatal(err)
			}
			var times []float64
			stats, err := SampleFrames(context.Background(), info, tt.opt, func(f Frame) error {
				if f.Width != tt.width || f.Height != tt.height || len(f.Pix) != f.Width*f.Height*f.Channels {
					t.Fatalf("frame %dx%dx%d, %d bytes", f.Width, f.Height, f.Channels, len(f.Pix))
				}
				times = append(times, f.Time)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(times) < tt.minN || len(times) > tt.maxN {
				t.Errorf("%d frames (stats %+v), want %d-%d", len(times), stats, tt.minN, tt.maxN)
			}
			if stats.KeyOnly != tt.keyOnly {
				t.Errorf("KeyOnly = %v", stats.KeyOnly)
			}
			for i := 1; i < len(times); i++ {
				if times[i] <= times[i-1] {
					t.Errorf("times not increasing: %v", times)
					break
				}
			}
			if len(times) > 2 && times[len(times)-1] < 10 {
				t.Errorf("frames not spread over the duration: %v", times)
			}
		})
	}
}

func TestSampleFramesCancel(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "v.mp4")
	encodeH264(t, "testsrc2=s=320x180:r=25:d=10", p, "-g", "25")
	info, err := Probe(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	_, err = SampleFrames(context.Background(), info, FrameOptions{}, func(Frame) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 2 {
		t.Errorf("err = %v after %d frames", err, n)
	}
}

// Split decodes must deliver the frames one process delivers, with the
// same times, including a cut that falls exactly on a key frame.
func TestSampleFramesParts(t *testing.T) {
	dir := t.TempDir()
	moving := filepath.Join(dir, "moving.mp4")
	encodeH264(t, "testsrc2=s=320x180:r=25:d=20", moving, "-g", "25")
	// MPEG-TS starts at 1.4 s: times must still count from the stream start.
	ts := filepath.Join(dir, "moving.ts")
	encodeH264(t, "testsrc2=s=320x180:r=25:d=20", ts, "-g", "25")
	rare := filepath.Join(dir, "rare.mp4")
	encodeH264(t, "testsrc2=s=320x180:r=25:d=20", rare, "-g", "1000", "-x264-params", "scenecut=0")

	type sampled struct {
		times []float64
		pix   [][]byte
		stats FrameStats
	}
	sample := func(t *testing.T, path string, opt FrameOptions, parts int) sampled {
		t.Helper()
		info, err := Probe(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		var s sampled
		s.stats, err = sampleFrames(context.Background(), info, opt, parts, func(f Frame) error {
			s.times = append(s.times, f.Time)
			s.pix = append(s.pix, f.Pix)
			return nil
		})
		if err != nil {
			t.Fatalf("%d parts: %v", parts, err)
		}
		return s
	}
	tests := []struct {
		name  string
		path  string
		opt   FrameOptions
		parts []int
	}{
		{"every key frame", moving, FrameOptions{MaxFrames: 100, Gray: true}, []int{2, 3}},
		{"every other key frame", moving, FrameOptions{MaxFrames: 10, Gray: true}, []int{2}},
		{"nonzero start time", ts, FrameOptions{MaxFrames: 100, Gray: true}, []int{2, 3}},
		{"duplicates across the cut", moving, FrameOptions{MaxFrames: 100, Gray: true, DuplicateThreshold: 1000}, []int{2}},
		{"rare key frames fall back", rare, FrameOptions{MaxFrames: 10, Gray: true}, []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			one := sample(t, tt.path, tt.opt, 1)
			if len(one.times) == 0 {
				t.Fatal("no frames")
			}
			for _, n := range tt.parts {
				got := sample(t, tt.path, tt.opt, n)
				if got.stats.KeyOnly != one.stats.KeyOnly || got.stats.Delivered != one.stats.Delivered {
					t.Errorf("%d parts: stats %+v, one process %+v", n, got.stats, one.stats)
				}
				if len(got.times) != len(one.times) {
					t.Fatalf("%d parts: times %v, one process %v", n, got.times, one.times)
				}
				for i := range got.times {
					if math.Abs(got.times[i]-one.times[i]) > 1e-3 {
						t.Fatalf("%d parts: times %v, one process %v", n, got.times, one.times)
					}
					if !bytes.Equal(got.pix[i], one.pix[i]) {
						t.Errorf("%d parts: frame %d at %.2f s differs", n, i, got.times[i])
					}
				}
			}
		})
	}
}

func TestSplitParts(t *testing.T) {
	if ps := splitParts(0, 4); len(ps) != 1 || ps[0] != (part{}) {
		t.Errorf("unknown duration: %v", ps)
	}
	ps := splitParts(100, 3)
	want := []part{{0, 33.333}, {33.333, 66.667}, {66.667, 0}}
	if len(ps) != len(want) {
		t.Fatalf("parts %v, want %v", ps, want)
	}
	for i := range ps {
		if ps[i] != want[i] {
			t.Errorf("parts %v, want %v", ps, want)
		}
	}
}
