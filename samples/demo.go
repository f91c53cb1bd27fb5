package samples

import (
	"context"
	"path/filepath"
)

// WriteDemo writes the demo set into dir: the Zoom-like meeting folder
// (recording, participant audio, side files) and a clean control in
// dir/control. It returns the recording paths, meeting first.
func WriteDemo(ctx context.Context, dir string) ([]string, error) {
	meeting, label, err := WriteMeetingRecording(ctx, dir, 1)
	if err != nil {
		return nil, err
	}
	clean, _, err := WriteCleanControl(ctx, filepath.Join(dir, "control"), 2)
	if err != nil {
		return nil, err
	}
	return []string{meeting, filepath.Join(label.Folder, label.ParticipantAudio), clean}, nil
}
