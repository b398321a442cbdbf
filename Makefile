# Lineage — `make demo` runs the main job on the bundled data; `make test` runs the tests.
SHELL := /bin/bash
SWIFT ?= swift
RELEASE_BIN := .build/release/lineage
DEBIAN_PACKAGES := libblas-dev liblapacke-dev libopenblas0-pthread
NAME ?= report
OUT ?= Results/$(NAME)

.PHONY: exhibits all help install deps build release test test-deps demo bench fuzz report matrix calibrate model clean

all: release

## help: list the targets and what they do (from the `## target:` comments of this Makefile).
help:
	@awk '/^## [a-z][a-z /-]*:/ { sub(/^## /, ""); split($$0, p, ": "); printf "  %-28s %s\n", p[1], substr($$0, length(p[1]) + 3); next } \
	      /^## / { sub(/^## /, ""); printf "  %-28s %s\n", "", $$0 }' $(firstword $(MAKEFILE_LIST))

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

## build / release: the debug build, or the release binary .build/release/lineage.
build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product lineage

## test: the unit and CLI tests; the release binary is built first so that the end-to-end checks on the
## bundled data (calibration reproduced byte for byte, its error rates) run at release speed. Prints failures,
## skips and the closing summaries only (the whole log: .build/test.log).
test: release test-deps
	@mkdir -p .build
	@echo "LINEAGE_RELEASE_BIN=$(CURDIR)/$(RELEASE_BIN) $(SWIFT) test   (full log: .build/test.log)"
	@LINEAGE_RELEASE_BIN=$(CURDIR)/$(RELEASE_BIN) $(SWIFT) test 2>&1 | tee .build/test.log | \
	  awk '/^(✔|✘) Test run with/ { print; next } \
	       /^[[:space:]]*Executed 0 tests, with 0 failures/ { next } \
	       /^(◇|✔) Test case passing/ { arguments = 1; next } \
	       arguments && !/^(◇|✔|✘|➜|↳|Test |\t|\[)/ { next } \
	       { arguments = 0 } \
	       /^\[[0-9]+\/[0-9]+\]|^Test Case .* (started|passed)|^Test Suite .* (started|passed)|^(◇|✔) (Test|Suite) .*(started\.|passed after)|^◇ Test run started|^↳ (Testing Library|Target Platform)/ { next } \
	       { print }'; exit $${PIPESTATUS[0]}

# The browser test of report.html needs Chromium and pdftotext: installed here as root, else that test is skipped
# (it says so in the summary).
TEST_PACKAGES := chromium poppler-utils
test-deps:
	@missing=""; for p in $(TEST_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing for the browser test of report.html:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null 2>&1 || \
	      echo "could not install$$missing: the browser test of report.html will be skipped"; \
	  else \
	    echo "missing$$missing (apt-get install -y$$missing as root): the browser test of report.html will be skipped"; \
	  fi; \
	fi

## demo: build, then attribute vicuna-13b among 10 candidates and build the tree of every bundled recording → Results/demo/.
demo: release
	$(RELEASE_BIN) doctor
	$(RELEASE_BIN) validate Probes/alpaca-eval/recordings/*.jsonl
	$(RELEASE_BIN) attribute --student $(DEMO_RECORDINGS)/vicuna-13b.jsonl \
	  $(foreach c,$(DEMO_CANDIDATES),--candidate $(DEMO_RECORDINGS)/$(c).jsonl) --panel-jackknife --out Results/demo
	$(RELEASE_BIN) matrix $(DEMO_RECORDINGS)/*.jsonl --out Results/demo/matrix
	@echo "demo results: Results/demo/report.html (report), Results/demo/matrix/matrix.html (heat map and lineage tree); make exhibits DIR=Results/demo for a PDF and PNGs"

## report / matrix / calibrate: result folders with report, plots and manifest (`lineage verify DIR` re-runs them);
## report and demo also judge each candidate with each panel model left out (--panel-jackknife).
## make report STUDENT=… TEACHER=… NAME=…   or   make report STUDENT=… CANDIDATES="a b" [PANEL=dir] NAME=…
## (a bare model name means Probes/alpaca-eval/recordings/<name>.jsonl)
DEMO_RECORDINGS := Probes/alpaca-eval/recordings
# The 10 candidate teachers of Probes/alpaca-eval/recordings/pairs.json.
DEMO_CANDIDATES := text_davinci_003 gpt-3.5-turbo-0301 gpt4_0314 gpt4_0613 claude-2 claude cohere gemini-pro llama-2-70b-chat-hf mistral-medium
recording = $(if $(wildcard $(1)),$(1),$(DEMO_RECORDINGS)/$(1).jsonl)
# Each name given is a file or a recording under $(DEMO_RECORDINGS); otherwise say which names there are.
check-recordings = for r in $(1); do \
	  [ -f "$$r" ] || [ -f "$(DEMO_RECORDINGS)/$$r.jsonl" ] || { \
	    echo "no recording \"$$r\": give a file, or one of these names (from $(DEMO_RECORDINGS)):"; \
	    ls $(DEMO_RECORDINGS) | sed -n 's/\.jsonl$$//p' | tr '\n' ' ' | fold -s -w 100 | sed 's/^/  /'; echo; exit 1; }; \
	done
report:
	@test -n "$(STUDENT)" || { echo "usage: make report STUDENT=… (TEACHER=… | CANDIDATES=\"a b\") [PANEL=dir] NAME=…"; exit 1; }
	@test -n "$(TEACHER)$(CANDIDATES)" || { echo "give TEACHER=<recording> or CANDIDATES=\"<recording> …\""; exit 1; }
	@$(call check-recordings,$(STUDENT) $(TEACHER) $(CANDIDATES))
	@$(MAKE) --no-print-directory release
	$(RELEASE_BIN) $(if $(TEACHER),compare --teacher $(call recording,$(TEACHER)),attribute $(foreach c,$(CANDIDATES),--candidate $(call recording,$(c)))) \
	  --student $(call recording,$(STUDENT)) $(if $(PANEL),--panel $(PANEL)) --panel-jackknife --out $(OUT)
	@echo "report: $(OUT)/report.html (verify with: $(RELEASE_BIN) verify $(OUT))"

MATRIX_OUT = $(if $(filter command line,$(origin NAME)),$(OUT),Results/matrix)
matrix:
	@test -n "$(FILES)" || { echo "usage: make matrix FILES=\"a.jsonl b.jsonl …\" [NAME=…]"; exit 1; }
	@$(call check-recordings,$(FILES))
	@$(MAKE) --no-print-directory release
	$(RELEASE_BIN) matrix $(foreach f,$(FILES),$(call recording,$(f))) --out $(MATRIX_OUT)
	@echo "matrix: $(MATRIX_OUT)/heatmap.svg, $(MATRIX_OUT)/tree.svg, $(MATRIX_OUT)/tree.nwk"

## calibrate: re-fit Probes/alpaca-eval/calibration.json on pairs.json (leave-one-student-out).
calibrate: release
	$(RELEASE_BIN) calibrate --pairs $(DEMO_RECORDINGS)/pairs.json --recordings $(DEMO_RECORDINGS) \
	  --write Probes/alpaca-eval/calibration.json
	@echo "calibration: Probes/alpaca-eval/calibration.json"

## exhibits: make exhibits DIR=Results/NAME — the report as DIR.pdf (A4) and every plot as DIR-png/*.png,
## beside the result folder (needs Chromium; installed as root).
exhibits: test-deps
	@[ -n "$(DIR)" ] || { echo "usage: make exhibits DIR=Results/NAME"; exit 1; }
	@scripts/exhibits.sh "$(DIR)"

## clean: remove the build folder and Results/demo.
clean:
	rm -rf .build Results/demo

## install: make install PREFIX=/usr/local — the binary, the bundled models and the probe sets under
## PREFIX/lib/lineage, linked from PREFIX/bin/lineage; it finds them relative to itself (scripts/install.sh).
PREFIX ?= /usr/local
install: release
	scripts/install.sh "$(PREFIX)" $(RELEASE_BIN)

## fuzz: libFuzzer + ASan over each reader (not in CI). FUZZ_TIME seconds per reader; crashes land in .build-fuzz/.
FUZZ_READERS ?= json jsonl alpaca batch csv probeset detect manifest
FUZZ_TIME ?= 600
FUZZ_DIR := .build-fuzz
FUZZ_SOURCES = $(filter-out Sources/LineageKit/Input/ProbeSetCatalog.swift,$(wildcard Sources/LineageKit/Input/*.swift)) Fuzz/SHA256Stub.swift Fuzz/FuzzMain.swift \
  Sources/LineageKit/Support/RegularFile.swift Sources/LineageKit/Support/OutputWriter.swift Sources/LineageKit/Support/PathError.swift Sources/LineageKit/Verdict/AttributionOptions.swift \
  $(addprefix Sources/LineageKit/Report/,Manifest.swift ReportInvocation.swift ResultFolder.swift ReportFileWriter.swift)
fuzz:
	@mkdir -p $(FUZZ_DIR)
	@for r in $(FUZZ_READERS); do \
	  flag=FUZZ_$$(echo $$r | tr a-z A-Z); \
	  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -D $$flag $(FUZZ_SOURCES) -o $(FUZZ_DIR)/fuzz-$$r \
	    > $(FUZZ_DIR)/build-$$r.log 2>&1 || { grep -A3 "error:" $(FUZZ_DIR)/build-$$r.log; exit 1; }; \
	  mkdir -p $(FUZZ_DIR)/corpus-$$r; \
	  for f in Tests/Fixtures/probes.jsonl Tests/Fixtures/recordings/* Tests/Fixtures/probesets/* Tests/Fixtures/regressions/*; do \
	    [ -f "$$f" ] && cp "$$f" "$(FUZZ_DIR)/corpus-$$r/$$(echo $$f | tr / _)"; \
	  done; \
	  echo "fuzzing $$r for $(FUZZ_TIME)s"; \
	  $(FUZZ_DIR)/fuzz-$$r $(FUZZ_DIR)/corpus-$$r -max_total_time=$(FUZZ_TIME) -max_len=65536 -rss_limit_mb=2048 \
	    -timeout=20 -artifact_prefix=$(FUZZ_DIR)/crash-$$r- -print_final_stats=1 > $(FUZZ_DIR)/fuzz-$$r.log 2>&1; \
	  status=$$?; rm -rf /dev/shm/lineage-fuzz-*; \
	  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" $(FUZZ_DIR)/fuzz-$$r.log | sed "s/^/$$r: /"; \
	  if [ $$status -ne 0 ]; then echo "$$r: fuzzer stopped with status $$status; see $(FUZZ_DIR)/fuzz-$$r.log"; exit 1; fi; \
	done

## bench: featurize MB/s, similarity GFLOP/s vs sgemm peak, end-to-end matrix time, peak RSS, sklearn peer ratio.
bench: release
	@python3 -c "import sklearn" 2>/dev/null || { echo "installing scikit-learn for the peer (python3 -m pip)"; \
	  python3 -m pip install -q scikit-learn >/dev/null 2>&1 || echo "could not install scikit-learn: the peer will be skipped (python3 -m pip install scikit-learn)"; }
	BIN=$(RELEASE_BIN) scripts/bench/bench.sh

## model: rebuild every bundled n-gram model from its recipe and check each against its committed SHA-256.
MODEL_DIR := Sources/LineageKit/Embedding/Resources
BUNDLED_MODELS := ngram-v3 ngram-v2 ngram-v1
model: release
	@tmp=$$(mktemp -d) && s=0 && for m in $(BUNDLED_MODELS); do \
	  $(RELEASE_BIN) model build --recipe scripts/model/$$m.recipe.json --out $$tmp/$$m.lnm && \
	  (cd $$tmp && sha256sum -c - < $(CURDIR)/$(MODEL_DIR)/$$m.lnm.sha256) && cp $$tmp/$$m.lnm $(MODEL_DIR)/$$m.lnm || s=1; \
	done; rm -rf $$tmp; exit $$s
