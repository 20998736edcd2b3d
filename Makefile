# synthor: see README.md. Targets stay small; the Go toolchain does the work.
GO      ?= go
BIN     := bin/synthor
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
STATICCHECK := $(shell $(GO) env GOPATH)/bin/staticcheck
# Things whose lack must not make a test skip (CI: chromium,datasets for
# make test, slurm for make test-slurm); see internal/need.
REQUIRE ?=
FUZZTIME ?= 10s
PLAIN_TESTS := ^(TestAdultAcceptance|TestAdultModelPrior|TestAdultPaperProfile|TestEvaluateAdultDetectionReference|TestC2STMatchesScikitLearn|TestMembershipAnchors|TestUtilityAdult|TestFetchedShapes)$$
PLAIN_PKGS := ./synthor ./metrics ./datasets
FUZZ_PKGS := ./baselines ./bench ./cart ./cmd/synthor ./datasets ./internal/guard ./llm ./macro ./methods ./metrics ./reports ./rules ./settings ./synthor ./table ./table/arff ./table/rdata

.PHONY: build run test test-slurm bench bench-sdmetrics lint fuzz clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/synthor

# The quickstart: LLMSynthor (stat planner, no LLM) and every offline
# baseline on ecommerce-bn and Adult, 3 seeds, then the comparison table.
# Each make run starts afresh in out/quickstart.
run: build
	rm -rf out/quickstart
	./$(BIN) run configs/quickstart.yaml

# The quickstart as a 3-task Slurm job array on a one-node cluster (skips
# where slurm-wlm cannot be installed).
test-slurm: build
	REQUIRE="$(REQUIRE)" ./deploy/slurm/test.sh $(BIN)

# go vet, every test under the race detector (the hostile-input battery
# and the fuzz seed corpora included), then, without it, the Adult-scale
# tests that skip under the race detector (PLAIN_TESTS: a test in
# scripts/testrun checks that it names every one). scripts/testrun prints what go test prints and then every
# skipped test with its reason; it fails when a test skips for lack of
# something REQUIRE names.
test:
	$(GO) vet ./...
	$(GO) run ./scripts/testrun -go $(GO) -require "$(REQUIRE)" -- -race -count=1 ./...
	$(GO) run ./scripts/testrun -go $(GO) -require "$(REQUIRE)" -- -count=1 -run '$(PLAIN_TESTS)' $(PLAIN_PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./...

bench-sdmetrics:
	$(GO) test -run '^$$' -bench BenchmarkQualityReport -benchmem -count 5 ./metrics

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff
	@if [ -x $(STATICCHECK) ]; then $(STATICCHECK) ./...; else echo "staticcheck not installed: go install honnef.co/go/tools/cmd/staticcheck@v0.8.2"; fi

# Each fuzz target for FUZZTIME.
fuzz:
	@for p in $(FUZZ_PKGS); do \
	  for f in $$($(GO) test -list '^Fuzz' $$p | grep '^Fuzz'); do \
	    echo "== $$p $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$p || exit 1; \
	  done; \
	done

clean:
	rm -rf bin out
