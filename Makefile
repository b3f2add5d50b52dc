# Nocturna Bot — developer entry points. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)

# The one package list; containers/Dockerfile installs the same list.
DEB_PACKAGES := build-essential cmake g++ pkg-config ca-certificates \
  libcaf-dev libcpp-httplib-dev libsimdjson-dev libfmt-dev libspdlog-dev doctest-dev \
  libswe-dev swe-basic-data swetest libgeonames-dev libglib2.0-dev libhowardhinnant-date-dev \
  libsqlite3-dev libssl-dev libcairo2-dev libpq-dev libcurl4-openssl-dev libjemalloc-dev \
  postgresql clang libclang-rt-14-dev fonts-dejavu-core clang-format curl \
  chromium chromium-driver python3-selenium fonts-noto-color-emoji nghttp2-server haproxy openssl
# Needed only by `make test` (the browser test of the sandbox page; nghttpd, the HTTP/2 server of
# tests/unit/bot_api_loop_test.cpp; HAProxy in front of several webhook instances,
# tests/e2e/webhook_instances_test.cpp, and as the TLS front of tests/e2e/tls_api_test.cpp;
# openssl, which makes their throw-away certificates), not to build the bot: the container image
# leaves them out (tests/containers/check_containers.sh knows this list).
TEST_ONLY_PACKAGES := chromium chromium-driver python3-selenium fonts-noto-color-emoji \
  nghttp2-server haproxy openssl

# Needed only by `make bench-peers` (the peer bots of tests/bench/peers/, docs/benchmarks.md), not
# by `make test` nor by the bot: that target installs them itself when missing. Node.js and npm
# may come from elsewhere (e.g. NodeSource's nodejs, which carries npm): only a missing command is
# installed from Debian.
BENCH_PEERS_PACKAGES := golang-go golang-gopkg-telebot.v3-dev python3-python-telegram-bot
BENCH_PEERS_COMMANDS := nodejs npm

.PHONY: deps build run test bench bench-footprint bench-peers bench-peers-deps fuzz sanitize soak soak-memory format clean

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	$(install_missing)

define install_missing
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "$@: all packages present"; fi
endef

build:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: deps build
	./$(BUILD_DIR)/nocturna-bot run

test: deps build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 300

bench: deps build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target nocturna-bot-bench
	./$(BUILD_DIR)/nocturna-bot-bench

# The bot's start-up time to its first getUpdates, idle RSS and the RSS of FOOTPRINT_SESSIONS
# (default 10,000) idle sessions (docs/benchmarks.md). About two minutes; also part of `make bench`.
bench-footprint: deps build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target nocturna-bot-bench
	./$(BUILD_DIR)/nocturna-bot-bench footprint

# This bot, telebot v3 (Go), grammY (Node) and python-telegram-bot 13.15 against one fake Bot API,
# N `/start` updates over 1,000 chats, answers at 0 and 50 ms, BENCH_ROUNDS interleaved rounds
# (docs/benchmarks.md). Minutes, so not part of `make test`. BENCH_PEERS_ARGS adds options of
# tests/bench/peers/run_peers.py (e.g. --only telebot). The report also lands in
# $(BUILD_DIR)/bench-peers/report.md (and every run in report.json).
BENCH_UPDATES ?= 20000
BENCH_ROUNDS ?= 3
BENCH_PEERS_DIR := $(BUILD_DIR)/bench-peers
bench-peers-deps:
	@missing=$$(for p in $(BENCH_PEERS_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done; \
	  for c in $(BENCH_PEERS_COMMANDS); do command -v $$c >/dev/null || echo $$c; done); \
	$(install_missing)

bench-peers: deps bench-peers-deps build
	mkdir -p $(BENCH_PEERS_DIR)/js
	GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOCACHE=$(abspath $(BENCH_PEERS_DIR))/gocache \
	  go build -o $(BENCH_PEERS_DIR)/telebot-peer ./tests/bench/peers/go
	cp tests/bench/peers/js/package.json tests/bench/peers/js/package-lock.json \
	  tests/bench/peers/js/bot.js $(BENCH_PEERS_DIR)/js/
	cd $(BENCH_PEERS_DIR)/js && npm ci --no-audit --no-fund --loglevel=error
	/usr/bin/python3 tests/bench/peers/run_peers.py --build $(BUILD_DIR) --updates $(BENCH_UPDATES) \
	  --rounds $(BENCH_ROUNDS) --out $(BENCH_PEERS_DIR)/report.md $(BENCH_PEERS_ARGS)

# libFuzzer targets (tests/fuzz/), built with Debian's clang in their own directory, each run for
# FUZZ_SECONDS from its committed seeds (tests/fuzz/corpus/<target>); what it finds beyond them
# stays in $(FUZZ_DIR)/corpus, a crashing input in $(FUZZ_DIR)/crash-*.
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
fuzz: deps
	cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DNOCTURNA_FUZZ=ON >/dev/null
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_targets
	@set -eo pipefail; for src in tests/fuzz/*_fuzz.cpp; do \
	  name=$$(basename $$src .cpp); mkdir -p $(FUZZ_DIR)/corpus/$$name; \
	  echo "== $$name: $(FUZZ_SECONDS) s"; \
	  ./$(FUZZ_DIR)/$$name -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -timeout=10 \
	    -artifact_prefix=$(FUZZ_DIR)/$$name- $(FUZZ_DIR)/corpus/$$name tests/fuzz/corpus/$$name \
	    2>&1 | grep -E '^stat::number_of_executed_units|^Done|ERROR|SUMMARY|Test unit written'; \
	done

# The unit, actor and end-to-end suites built with AddressSanitizer + UndefinedBehaviorSanitizer
# in their own directory; any report fails the run. The sanitized objects are built at -O1 with
# line tables only (-g1): at -O2 -g they cost three times the CPU of the plain build, at -O1 -g1
# 1.4 times (actors/sender.cpp: 27 s plain, 79 s and 37 s sanitized), with the same reports.
# ccache, when installed, keeps the rebuilds after a change short.
ASAN_DIR ?= build-asan
# `-fno-sanitize=null`: CAF 0.17's spawn of an actor function without arguments binds a reference
# to its null argument tuple (caf/detail/init_fun_factory.hpp), never read; a real null dereference
# still stops the run, as AddressSanitizer's SEGV.
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-sanitize=null -fno-omit-frame-pointer \
  -fno-sanitize-recover=all
CCACHE := $(shell command -v ccache 2>/dev/null)
# Sanitized code runs several times slower: the tests' waits for a condition and CTest's time
# limits stretch by this factor (tests/support/time_factor.hpp), their assertions stay the same.
SANITIZE_TIME_FACTOR ?= 3
# Tests that run no code of this project built here (the static checks; the browser test, whose
# time goes to Chromium) stay in `make test`.
SANITIZE_SKIP := ^containers_check$$|^docs-citations$$|^layer_includes|^browser:
sanitize: deps
	cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" $(if $(CCACHE),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache) \
	  -DCMAKE_CXX_FLAGS="$(SANITIZE_FLAGS)" -DCMAKE_EXE_LINKER_FLAGS="$(SANITIZE_FLAGS)" \
	  -DNOCTURNA_TEST_TIME_FACTOR=$(SANITIZE_TIME_FACTOR) -DNOCTURNA_JEMALLOC=OFF >/dev/null
	cmake --build $(ASAN_DIR) -j $(JOBS) --target unit_tests e2e_tests actor_tests nocturna-bot \
	  fake-bot-api
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  NOCTURNA_TEST_TIME_FACTOR=$(SANITIZE_TIME_FACTOR) \
	  ctest --output-on-failure -j $(JOBS) --timeout 600 -E '$(SANITIZE_SKIP)'

# The supervision runs at full size (kill -9 three times in a 5,000-update burst, 2 minutes of
# idle keep-alive gaps), the kill -9 one in both intake modes, 5,000 updates over 500 chats through
# three webhook instances: minutes, so not part of `make test`.
soak: deps build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target e2e_tests
	NOCTURNA_SOAK=1 ./$(BUILD_DIR)/e2e_tests -tc="e2e supervision: kill*,e2e supervision: messages*"
	NOCTURNA_SOAK=1 NOCTURNA_E2E_MODE=webhook ./$(BUILD_DIR)/e2e_tests -tc="e2e supervision: kill*"
	# Three webhook instances behind HAProxy on the throw-away PostgreSQL (CTest's fixture).
	cd $(BUILD_DIR) && NOCTURNA_SOAK=1 ctest --output-on-failure --timeout 900 \
	  -R "three webhook instances behind HAProxy|rolling restart of three webhook"

# 200,000 updates over 20,000 chats, then 15 minutes of quiet: the bot's RSS before, at its peak
# and at the end (SOAK_UPDATES, SOAK_CHATS, SOAK_AFTER_S, SESSION_IDLE_S override). About 20 min.
soak-memory: deps build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target memory_soak
	./$(BUILD_DIR)/memory_soak

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_DIR) $(ASAN_DIR)
