# libFuzzer targets, built only with --enable-fuzzers (CC=clang); run with
# `make fuzzers` then tests/fuzz/run-fuzzers BUILD_DIR SECONDS.
FUZZ_TARGETS = tests/fuzz/fuzz_transcript
if ENABLE_FUZZERS
noinst_PROGRAMS += $(FUZZ_TARGETS)
tests_fuzz_fuzz_transcript_SOURCES = tests/fuzz/fuzz_transcript.c
tests_fuzz_fuzz_transcript_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_transcript_LDADD = $(ALPCGRAPH_LIBS)
endif
fuzzers: $(FUZZ_TARGETS)
.PHONY: fuzzers
EXTRA_DIST += tests/fuzz/run-fuzzers tests/fuzz/transcript.dict
