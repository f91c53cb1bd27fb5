package scan

import (
	"fmt"
	"hash/fnv"
	"path/filepath"
	"strconv"
	"strings"
)

// Shard selects share Index (1-based) of Of shares of the inputs, by a hash
// of each file's path, so that N machines given the same inputs scan
// disjoint shares that together cover everything.
type Shard struct {
	Index, Of int
}

// ParseShard reads "K/N" with 1 <= K <= N.
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 1 || ki > ni {
		return Shard{}, fmt.Errorf("shard %q: want K/N with 1 <= K <= N", s)
	}
	return Shard{Index: ki, Of: ni}, nil
}

// Owns says whether this shard scans path. The path is cleaned first so that
// "a/./b" and "a/b" land in the same shard.
func (s Shard) Owns(path string) bool {
	if s.Of <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(filepath.ToSlash(filepath.Clean(path))))
	return int(h.Sum64()%uint64(s.Of)) == s.Index-1
}

func (s Shard) filter(files []candidate) []candidate {
	var out []candidate
	for _, c := range files {
		if s.Owns(c.path) {
			out = append(out, c)
		}
	}
	return out
}
