# hearth — build, run, test.

GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# staticcheck is installed from the Go module proxy at this exact version
# when it is not already on the PATH (see the check target).
STATICCHECK_VERSION ?= v0.8.2
GOBIN ?= $(shell $(GO) env GOPATH)/bin

.PHONY: build run test test-full check bench clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o hearth .

run: build
	./hearth --demo

# test is what CI runs: the static checks, then every test under the race
# detector. -short skips only the slowest end-to-end runs (they stay in
# `make test-full`).
test: check
	$(GO) test -race -short ./...

test-full: check
	$(GO) test ./...

check:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet ./...
	@test -x "$(GOBIN)/staticcheck" || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	"$(GOBIN)/staticcheck" ./...

bench:
	$(GO) test -run '^$$' -bench . -benchtime 200ms ./...

clean:
	rm -f hearth bench-*.txt
