package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"tracescan/report"
)

func TestPutGetLatest(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "db", "results.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, _ := os.Stat(filepath.Join(dir, "db", "results.db"))
	if st.Mode().Perm() != 0o600 {
		t.Errorf("database mode %v, want 0600", st.Mode().Perm())
	}
	media := filepath.Join(dir, "a.m4a")
	os.WriteFile(media, []byte("content one"), 0o644)

	k, err := s.KeyFor(ctx, media)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok, _ := s.Get(ctx, k, "metadata@1"); ok {
		t.Fatal("empty store returned a result")
	}
	fr := report.FileReport{Path: media, Findings: []report.Finding{{Kind: "metadata", Severity: report.High,
		Title: "t", Images: []report.Evidence{{Caption: "pic", Data: []byte{1, 2, 3}}}}}}
	if err := s.Put(ctx, k, "metadata@1", fr, []byte(`{"probe":1}`)); err != nil {
		t.Fatal(err)
	}
	got, probe, ok, err := s.Get(ctx, k, "metadata@1")
	if err != nil || !ok {
		t.Fatalf("Get: %v %v", ok, err)
	}
	if string(probe) != `{"probe":1}` {
		t.Errorf("probe data = %q", probe)
	}
	if len(got.Findings) != 1 || string(got.Findings[0].Images[0].Data) != "\x01\x02\x03" {
		t.Errorf("round trip lost data: %+v", got)
	}
	if _, _, ok, _ := s.Get(ctx, k, "metadata@2"); ok {
		t.Error("a new detector version reused an old result")
	}

	// Same content under another name: found by hash.
	copyPath := filepath.Join(dir, "copy.m4a")
	os.WriteFile(copyPath, []byte("content one"), 0o644)
	k2, _ := s.KeyFor(ctx, copyPath)
	if _, _, ok, _ := s.Get(ctx, k2, "metadata@1"); !ok {
		t.Error("identical content under another path not found")
	}
	// Changed content: not found.
	time.Sleep(10 * time.Millisecond)
	os.WriteFile(media, []byte("content two"), 0o644)
	k3, _ := s.KeyFor(ctx, media)
	if k3.ContentHash == k.ContentHash {
		t.Error("changed file kept its old hash")
	}
	latest, err := s.Latest(ctx)
	if err != nil || len(latest) != 2 {
		t.Fatalf("Latest: %d, %v", len(latest), err)
	}
}

func TestConcurrentPuts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "results.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := Key{Path: fmt.Sprintf("f%03d", i), ContentHash: fmt.Sprintf("h%03d", i)}
			errs <- s.Put(ctx, k, "d@1", report.FileReport{Path: k.Path}, nil)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	latest, err := s.Latest(ctx)
	if err != nil || len(latest) != 100 {
		t.Fatalf("Latest: %d, %v", len(latest), err)
	}
}
