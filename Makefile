# Lineage — `make demo` runs the main job on the bundled data; `make test` runs the tests.
SHELL := /bin/bash
SWIFT ?= swift
RELEASE_BIN := .build/release/lineage
DEBIAN_PACKAGES := libblas-dev liblapacke-dev libopenblas0-pthread
NAME ?= report
OUT ?= Results/$(NAME)

.PHONY: all deps build release test demo bench fuzz report matrix calibrate model clean

all: release

## deps: install the Debian packages Lineage needs (as root), or say exactly what to install.
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null || \
	      { echo "apt-get install failed; run: apt-get install -y$$missing"; exit 1; }; \
	  else \
	    echo "missing Debian packages; run as root:  apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product lineage

test: deps
	$(SWIFT) test 2>&1 | tee .build/test.log | grep -vE "^\[[0-9]+/[0-9]+\]|^Test Case .* (started|passed)"; exit $${PIPESTATUS[0]}

demo: release
	$(RELEASE_BIN) doctor
	$(RELEASE_BIN) validate Probes/alpaca-eval/recordings/*.jsonl
	@echo "demo results: Results/demo/"

clean:
	rm -rf .build Results/demo
