package video

import "testing"

func TestConsensus(t *testing.T) {
	t.Parallel()
	got, n := consensus([]string{"omar_garcia2z8@contoso.com", "omar_garcia28@contoso.com", "omar_qarcia28@contoso.com",
		"omar_garcia28@cantoso.com", "8@contoso.com"})
	if got != "omar_garcia28@contoso.com" || n != 3 {
		t.Errorf("consensus = %q (%d)", got, n)
	}
}
