package scan

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// candidate is a file that may be media.
type candidate struct {
	path string
	// explicit is set for files named on the command line: they must be
	// media, so a failure to read one is an error rather than a skip.
	explicit bool
}

// walkResult is what walking the inputs produced.
type walkResult struct {
	files   []candidate
	skipped []string
	errors  []pathError
}

type pathError struct {
	path string
	err  error
}

// mediaExtensions are names that promise media: a file with one of these that
// ffprobe cannot read is an error, not a skip.
var mediaExtensions = map[string]bool{
	".mp4": true, ".m4a": true, ".m4v": true, ".mov": true, ".mkv": true, ".webm": true,
	".avi": true, ".wav": true, ".mp3": true, ".aac": true, ".ogg": true, ".oga": true,
	".opus": true, ".flac": true, ".wma": true, ".wmv": true, ".3gp": true, ".ts": true,
	".mts": true, ".m2ts": true, ".flv": true, ".mpg": true, ".mpeg": true, ".caf": true,
	".aif": true, ".aiff": true, ".amr": true,
}

func hasMediaExtension(path string) bool {
	return mediaExtensions[strings.ToLower(filepath.Ext(path))]
}

// walkOptions controls which files a folder walk yields.
type walkOptions struct {
	followSymlinks bool
	include        []string
	exclude        []string
}

// walk expands the command-line paths into candidate files. Folders are
// walked recursively; symbolic links inside folders are skipped unless
// followSymlinks is set, and then a link back into a folder already being
// walked is reported, not followed forever.
func walk(paths []string, opt walkOptions) walkResult {
	var res walkResult
	seen := map[string]bool{}
	for _, p := range paths {
		st, err := os.Stat(p) // follows a link the user named on purpose
		if err != nil {
			res.errors = append(res.errors, pathError{p, DescribeStat(err)})
			continue
		}
		if !st.IsDir() {
			if !st.Mode().IsRegular() {
				res.errors = append(res.errors, pathError{p, errors.New("not a regular file")})
				continue
			}
			if !seen[p] {
				seen[p] = true
				res.files = append(res.files, candidate{path: p, explicit: true})
			}
			continue
		}
		walkDir(p, opt, &res, seen, map[string]bool{})
	}
	return res
}

func walkDir(root string, opt walkOptions, res *walkResult, seen, activeDirs map[string]bool) {
	real, err := filepath.EvalSymlinks(root)
	if err == nil {
		if activeDirs[real] {
			res.errors = append(res.errors, pathError{root, errors.New("symbolic link loop: folder is already being scanned")})
			return
		}
		activeDirs[real] = true
		defer delete(activeDirs, real)
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			res.errors = append(res.errors, pathError{path, DescribeStat(err)})
			if d != nil && d.IsDir() && path != root {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if path != root && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			res.skipped = append(res.skipped, path)
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(path)
			if err != nil {
				// A loop or a dangling link is worth a line even when
				// links are not followed: something is broken there.
				res.errors = append(res.errors, pathError{path, DescribeStat(err)})
				return nil
			}
			if !opt.followSymlinks {
				res.skipped = append(res.skipped, path)
				return nil
			}
			if st.IsDir() {
				walkDir(path, opt, res, seen, activeDirs)
				return nil
			}
			if !st.Mode().IsRegular() {
				res.skipped = append(res.skipped, path)
				return nil
			}
		} else if d.IsDir() {
			return nil
		} else if !d.Type().IsRegular() {
			res.skipped = append(res.skipped, path)
			return nil
		}
		if !selected(root, path, opt) {
			res.skipped = append(res.skipped, path)
			return nil
		}
		if !seen[path] {
			seen[path] = true
			res.files = append(res.files, candidate{path: path})
		}
		return nil
	})
	if err != nil {
		res.errors = append(res.errors, pathError{root, err})
	}
}

// selected applies --include and --exclude globs to the base name and to the
// path relative to the walked folder.
func selected(root, path string, opt walkOptions) bool {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		rel = path
	}
	match := func(globs []string) bool {
		for _, g := range globs {
			if ok, _ := filepath.Match(g, filepath.Base(path)); ok {
				return true
			}
			if ok, _ := filepath.Match(g, rel); ok {
				return true
			}
		}
		return false
	}
	if len(opt.include) > 0 && !match(opt.include) {
		return false
	}
	return !match(opt.exclude)
}

// DescribeStat turns file-system errors into short reasons for one error line.
func DescribeStat(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("no such file or folder")
	case errors.Is(err, fs.ErrPermission):
		return errors.New("permission denied")
	case strings.Contains(err.Error(), "too many levels of symbolic links"):
		return errors.New("symbolic link loop")
	}
	return fmt.Errorf("cannot read: %w", err)
}
