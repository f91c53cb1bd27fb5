package audio

import (
	"context"
	"math/rand"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"tracescan/media"
)

func TestZZFixedCost(t *testing.T) {
	p := os.Getenv("FC_FILE")
	if p == "" {
		t.Skip()
	}
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		info, err := media.Probe(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		var ru0, rc0, ru1, rc1 syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
		syscall.Getrusage(syscall.RUSAGE_CHILDREN, &rc0)
		t1 := time.Now()
		fs, err := New(Options{}).Detect(ctx, info)
		if err != nil {
			t.Fatal(err)
		}
		var k []string
		for _, f := range fs {
			k = append(k, f.Kind+"/"+f.Method+"/"+f.Severity.String()+fmt.Sprint(len(f.Images)))
		}
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
		syscall.Getrusage(syscall.RUSAGE_CHILDREN, &rc1)
		cpu := func(a, b syscall.Rusage) time.Duration {
			return time.Duration(b.Utime.Nano() + b.Stime.Nano() - a.Utime.Nano() - a.Stime.Nano())
		}
		t.Logf("cpu self %v children %v", cpu(ru0, ru1), cpu(rc0, rc1))
		t.Logf("probe %v detect %v findings %v", t1.Sub(t0), time.Since(t1), k)
	}
}

func TestZZNth(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for it := 0; it < 2000; it++ {
		n := 1 + r.Intn(300)
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(r.Intn(20))
			if it%2 == 0 {
				x[i] = r.NormFloat64()
			}
		}
		y := append([]float64(nil), x...)
		sortFloats(y)
		k := r.Intn(n)
		if v := nthElement(x, k); v != y[k] {
			t.Fatalf("n %d k %d got %v want %v", n, k, v, y[k])
		}
	}
}
