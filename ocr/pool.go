package ocr

import (
	"context"
	"sync"
)

// Pool hands out Tesseract engines started in the background: loading the
// language model takes about 0.3 s per engine, which then overlaps other
// work instead of delaying the first read.
type Pool struct {
	ready chan *Engine
	errs  chan error

	mu     sync.Mutex
	all    []*Engine
	closed bool
}

// NewPool starts n engines in the background.
func NewPool(n int) *Pool {
	p := &Pool{ready: make(chan *Engine, n), errs: make(chan error, n)}
	for range n {
		go func() {
			e, err := New(0)
			if err != nil {
				p.errs <- err
				return
			}
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.closed {
				e.Close()
				return
			}
			p.all = append(p.all, e)
			p.ready <- e
		}()
	}
	return p
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
