# The README's commands. `make run` builds and starts Rampart on an embedded database;
# `make schema` writes the migrations a new or changed register description needs;
# `make test` installs what the tests need, builds with ASan/UBSan and runs every suite (the store
# suites also against a throwaway PostgreSQL cluster, removed afterwards: scripts/run-tests.sh);
# it builds the benchmarks too and runs each scenario once on a small database (not timed).
# `make package` builds the Debian package (packaging/) from the Release build.
DATA_DIR ?= rampart-data
DB       ?= $(DATA_DIR)/rampart.db
LISTEN   ?= 127.0.0.1:8080
ORG      ?= My organisation
JOBS     ?= $(shell nproc)
# ccache (installed with the build packages) shares compiled objects between clones of the
# repository: paths under the clone are hashed relative to it.
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1

.PHONY: all deps build run test test-deps format lint bench fuzz clean schema crash package

all: build

deps:
	@scripts/install-deps.sh build

build: deps
	@cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRAMPART_TESTS=OFF >/dev/null
	@cmake --build build -j $(JOBS)

# The Debian package of the Release build: cpack (packaging/CMakeLists.txt) writes it into
# build/package/ and the path is printed.
package: build
	@mkdir -p build/package
	@cd build && cpack -G DEB -B package >package/cpack.log 2>&1 || { cat package/cpack.log; exit 1; }
	@sed -n 's/^CPack: - package: \(.*\) generated\.$$/\1/p' build/package/cpack.log

run: build
	@mkdir -p $(DATA_DIR)
	@if [ ! -f "$(DB)" ]; then build/rampart init --db "$(DB)" --org "$(ORG)"; fi
	@build/rampart serve --db "$(DB)" --listen "$(LISTEN)"

# Writes the migrations that bring the schema in step with the register descriptions
# (src/make_schema.cc): a new register's table, new columns, indexes and search columns, both
# dialects. Commit what it writes; when everything is in step it writes nothing and says so.
schema: deps
	@cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRAMPART_TESTS=OFF >/dev/null
	@cmake --build build -j $(JOBS) --target make_schema
	@build/make_schema src/store/migrations

test-deps:
	@scripts/install-deps.sh test
	@cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error

test: test-deps
	@cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRAMPART_SANITIZE=ON -DRAMPART_BENCH=ON \
	  -DRAMPART_TESTS=ON -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
	@cmake --build build-test -j $(JOBS)
	@scripts/run-tests.sh build-test --output-on-failure -j $(JOBS)

# The crash test at length: 100 SIGKILLs of `rampart serve` per backend under 8 writers, against
# the Release build and a throwaway PostgreSQL cluster; the figures go to build/crash-*.json
# (docs/reliability.md says what they were).
CRASH_KILLS ?= 100
crash: build test-deps
	@scripts/crash.sh build/rampart $(CRASH_KILLS)

format:
	@clang-format -i $$(git ls-files '*.h' '*.cc')

lint: test-deps
	@cmake -S . -B build-lint -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRAMPART_TESTS=ON \
	  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
	@clang-tidy -p build-lint --quiet $$(git ls-files 'src/*.cc')

bench: deps
	@cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DRAMPART_BENCH=ON >/dev/null
	@cmake --build build-bench -j $(JOBS)
	@bench/run.sh build-bench

FUZZ_SECONDS ?= 60
fuzz: test-deps
	@CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DRAMPART_TESTS=ON -DRAMPART_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target fuzz_form fuzz_record_json fuzz_request fuzz_oscal \
	  fuzz_csv fuzz_xlsx
	@for f in form record_json request oscal csv xlsx; do \
	  mkdir -p build-fuzz/corpus-$$f && \
	  build-fuzz/tests/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus-$$f tests/fuzz/corpus/$$f || exit 1; \
	done

clean:
	@rm -rf build build-test build-bench build-fuzz build-lint
