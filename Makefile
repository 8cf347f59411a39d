# Aftershock — see README.md. `make help` lists the targets.
.PHONY: help build test fuzz vet bench vulncheck loadtest

# Go 1.27.3: go1.26.8's standard library has known vulnerabilities that our
# code reaches (net/http, html/template, crypto/tls; see `make vulncheck`).
# The go command fetches this toolchain from the Go module proxy.
GOTOOLCHAIN ?= go1.27.3
export GOTOOLCHAIN

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

build: ## build bin/aftershock
	go build -o bin/aftershock ./cmd/aftershock

vet: ## gofmt and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo 'gofmt needed'; exit 1)
	go vet ./...

PKGS ?= ./...

test: vet ## the whole test suite, as CI runs it: unit, real-data, crash and a short run of every fuzz target
	@# -v only to print why tests were skipped (go test -v prints a test's log, its reason, just before its SKIP line);
	@# on failure everything but the passing tests is shown.
	@log=$$(mktemp); go test -count=1 -v $(PKGS) >$$log 2>&1; rc=$$?; \
	grep -E '^(ok|FAIL|\?) ' $$log; grep -B1 -E '^ *--- SKIP' $$log | grep -v -E '^(=== |--$$)'; \
	if [ $$rc -ne 0 ]; then grep -v -E '^ *(=== |--- PASS)' $$log; fi; rm -f $$log; exit $$rc
	./.ci/fuzz 3s

fuzz: ## run every fuzz target for FUZZTIME (default 60s) each
	./.ci/fuzz $${FUZZTIME:-60s}

vulncheck: ## govulncheck over the module against a pinned Go vulnerability database snapshot
	./.ci/vulncheck

loadtest: ## 100 clients for 60 s on ARCHIVE's search and event pages while an import runs (see RELIABILITY.md)
	./.ci/loadtest $${ARCHIVE:?set ARCHIVE to a data directory} $${DURATION:-60} $${CLIENTS:-100}

bench: build ## benchmark beside stock Bleve and SQLite FTS5 (N posts, comma-separated sizes, default 100000)
	./bin/aftershock bench -n $${N:-100000}
