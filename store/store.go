// Package store keeps scan results in an embedded SQLite database so that a
// re-scan skips files whose content, detector versions and build are
// unchanged, an interrupted scan resumes where it stopped, and past results
// can be re-rendered without rescanning. Each finished file is committed on its own,
// in WAL mode, so a scan killed at any point leaves every finished file kept.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // pure Go: no system library needed

	"tracescan/report"
)

// Store is a results database. It is safe for concurrent use.
type Store struct {
	db *sql.DB
	mu sync.Mutex // one writer at a time; SQLite would serialise anyway
}

const schema = `
CREATE TABLE IF NOT EXISTS results_v2 (
	content_hash TEXT NOT NULL,
	detector_key TEXT NOT NULL,
	file_json    BLOB NOT NULL,
	images_json  BLOB NOT NULL,
	probe_json   BLOB NOT NULL,
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (content_hash, detector_key)
);
CREATE TABLE IF NOT EXISTS paths (
	path         TEXT PRIMARY KEY,
	size         INTEGER NOT NULL,
	mtime_ns     INTEGER NOT NULL,
	content_hash TEXT NOT NULL,
	detector_key TEXT NOT NULL,
	scanned_at   INTEGER NOT NULL
);
`

// DefaultPath is the per-user database location.
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the user cache dir: %w", err)
	}
	return filepath.Join(dir, "tracescan", "results.db"), nil
}

// Open opens or creates the database at path. The file is created mode 0600:
// results name people.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating database folder: %w", err)
	}
	if f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600); err != nil {
		return nil, fmt.Errorf("opening results database: %w", err)
	} else {
		f.Close()
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening results database: %w", err)
	}
	db.SetMaxOpenConns(4)
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("preparing results database %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Key identifies the content of a file: its SHA-256, found again cheaply
// when path, size and modification time are what they were.
type Key struct {
	Path        string
	Size        int64
	MtimeNs     int64
	ContentHash string
}

// KeyFor returns the content key of a file, hashing it only when the path's
// size or modification time changed since it was last recorded.
func (s *Store) KeyFor(ctx context.Context, path string) (Key, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Key{}, err
	}
	k := Key{Path: path, Size: st.Size(), MtimeNs: st.ModTime().UnixNano()}
	var hash string
	err = s.db.QueryRowContext(ctx, `SELECT content_hash FROM paths WHERE path = ? AND size = ? AND mtime_ns = ?`,
		path, k.Size, k.MtimeNs).Scan(&hash)
	if err == nil {
		k.ContentHash = hash
		return k, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return Key{}, fmt.Errorf("reading results database: %w", err)
	}
	k.ContentHash, err = hashFile(ctx, path)
	return k, err
}

func hashFile(ctx context.Context, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := f.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Get returns the stored report for a content key and detector set, and the
// probe data stored with it (the caller's own encoding of what ffprobe said,
// which is the same for the same content).
func (s *Store) Get(ctx context.Context, k Key, detectorKey string) (report.FileReport, []byte, bool, error) {
	var fileJSON, imagesJSON, probeJSON []byte
	err := s.db.QueryRowContext(ctx, `SELECT file_json, images_json, probe_json FROM results_v2 WHERE content_hash = ? AND detector_key = ?`,
		k.ContentHash, detectorKey).Scan(&fileJSON, &imagesJSON, &probeJSON)
	if errors.Is(err, sql.ErrNoRows) {
		return report.FileReport{}, nil, false, nil
	}
	if err != nil {
		return report.FileReport{}, nil, false, fmt.Errorf("reading results database: %w", err)
	}
	fr, err := decode(fileJSON, imagesJSON)
	if err != nil {
		return report.FileReport{}, nil, false, err
	}
	fr.Path = k.Path
	// Remember the path too, so that the next run need not hash it.
	if err := s.touchPath(ctx, k, detectorKey); err != nil {
		return report.FileReport{}, nil, false, err
	}
	return fr, probeJSON, true, nil
}

// Put stores a finished file's report and its probe data in one transaction.
func (s *Store) Put(ctx context.Context, k Key, detectorKey string, fr report.FileReport, probeJSON []byte) error {
	fileJSON, imagesJSON, err := encode(fr)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("writing results database: %w", err)
	}
	defer tx.Rollback()
	now := time.Now().Unix()
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO results_v2 VALUES (?, ?, ?, ?, ?, ?)`,
		k.ContentHash, detectorKey, fileJSON, imagesJSON, append([]byte{}, probeJSON...), now); err != nil {
		return fmt.Errorf("writing results database: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO paths VALUES (?, ?, ?, ?, ?, ?)`,
		k.Path, k.Size, k.MtimeNs, k.ContentHash, detectorKey, now); err != nil {
		return fmt.Errorf("writing results database: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("writing results database: %w", err)
	}
	return nil
}

func (s *Store) touchPath(ctx context.Context, k Key, detectorKey string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO paths VALUES (?, ?, ?, ?, ?, ?)`,
		k.Path, k.Size, k.MtimeNs, k.ContentHash, detectorKey, time.Now().Unix())
	if err != nil {
		return fmt.Errorf("writing results database: %w", err)
	}
	return nil
}

// Latest returns the most recent stored report of every path, in path order.
func (s *Store) Latest(ctx context.Context) ([]report.FileReport, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.path, r.file_json, r.images_json FROM paths p
		JOIN results_v2 r ON r.content_hash = p.content_hash AND r.detector_key = p.detector_key
		ORDER BY p.path`)
	if err != nil {
		return nil, fmt.Errorf("reading results database: %w", err)
	}
	defer rows.Close()
	var out []report.FileReport
	for rows.Next() {
		var path string
		var fileJSON, imagesJSON []byte
		if err := rows.Scan(&path, &fileJSON, &imagesJSON); err != nil {
			return nil, fmt.Errorf("reading results database: %w", err)
		}
		fr, err := decode(fileJSON, imagesJSON)
		if err != nil {
			return nil, err
		}
		fr.Path = path
		out = append(out, fr)
	}
	return out, rows.Err()
}

// encode keeps the evidence pictures, which the public JSON leaves out.
func encode(fr report.FileReport) (fileJSON, imagesJSON []byte, err error) {
	images := make([][][]byte, len(fr.Findings))
	for i, x := range fr.Findings {
		for _, ev := range x.Images {
			images[i] = append(images[i], ev.Data)
		}
	}
	if fileJSON, err = json.Marshal(fr); err != nil {
		return nil, nil, fmt.Errorf("encoding result: %w", err)
	}
	if imagesJSON, err = json.Marshal(images); err != nil {
		return nil, nil, fmt.Errorf("encoding result: %w", err)
	}
	return fileJSON, imagesJSON, nil
}

func decode(fileJSON, imagesJSON []byte) (report.FileReport, error) {
	var fr report.FileReport
	if err := json.Unmarshal(fileJSON, &fr); err != nil {
		return fr, fmt.Errorf("decoding stored result: %w", err)
	}
	var images [][][]byte
	if err := json.Unmarshal(imagesJSON, &images); err != nil {
		return fr, fmt.Errorf("decoding stored pictures: %w", err)
	}
	for i := range fr.Findings {
		if i >= len(images) {
			break
		}
		for j := range fr.Findings[i].Images {
			if j < len(images[i]) {
				fr.Findings[i].Images[j].Data = images[i][j]
			}
		}
	}
	return fr, nil
}
