# Aftershock — see README.md. `make help` lists the targets.
.PHONY: help build test fuzz vet bench-import

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

bench-import: build ## import benchmark against stock Bleve (N posts, default 100000)
	./bin/aftershock bench import -n $${N:-100000}
