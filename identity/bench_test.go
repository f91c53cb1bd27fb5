package identity

import (
	"fmt"
	"strings"
	"testing"
)

// chatLog builds a Zoom chat log of about n bytes.
func chatLog(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "10:%02d:%02d From Anna Schmidt to Everyone:\n\tsee v4.6.0 at 1920x1080, call +49 30 12345%02d or anna%d@example.com\n", i/60%60, i%60, i%100, i%50)
	}
	return b.String()
}

func BenchmarkFind1MB(b *testing.B) {
	s := chatLog(1 << 20)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Find(s)
	}
}

// realisticChat is a chat log of ordinary messages with a few identities.
func realisticChat(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "10:%02d:%02d From Anna Schmidt to Everyone:\n\tI think the budget for Q%d looks fine, see slide %d\n", i/60%60, i%60, i%4+1, i%40)
		if i%100 == 0 {
			b.WriteString("10:00:00 From Bob Jones to Everyone:\n\tmail me at bob.jones@example.com or call +49 30 1234567\n")
		}
	}
	return b.String()
}

func BenchmarkFindChat1MB(b *testing.B) {
	s := realisticChat(1 << 20)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Find(s)
	}
}
