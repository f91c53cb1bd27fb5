# tracescan: build, demo and tests on Debian 12. `make help` lists targets.
SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)
# Tesseract's OpenMP threads thrash on 2 cores; the limit must be set before
# a process starts.
export OMP_THREAD_LIMIT := 1

GO        ?= go
BIN       := bin/tracescan
OUT       := build
DEB_PKGS  := build-essential pkg-config libopencv-dev ffmpeg tesseract-ocr tesseract-ocr-eng tesseract-ocr-script-latn \
             libtesseract-dev libleptonica-dev espeak-ng sox chromium

.PHONY: help deps build demo test vet bench eval-video eval-audio eval-diff samples clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

deps: ## install the Debian packages tracescan needs (only those missing)
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && \
	  { apt-get install -y -qq --no-install-recommends $$missing || \
	    { echo "apt-get failed once (Debian's apt hook can do this); retrying"; \
	      apt-get install -y -qq --no-install-recommends $$missing; }; }; \
	fi
	@command -v $(GO) >/dev/null || { echo "Go is missing: install Go 1.26 into /usr/local/go"; exit 1; }

build: deps ## build bin/tracescan
	$(GO) build -o $(BIN) ./cmd/tracescan

samples: build ## generate the labelled sample recordings into build/samples
	rm -rf $(OUT)/samples
	rm -rf $(OUT)/pairs
	$(GO) run ./cmd/samplegen -out $(OUT)/samples -pairs $(OUT)/pairs

demo: samples ## install, build, generate samples and scan them end to end
	$(BIN) scan --fail-on none --evidence-dir $(OUT)/evidence $(OUT)/samples
	$(BIN) diff --fail-on none $(OUT)/pairs/call-audio-copy-a.* $(OUT)/pairs/call-audio-copy-b.*
	$(BIN) diff --fail-on none $(OUT)/pairs/screen-share-copy-a.* $(OUT)/pairs/screen-share-copy-b.*

vet: deps
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }

test: deps vet ## install, vet, and run every test
	$(GO) test -timeout 40m ./...

bench: build ## whole-scan benchmarks (long recordings) and go test -bench
	$(GO) test -run '^$$' -bench . -benchtime 3x ./audio/ ./video/ ./media/
	$(GO) run ./cmd/benchvideo
	$(GO) run ./cmd/benchaudio
	$(GO) run ./cmd/benchbatch -bin $(BIN)

eval-video: build ## evaluate the visible-watermark detector on the evaluation, held-out and fresh sets
	$(GO) run ./cmd/evalvideo
	$(GO) run ./cmd/evalvideo -first 3001 -n 50
	$(GO) run ./cmd/evalvideo -first 113001 -n 50

eval-audio: build ## evaluate the audio-watermark detector on a generated set
	$(GO) run ./cmd/evalaudio

eval-diff: build ## evaluate the two-copy comparison on generated pairs
	$(GO) run ./cmd/evaldiff -only audio,video -n 20

clean: ## remove build outputs
	rm -rf bin $(OUT)
