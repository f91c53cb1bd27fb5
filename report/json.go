package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes the report as indented JSON. Field order follows the
// struct definitions and findings are sorted, so output is stable.
func WriteJSON(w io.Writer, r *ScanReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("writing JSON report: %w", err)
	}
	return nil
}

// ReadJSON reads a report written by WriteJSON.
func ReadJSON(rd io.Reader) (*ScanReport, error) {
	var r ScanReport
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("reading JSON report: %w", err)
	}
	if r.SchemaVersion == 0 || r.SchemaVersion > SchemaVersion {
		return nil, fmt.Errorf("unsupported report schema version %d", r.SchemaVersion)
	}
	return &r, nil
}
