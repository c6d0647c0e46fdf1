# dartscan -- plain GNU make. `make run` scans a sample bundle; `make check` runs every test.
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
DATADIR  = $(PREFIX)/share/dartscan
MANDIR   = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions

PKGS = libarchive libpcre2-8 libxml-2.0 jansson libisal
DEBS = pkg-config libarchive-dev libpcre2-dev libxml2-dev libjansson-dev libisal-dev

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
STD      = -std=c11 -D_GNU_SOURCE
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# SARIF's informationUri: the installed man page (a package that compresses it says so: debian/rules)
INFO_URI ?= file://$(MANDIR)/man1/dartscan.1
ALL_CFLAGS = $(STD) $(WARN) -Isrc $(CPPFLAGS) $(CFLAGS) -pthread $(PKG_CFLAGS) -DDS_RULES_DIR='"$(DATADIR)/rules"' -DDS_INFO_URI='"$(INFO_URI)"' -MMD -MP

B = build
SRCS = $(wildcard src/*.c src/*/*.c)
OBJS = $(SRCS:src/%.c=$(B)/%.o)
LIB_OBJS = $(filter-out $(B)/main.o,$(OBJS))

UNIT_TESTS = $(patsubst tests/unit/%.c,$(B)/unit/%,$(wildcard tests/unit/*.c))
FUZZ_NAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
# The fuzz entry points built with a plain main, so make check replays tests/fuzz/regress/.
REPLAYS = $(FUZZ_NAMES:%=$(B)/replay/fuzz_%)
TEST_TOOLS = $(B)/mkbundle $(B)/rusage $(B)/evil.so $(B)/lying.so $(REPLAYS)

.PHONY: all deps run check unit golden rules-check fixtures regen sanitize valgrind lint install uninstall clean bench bench-data fuzz fuzz-smoke fuzz-build winzones examples deb

all: dartscan

# Installs the build dependencies when root, else says the exact command.
$(B)/.deps: Makefile
	@mkdir -p $(B)
	@if ! pkg-config --exists $(PKGS) 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "dartscan: installing build dependencies: $(DEBS)"; \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBS) >/dev/null || exit 1; \
	  else \
	    echo "dartscan: missing libraries; run: sudo apt-get install -y $(DEBS)" >&2; exit 1; \
	  fi; \
	fi
	@for p in $(PKGS); do pkg-config --exists $$p || { echo "dartscan: pkg-config cannot find $$p" >&2; exit 1; }; done
	@touch $@
deps: $(B)/.deps

dartscan: $(B)/.deps $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $$(pkg-config --libs $(PKGS)) -pthread

$(B)/%.o: src/%.c $(B)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $$(pkg-config --cflags $(PKGS)) -c -o $@ $<

$(B)/mkpcap: tests/tools/mkpcap.c
	@mkdir -p $(B)
	$(CC) $(STD) $(CFLAGS) -o $@ $<

$(B)/mkbundle: tests/tools/mkbundle.c $(B)/.deps
	$(CC) $(STD) $(CFLAGS) -o $@ $< $$(pkg-config --cflags --libs libarchive)

# a preload that plays a library bug for the sandbox suite (never installed)
$(B)/evil.so: tests/tools/evil.c $(B)/.deps
	$(CC) $(STD) $(WARN) $(CFLAGS) -shared -fPIC -o $@ $< $$(pkg-config --cflags libarchive) -ldl

# the bytes a worker sends for each bundle: the fuzz_wire target's seeds (never installed)
$(B)/wiredump: tests/tools/wiredump.c $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB_OBJS) $$(pkg-config --libs $(PKGS)) -pthread

# a worker that sends forged results, for the sandbox suite (never installed)
$(B)/lying.so: tests/tools/lying.c
	@mkdir -p $(B)
	$(CC) $(STD) $(WARN) $(CFLAGS) -shared -fPIC -o $@ $<

$(B)/rusage: tests/tools/rusage.c
	@mkdir -p $(B)
	$(CC) $(STD) $(WARN) $(CFLAGS) -o $@ $<

$(B)/replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB_OBJS)
	@mkdir -p $(B)/replay
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< tests/fuzz/replay.c $(LIB_OBJS) $$(pkg-config --libs $(PKGS))

# Fixture bundles are built from the text trees in fixtures/ (names with spaces: a script, not
# make rules), never kept in git. Rebuilt every time: it takes well under a second.
fixtures: $(B)/mkbundle $(B)/mkpcap
	@sh tests/build-fixtures.sh $(B)

run: dartscan fixtures
	./dartscan -R rules $(B)/fixtures/seed-both.zip; test $$? -le 1

$(B)/unit/%: tests/unit/%.c $(LIB_OBJS) tests/unit/check.h
	@mkdir -p $(B)/unit
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB_OBJS) $$(pkg-config --libs $(PKGS)) -pthread

unit: $(UNIT_TESTS)
	@sh tests/run-unit.sh $(UNIT_TESTS)

# The benchmark (tests/bench/): generated bundles live in $(B)/bench, never in git. Not part of
# `make check`: it takes about a minute and its numbers depend on the machine.
BENCH_MB ?= 200
$(B)/bench/count: tests/bench/count.c $(LIB_OBJS)
	@mkdir -p $(B)/bench
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB_OBJS) $$(pkg-config --libs $(PKGS))

$(B)/bench/bundle-%.zip: tests/bench/gen.py
	@mkdir -p $(B)/bench
	python3 tests/bench/gen.py bundle $@ $*

$(B)/bench/cases/.done: tests/bench/gen.py
	rm -rf $(B)/bench/cases
	python3 tests/bench/gen.py cases $(B)/bench/cases 200
	@touch $@

bench-data: $(B)/bench/bundle-$(BENCH_MB).zip $(B)/bench/bundle-50.zip $(B)/bench/cases/.done

$(B)/bench/floor: tests/bench/floor.c $(LIB_OBJS)
	@mkdir -p $(B)/bench
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB_OBJS) $$(pkg-config --libs $(PKGS)) -pthread

bench: dartscan bench-data $(B)/bench/count $(B)/bench/floor
	@sh tests/bench/run.sh $(B)/bench/bundle-$(BENCH_MB).zip $(B)/bench/bundle-50.zip $(B)/bench/cases

rules-check: dartscan
	./dartscan rules check rules
	./dartscan rules test rules

golden: dartscan fixtures
	@sh tests/golden/run.sh

check: dartscan fixtures $(UNIT_TESTS) $(TEST_TOOLS)
	@B=$(B) sh tests/check.sh

regen: dartscan fixtures
	@REGEN=1 sh tests/golden/run.sh

# src/winzones.c (committed) from CLDR's windowsZones.xml and tools/windows-display-names.txt. For
# maintainers only: it needs python3 and unicode-cldr-core; building dartscan needs neither.
winzones:
	python3 tools/gen-winzones -o src/winzones.c

# HOSTILE_SLOW: the hostile suite's time and memory bounds are for the plain build.
sanitize:
	$(MAKE) clean
	HOSTILE_SLOW=1 $(MAKE) check CC=clang CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all'

valgrind: dartscan fixtures $(UNIT_TESTS)
	@B=$(B) sh tests/valgrind.sh $(UNIT_TESTS)

# libFuzzer targets (clang only): the library again with coverage and ASan+UBSan, one binary per
# tests/fuzz/fuzz_*.c. `make fuzz` runs each for FUZZ_SECONDS, one after another.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJS = $(LIB_OBJS:$(B)/%.o=$(B)/fuzz/obj/%.o)
.SECONDARY: $(FUZZ_OBJS) # kept between runs: make would delete them as intermediates

$(B)/fuzz/obj/%.o: src/%.c $(B)/.deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(STD) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -Isrc $$(pkg-config --cflags $(PKGS)) -MMD -MP -c -o $@ $<

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(STD) $(FUZZ_SAN) -fsanitize=fuzzer -Isrc $$(pkg-config --cflags $(PKGS)) -o $@ $< \
	    $(FUZZ_OBJS) $$(pkg-config --libs $(PKGS))

fuzz-build: $(FUZZ_NAMES:%=$(B)/fuzz/fuzz_%) $(B)/wiredump fixtures
	@sh tests/fuzz/seeds.sh $(B)

fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(B) $(FUZZ_SECONDS)

fuzz-smoke: fuzz-build
	@sh tests/fuzz/run.sh $(B) 10

lint:
	mandoc -Tlint -Wwarning man/dartscan.1 man/dartscan-rules.5

# The binary looks for its rules in $(DATADIR)/rules (compiled in), then in ../share/dartscan/rules
# beside itself: a copy staged with DESTDIR, or moved to another prefix, still finds them.
install: dartscan
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 dartscan $(DESTDIR)$(BINDIR)/dartscan
	install -m 644 rules/*.rules $(DESTDIR)$(DATADIR)/rules/
	install -m 644 man/dartscan.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/dartscan-rules.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 contrib/bash-completion/dartscan $(DESTDIR)$(BASHCOMPDIR)/dartscan

# The sample bundle the Debian package ships in /usr/share/doc/dartscan/examples: fixtures/seed-both,
# the bundle `make run` diagnoses, under the name DART gives an upload.
examples: $(B)/mkbundle
	@mkdir -p $(B)/examples
	$(B)/mkbundle zip $(B)/examples/DARTBundle_0827_0641.zip fixtures/seed-both >/dev/null

# The Debian package (debian/). debhelper and dpkg-dev are tools of packaging time, not build
# dependencies of `make`: installed here when root, else named. The package is built in a copy of
# the tree under $(B)/deb (the files git tracks or would, as they are in the working tree), so that
# dpkg-buildpackage's outputs (.deb, .changes, .buildinfo, dbgsym) land in $(B)/deb, not beside
# the clone. The last line printed is the .deb's path.
DEB_TOOLS = debhelper dpkg-dev
DEB_VERSION = $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
deb: $(B)/.deps
	@if ! command -v dh >/dev/null || ! command -v dpkg-buildpackage >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "dartscan: installing packaging tools: $(DEB_TOOLS)"; \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_TOOLS) >/dev/null || exit 1; \
	  else \
	    echo "dartscan: missing packaging tools; run: sudo apt-get install -y $(DEB_TOOLS)" >&2; exit 1; \
	  fi; \
	fi
	@rm -rf $(B)/deb && mkdir -p $(B)/deb/dartscan-$(DEB_VERSION)
	@if [ -d .git ] || [ -f .git ]; then \
	  git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C $(B)/deb/dartscan-$(DEB_VERSION); \
	else \
	  tar --exclude=./$(B) --exclude=./dartscan -cf - . | tar -xf - -C $(B)/deb/dartscan-$(DEB_VERSION); \
	fi
	@echo "dartscan: dpkg-buildpackage -us -uc -b in $(B)/deb/dartscan-$(DEB_VERSION) (log: $(B)/deb/build.log)"
	@cd $(B)/deb/dartscan-$(DEB_VERSION) && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
	    { tail -40 ../build.log >&2; echo "dartscan: dpkg-buildpackage failed (log: $(B)/deb/build.log)" >&2; exit 1; }
	@ls $(B)/deb/dartscan_$(DEB_VERSION)_$$(dpkg --print-architecture).deb

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dartscan $(DESTDIR)$(MANDIR)/man1/dartscan.1 $(DESTDIR)$(MANDIR)/man5/dartscan-rules.5 \
	    $(DESTDIR)$(BASHCOMPDIR)/dartscan
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf $(B) dartscan

-include $(OBJS:.o=.d) $(UNIT_TESTS:=.d) $(FUZZ_OBJS:.o=.d)
