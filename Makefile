# Aftershock — see README.md. `make help` lists the targets.
.PHONY: help build test fuzz vet bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

build: ## build bin/aftershock
	go build -o bin/aftershock ./cmd/aftershock

vet: ## gofmt and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo 'gofmt needed'; exit 1)
	go vet ./...

test: vet ## the whole test suite, as CI runs it: unit, real-data, crash and a short run of every fuzz target
	go test -count=1 ./...
	./.ci/fuzz 3s

fuzz: ## run every fuzz target for FUZZTIME (default 60s) each
	./.ci/fuzz $${FUZZTIME:-60s}

bench: build ## benchmark beside stock Bleve and SQLite FTS5 (N posts, comma-separated sizes, default 100000)
	./bin/aftershock bench -n $${N:-100000}
