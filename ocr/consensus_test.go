package ocr

import "testing"

func TestConsensus(t *testing.T) {
	tests := []struct {
		name  string
		lines []Line
		want  string
		n     int
	}{
		{"partial tiles outvote a repeated misread", []Line{
			{"peter_ivanova32@example.com 8 923 281", 89},
			{"peter_ivanova32@example.comi 8 923 281", 86},
			{"peter_ivanova32@examiple.com 8 923 281", 86},
			{"peter_ivanova32@examiple.com 8 923 281", 83},
			{"peter_ivanova32@example.com 8 923 281", 94},
			{"peter_ivanova32@examiple.com 8 923 281", 93},
			{"~ ivanova32@example.com 8 923 281", 87},
			{"~ ivanova32@example.com 8 923 281", 94},
			{"~ ivanova32@example.com 8.923 281", 86},
		}, "peter_ivanova32@example.com 8 923 281", 9},
		{"each reading misses a different letter", []Line{
			{"anna.schmdt@example.com", 60},
			{"anna.schmidt@exmple.com", 60},
			{"ana.schmidt@example.com", 60},
		}, "anna.schmidt@example.com", 3},
		{"a reading of other text does not vote", []Line{
			{"jdoe@example.org", 80},
			{"jdoe@example.org", 70},
			{"quarterly revenue forecast", 95},
		}, "jdoe@example.org", 2},
		{"a lone reading is kept", []Line{{"mkrause", 50}}, "mkrause", 1},
		{"noise only", []Line{{"~ —", 20}, {"", 0}}, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, n := Consensus(tc.lines)
			if got != tc.want || n != tc.n {
				t.Errorf("Consensus = %q (%d readings), want %q (%d)", got, n, tc.want, tc.n)
			}
		})
	}
}

func TestConsensusKeepsLettersWhole(t *testing.T) {
	got, _ := Consensus([]Line{{"jürgen@example.org", 80}, {"jürgen@example.org", 70}, {"jurgen@example.org", 60}})
	if got != "jürgen@example.org" {
		t.Errorf("Consensus = %q, want the umlaut kept whole", got)
	}
}

func TestConsensusDropsUnconfirmedEnds(t *testing.T) {
	got, _ := Consensus([]Line{{"—_olga_patel41]", 23}, {"——oOlga_patel41].", 38}, {"—olga_patel41].", 53}})
	if got != "olga_patel41" {
		t.Errorf("Consensus = %q, want olga_patel41", got)
	}
}
