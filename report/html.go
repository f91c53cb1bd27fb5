package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"image/png"
	"io"
	"strings"
)

// WriteHTML renders one self-contained page: inline CSS, pictures as data:
// URIs, no script and no external reference of any kind, because a report
// about a leak must not call anywhere when it is opened.
func WriteHTML(w io.Writer, r *ScanReport) error {
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, r); err != nil {
		return fmt.Errorf("rendering HTML report: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"clean":    func(s string) string { return Sanitize(s, false) },
	"sev":      func(s Severity) string { return s.String() },
	"dur":      FormatDuration,
	"where":    whereText,
	"sure":     sureText,
	"media":    mediaLine,
	"dataURI":  dataURI,
	"anchor":   func(i int) string { return fmt.Sprintf("f%d", i) },
	"upper":    strings.ToUpper,
	"hasIdent": hasIdentities,
	"maxsev": func(f FileReport) string {
		if len(f.Errors) > 0 && len(f.Findings) == 0 {
			return "error"
		}
		s, ok := f.MaxSeverity()
		if !ok {
			return "clean"
		}
		return s.String()
	},
	"count": func(f FileReport, s Severity) int {
		n := 0
		for _, x := range f.Findings {
			if x.Severity == s {
				n++
			}
		}
		return n
	},
	"sevs": func() []Severity { return []Severity{High, Medium, Low, Info} },
}).Parse(htmlSource))

// dataURI inlines a PNG. Anything that is not a decodable PNG is left out
// rather than shown broken.
func dataURI(b []byte) template.URL {
	if len(b) == 0 {
		return ""
	}
	if _, err := png.DecodeConfig(bytes.NewReader(b)); err != nil {
		return ""
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))
}

const htmlSource = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tracescan report</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2430;background:#f5f6f8}
main{max-width:1100px;margin:0 auto;padding:1.5em}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:0;word-break:break-all}
.banner{background:#7a1020;color:#fff;padding:.8em 1.5em;font-weight:600}
.banner.redacted{background:#2d4a6b}
table{border-collapse:collapse;width:100%;background:#fff;margin:1em 0}
th,td{border-bottom:1px solid #dde1e7;padding:.45em .6em;text-align:left;vertical-align:top}
th{background:#eef0f4;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
section.file{background:#fff;border:1px solid #dde1e7;border-radius:6px;margin:1.2em 0;padding:1em 1.2em}
.meta{color:#5a6473;font-size:.9em}
.finding{border-left:5px solid #9aa3af;padding:.5em .9em;margin:.9em 0;background:#fafbfc}
.finding.high{border-color:#c0182c}.finding.medium{border-color:#d98200}.finding.low{border-color:#2b7bb9}
.badge{display:inline-block;min-width:4.5em;text-align:center;border-radius:3px;padding:0 .4em;color:#fff;font-size:.8em;font-weight:700;background:#7b8491}
.badge.high{background:#c0182c}.badge.medium{background:#d98200}.badge.low{background:#2b7bb9}
.badge.error{background:#444}.badge.clean{background:#2e8540}
.kind{font-family:ui-monospace,monospace;color:#5a6473;font-size:.85em}
dl{display:grid;grid-template-columns:8em 1fr;gap:.2em .8em;margin:.5em 0}dt{color:#5a6473}dd{margin:0;word-break:break-word}
code,pre{font-family:ui-monospace,Menlo,monospace;font-size:.88em}
pre{background:#1d2430;color:#e8ecf1;padding:.6em .8em;border-radius:4px;white-space:pre-wrap;word-break:break-all}
figure{display:inline-block;margin:.5em 1em .5em 0;vertical-align:top}
figure img{max-width:480px;max-height:320px;border:1px solid #ccd2da;background:#fff}
figcaption{font-size:.85em;color:#5a6473;max-width:480px}
.scanerror{color:#a00;font-weight:600}
</style></head><body>
{{if .Redacted}}<div class="banner redacted">Identities in this report are masked. It may still reveal who recorded these files: share it only with people who need it.</div>
{{else}}<div class="banner">This report identifies people. Treat it as confidential: do not forward it with the recordings.</div>{{end}}
<main>
<h1>tracescan report</h1>
<p class="meta">{{.Tool.Name}} {{.Tool.Version}} &middot; schema {{.SchemaVersion}} &middot;
{{.Summary.FilesScanned}} scanned, {{.Summary.FilesFailed}} failed, {{.Summary.FilesSkipped}} skipped &middot; {{printf "%.1f" .Summary.ElapsedS}} s</p>
<table><thead><tr><th>File</th><th>Verdict</th>{{range sevs}}<th>{{sev .}}</th>{{end}}<th>Errors</th></tr></thead><tbody>
{{range $i, $f := .Files}}<tr><td><a href="#{{anchor $i}}">{{clean $f.Path}}</a></td><td><span class="badge {{maxsev $f}}">{{maxsev $f}}</span></td>
{{range sevs}}<td class="n">{{count $f .}}</td>{{end}}<td class="n">{{len $f.Errors}}</td></tr>
{{end}}</tbody></table>
{{range $i, $f := .Files}}
<section class="file" id="{{anchor $i}}">
<h2>{{clean $f.Path}}</h2>
{{with $f.ComparedWith}}<p class="meta">compared with (copy B): {{clean .}}</p>{{end}}
{{with $f.Media}}<p class="meta">{{media .}}</p>{{end}}
{{range $f.Errors}}<p class="scanerror">Could not scan: {{clean .}}</p>{{end}}
{{with $f.Platform}}<p><b>Source:</b> {{clean .Label}} ({{.Confidence}} confidence). {{clean .Implies}}</p>{{end}}
{{if and (not $f.Findings) (not $f.Errors)}}<p>No identifying marks found by the scanners that ran{{if $f.Scanners}} ({{range $j, $s := $f.Scanners}}{{if $j}}, {{end}}{{$s}}{{end}}){{end}}.</p>{{end}}
{{range $f.Findings}}{{if not (and (eq .Kind "platform") $f.Platform)}}
<div class="finding {{sev .Severity}}">
<p><span class="badge {{sev .Severity}}">{{upper (sev .Severity)}}</span> <b>{{clean .Title}}</b> <span class="kind">{{.Kind}}</span></p>
<dl>
{{if .Text}}<dt>Found</dt><dd><code>{{clean .Text}}</code></dd>{{end}}
{{with where .}}<dt>Where</dt><dd>{{clean .}}</dd>{{end}}
{{with sure .}}<dt>How sure</dt><dd>{{clean .}}</dd>{{end}}
{{if .Advice}}<dt>What to do</dt><dd>{{clean .Advice}}</dd>{{end}}
</dl>
{{if .Command}}<pre>{{clean .Command}}</pre>{{end}}
{{range .Images}}{{$u := dataURI .Data}}{{if $u}}<figure><img src="{{$u}}" alt="{{clean .Caption}}"><figcaption>{{clean .Caption}}</figcaption></figure>{{end}}{{end}}
</div>
{{end}}{{end}}
</section>
{{end}}
</main></body></html>
`
