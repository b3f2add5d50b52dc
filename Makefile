# Nocturna Bot — developer entry points. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)

# The one package list (shared/spec/stack.md §1); containers/Dockerfile installs the same list.
DEB_PACKAGES := build-essential cmake g++ pkg-config ca-certificates \
  libcaf-dev libcpp-httplib-dev libsimdjson-dev libfmt-dev libspdlog-dev doctest-dev \
  libswe-dev swe-basic-data swetest libgeonames-dev libglib2.0-dev libhowardhinnant-date-dev \
  libsqlite3-dev libssl-dev libcairo2-dev libpq-dev postgresql clang libclang-rt-14-dev \
  fonts-dejavu-core clang-format curl

.PHONY: deps build run test bench soak format clean

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "deps: all packages present"; fi

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

# The supervision runs at full size (kill -9 three times in a 5,000-update burst, 2 minutes of
# idle keep-alive gaps), the kill -9 one in both intake modes: minutes, so not part of `make test`.
soak: deps build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target e2e_tests
	NOCTURNA_SOAK=1 ./$(BUILD_DIR)/e2e_tests -tc="e2e supervision: kill*,e2e supervision: messages*"
	NOCTURNA_SOAK=1 NOCTURNA_E2E_MODE=webhook ./$(BUILD_DIR)/e2e_tests -tc="e2e supervision: kill*"

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
