// Package ocr reads single lines of text with Tesseract and recognises the
// identities in OCR output, tolerant of the misreads faint overlays cause.
package ocr

import (
	"fmt"
	"image"
	"strconv"
	"strings"

	"github.com/otiai10/gosseract/v2"
	"gocv.io/x/gocv"
)

// Engine wraps one Tesseract instance (not safe for concurrent use).
// Tesseract must run with OMP_THREAD_LIMIT=1: with OpenMP threads on two
// cores it is several times slower.
type Engine struct {
	c     *gosseract.Client
	calls int
	limit int
}

// The models an Engine reads with: Tesseract's English model, and the
// model of all Latin-script languages (Debian's tesseract-ocr-script-latn),
// trained on more fonts and in floating point. Each misreads letters the
// other reads right: alone, the Latin model read one mark fewer exactly
// than English on a development set; together, at the weight the video
// reader gives it, they read five more over fifteen (see the README).
const (
	PrimaryModel = "eng"
	SecondModel  = "Latin"
)

// New starts a Tesseract engine of the primary model for single text lines
// that performs at most limit reads (a budget: OCR dominates the cost of a
// scan).
func New(limit int) (*Engine, error) { return NewModel(PrimaryModel, limit) }

// NewModel is New for the model named model.
func NewModel(model string, limit int) (*Engine, error) {
	c := gosseract.NewClient()
	if err := c.SetLanguage(model); err != nil {
		c.Close()
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	// Page segmentation as one block of text. A mode set by
	// SetPageSegMode before Tesseract's Init is lost there (the crops were
	// read as one block all along), so it is set as a variable, which is
	// applied after Init. Single-line mode (7) read as many marks exactly
	// on two development sets and one fewer on a third, and lost a faint
	// mark to a stamp's reading; raw-line mode (13) read 11 and 11 of 20
	// where block mode read 12 and 13.
	if err := c.SetVariable("tessedit_pageseg_mode", strconv.Itoa(int(gosseract.PSM_SINGLE_BLOCK))); err != nil {
		c.Close()
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	return &Engine{c: c, limit: limit}, nil
}

// load makes Tesseract load its model now (it does so on the first read
// otherwise): a missing model is an error here, and the load, which takes
// 0.7 s for the Latin model, happens in the background.
func (o *Engine) load() error {
	img := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(255, 0, 0, 0), 8, 8, gocv.MatTypeCV8U)
	defer img.Close()
	if err := o.setImage(img); err != nil {
		return err
	}
	if _, err := o.c.Text(); err != nil {
		return fmt.Errorf("tesseract: %w", err)
	}
	return nil
}

// setImage hands Tesseract an 8-bit gray image to read.
func (o *Engine) setImage(img gocv.Mat) error {
	buf, err := gocv.IMEncode(gocv.PNGFileExt, img)
	if err != nil {
		return err
	}
	defer buf.Close()
	if err := o.c.SetImageFromBytes(buf.GetBytes()); err != nil {
		return fmt.Errorf("tesseract: %w", err)
	}
	return nil
}

// Close frees the engine.
func (o *Engine) Close() { o.c.Close() }

// Line is one OCR reading with Tesseract's mean word confidence (0-100).
type Line struct {
	Text string
	Conf float64
	// Src names the image the reading came from: several looks at one
	// image are not independent readings of the text.
	Src int
	// Words are the words of Text with their boxes in the image read.
	Words []Word
}

// Word is one word of a reading and where it lies in the image.
type Word struct {
	Text string
	Box  image.Rectangle
}

// Read OCRs an 8-bit gray image of dark text on white. It returns an empty
// reading once the call budget is spent.
func (o *Engine) Read(img gocv.Mat) (Line, error) {
	if o.calls >= o.limit {
		return Line{}, nil
	}
	o.calls++
	if err := o.setImage(img); err != nil {
		return Line{}, err
	}
	boxes, err := o.c.GetBoundingBoxes(gosseract.RIL_WORD)
	if err != nil {
		return Line{}, fmt.Errorf("tesseract: %w", err)
	}
	var texts []string
	var words []Word
	var conf float64
	for _, b := range boxes {
		w := strings.TrimSpace(b.Word)
		if w == "" {
			continue
		}
		texts = append(texts, w)
		words = append(words, Word{Text: w, Box: b.Box})
		conf += b.Confidence
	}
	if len(words) == 0 {
		return Line{}, nil
	}
	return Line{Text: strings.Join(texts, " "), Conf: conf / float64(len(words)), Words: words}, nil
}
