# The two commands of the README are `make run` and `make test`; the rest serve them.
SWIFT ?= swift
APT_PACKAGES := libopus-dev libssl-dev pkg-config
# chromium renders the HTML reports in a test.
TEST_APT_PACKAGES := coturn openssl python3-venv chromium
# From PyPI into a venv of our own: aioice, a second TURN client for the interop tests, and
# kubernetes-validate, which checks the manifests under deploy/kubernetes.
PIP_PACKAGES := aioice==0.13.0 kubernetes-validate==1.37.0
FUZZ_SECONDS ?= 60
SHELL := /bin/bash

.PHONY: run test lint deps build release fuzz bench clean

deps:
	@scripts/install-deps.sh $(APT_PACKAGES)

release: deps
	$(SWIFT) build -c release --product turnload

# The demo: a saturation search through turnload's own relay on loopback, 200 calls more
# every step until quality collapses; results and report.html under results/.
run: release
	.build/release/turnload saturate --start 200 --step 200 --max-clients 2400 --step-duration 10s --ramp 400

build: deps
	@scripts/install-deps.sh $(TEST_APT_PACKAGES)
	@test -x .build/venv/bin/python || python3 -m venv .build/venv
	@.build/venv/bin/python -c 'import aioice, kubernetes_validate' 2>/dev/null || .build/venv/bin/pip install -q $(PIP_PACKAGES)
	$(SWIFT) build --build-tests
	$(SWIFT) build -c release --product turnload

# The layout .swift-format describes; `swift format --in-place --recursive Sources Tests Package.swift` applies it.
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

# Serially: the suites measure loss, delay and timing on a 2-core machine, and a suite that
# floods the relay beside them would turn the harness's own saturation into their result.
# A failing run ends with its failures gathered, so a log's tail says what broke.
test: lint build
	@set -o pipefail; $(SWIFT) test --skip-build --no-parallel 2>&1 | tee .build/test.log || \
		{ echo; echo "── what failed ──"; grep -E '✘|recorded an issue|error:' .build/test.log | tail -60; exit 1; }

# libFuzzer over the STUN parser, the stream deframer, the RTP parser, the TURN session state
# machine, the scenario reader and the result loader, FUZZ_SECONDS each, one after the other,
# starting from the corpus committed in Fuzz/corpus (new finds go to Fuzz/.build/scratch).
fuzz: deps
	Fuzz/run $(FUZZ_SECONDS)

bench: deps
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark

clean:
	rm -rf .build Fuzz/.build Benchmarks/.build
