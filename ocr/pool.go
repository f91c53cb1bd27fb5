package ocr

import (
	"context"
	"log/slog"
	"strings"
	"sync"
)

// Pool hands out Tesseract engines created in the background. An engine of
// the primary model loads its model (about 0.3 s) on its first read.
//
// It also holds one engine of the second model (SecondModel), loaded in the
// background on the first call to StartSecond or Second: most recordings
// carry no mark to read, and that model takes 0.7 s and 250 MB to load.
type Pool struct {
	ready chan *Engine
	errs  chan error

	secondModel string // SecondModel (tests name a missing one)
	secondOnce  sync.Once
	secondDone  chan struct{} // closed once the second engine loaded or failed
	secondReady chan *Engine
	secondErr   error

	mu     sync.Mutex
	all    []*Engine
	closed bool
}

// warnNoSecond logs the second model missing once per process.
var warnNoSecond sync.Once

// NewPool starts n engines in the background.
func NewPool(n int) *Pool {
	p := &Pool{ready: make(chan *Engine, n), errs: make(chan error, n),
		secondModel: SecondModel, secondDone: make(chan struct{}), secondReady: make(chan *Engine, 1)}
	for range n {
		go func() {
			e, err := New(0)
			if err != nil {
				p.errs <- err
				return
			}
			p.keep(e, p.ready)
		}()
	}
	return p
}

// keep records an engine that has started and hands it out on ready, or
// frees it when the pool was closed meanwhile.
func (p *Pool) keep(e *Engine, ready chan *Engine) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		e.Close()
		return
	}
	p.all = append(p.all, e)
	ready <- e
}

// Get waits for a free engine and gives it a budget of limit reads.
func (p *Pool) Get(ctx context.Context, limit int) (*Engine, error) {
	select {
	case e := <-p.ready:
		e.calls, e.limit = 0, limit
		return e, nil
	case err := <-p.errs:
		p.errs <- err // for the other callers
		return nil, err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// StartSecond starts loading the second model's engine in the background,
// if it is not loading or loaded yet.
func (p *Pool) StartSecond() {
	p.secondOnce.Do(func() {
		go func() {
			defer close(p.secondDone)
			e, err := NewModel(p.secondModel, 0)
			if err == nil {
				if err = e.load(); err != nil {
					e.Close()
				}
			}
			if err != nil {
				// Reading goes on with the primary model alone; a batch
				// scan says so once.
				warnNoSecond.Do(func() {
					slog.Warn("second OCR model unavailable, reading with one model", "model", p.secondModel,
						"err", strings.Join(strings.Fields(err.Error()), " "))
				})
				p.secondErr = err
				return
			}
			p.keep(e, p.secondReady)
		}()
	})
}

// Second waits for the second model's engine (starting it if need be) and
// gives it a budget of limit reads. It returns an error when the model
// cannot be loaded; return the engine with PutSecond.
func (p *Pool) Second(ctx context.Context, limit int) (*Engine, error) {
	p.StartSecond()
	select {
	case <-p.secondDone:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if p.secondErr != nil {
		return nil, p.secondErr
	}
	select {
	case e := <-p.secondReady:
		e.calls, e.limit = 0, limit
		return e, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// PutSecond returns the engine taken with Second.
func (p *Pool) PutSecond(e *Engine) { p.secondReady <- e }

// Put returns an engine taken with Get.
func (p *Pool) Put(e *Engine) { p.ready <- e }

// Close frees the engines; engines still starting are freed when they are
// ready. No engine may be in use.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, e := range p.all {
		e.Close()
	}
	p.all = nil
}
