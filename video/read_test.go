package video

import "testing"

func TestSameLengthVote(t *testing.T) {
	t.Parallel()
	got, n := sameLengthVote([]string{"omar_garcia2z8@contoso.com", "omar_garcia28@contoso.com", "omar_qarcia28@contoso.com",
		"omar_garcia28@cantoso.com", "8@contoso.com"})
	if got != "omar_garcia28@contoso.com" || n != 3 {
		t.Errorf("sameLengthVote = %q (%d)", got, n)
	}
}

func TestPresenceScore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		p        presence
		min, max float64
	}{
		{"nothing", presence{}, 0, 0},
		{"one content of twenty", presence{distinct: 1, contents: 20}, 0, 0.1},
		{"two of twenty", presence{distinct: 2, contents: 20}, 0, 0.2},
		{"five of five", presence{distinct: 5, contents: 5}, 3.4, 3.6}, // 0.2^5
		{"sixteen of seventeen", presence{distinct: 16, contents: 17}, 9.5, 11},
	}
	for _, tc := range tests {
		if got := tc.p.score(); got < tc.min || got > tc.max {
			t.Errorf("%s: score %.3f, want %.2f..%.2f", tc.name, got, tc.min, tc.max)
		}
	}
	if got := binomTail(3, 2, 0.5); got != 0 {
		t.Errorf("binomTail(3, 2) = %v, want 0", got)
	}
	if got := binomTail(0, 7, 0.3); got != 1 {
		t.Errorf("binomTail(0, 7) = %v, want 1", got)
	}
}
