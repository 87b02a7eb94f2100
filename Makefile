# hearth — build, run, test.

GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: build run test bench clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o hearth .

run: build
	./hearth --demo

test:
	$(GO) vet ./...
	$(GO) test ./...

bench:
	$(GO) test -run '^$$' -bench . -benchtime 200ms ./...

clean:
	rm -f hearth bench-*.txt
