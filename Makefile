# The README's two commands are `make demo` and `make test`; both install what is missing.
SWIFT ?= swift
export PATH := $(PATH):/opt/swift/usr/bin

.PHONY: setup build release demo test bench clean

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

## Ingest the bundled sample feeds offline into output/demo/ (SQLite state beside it).
demo: release
	.build/release/ingest run demo

## Build and run the whole test suite; a throwaway PostgreSQL on 127.0.0.1 serves the
## shared-state tests and is stopped afterwards.
test: setup
	$(SWIFT) build --build-tests
	@eval "$$(scripts/postgres-test.sh start)"; trap 'scripts/postgres-test.sh stop' EXIT; $(SWIFT) test

## Benchmarks (release build; see README "Performance").
bench: release
	scripts/bench.sh

clean:
	rm -rf .build output/*/
