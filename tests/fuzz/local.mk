# libFuzzer targets, built only with --enable-fuzzers (CC=clang); run with
# `make fuzzers` then tests/fuzz/run-fuzzers BUILD_DIR SECONDS.
FUZZ_TARGETS = tests/fuzz/fuzz_transcript tests/fuzz/fuzz_translate
# The crash dump reader: the header and probes, then each page layout.
FUZZ_TARGETS += tests/fuzz/fuzz_dump_header tests/fuzz/fuzz_dump_runs \
	tests/fuzz/fuzz_dump_bitmap tests/fuzz/fuzz_dump_rdmp
# The kernel room: PE headers, CodeView record, KDBG read, decoded and scanned.
FUZZ_TARGETS += tests/fuzz/fuzz_kernel_image
# --profile FILE: the ISF loader over JSON text.
FUZZ_TARGETS += tests/fuzz/fuzz_profile_isf
# The kernel walks: processes, threads, objects, handles, the probe.
FUZZ_TARGETS += tests/fuzz/fuzz_kernel_walks
# ALPC ports, messages, the census and the pool search over damaged memory.
FUZZ_TARGETS += tests/fuzz/fuzz_alpc_walk
# LPC ports, messages, the census and the pool search over damaged memory.
FUZZ_TARGETS += tests/fuzz/fuzz_lpc_walk
# `alpcgraph lpc`: every !lpc query over whatever a transcript gives.
FUZZ_TARGETS += tests/fuzz/fuzz_lpc_query
# The LPC census's +otl object-list walk over a forged XP/2003 dump whose
# Port TypeList links and port headers are damaged.
FUZZ_TARGETS += tests/fuzz/fuzz_lpc_type_lists
# --from-json: the saved-report reader, then correlation and rendering;
# seeded with tests/fuzz/seeds/saved_json (scan --format json of two
# samples and the forged deadlock-2 and lpc-deadlock dumps, one input each).
FUZZ_TARGETS += tests/fuzz/fuzz_saved_json
if ENABLE_FUZZERS
noinst_PROGRAMS += $(FUZZ_TARGETS)
tests_fuzz_fuzz_transcript_SOURCES = tests/fuzz/fuzz_transcript.c
tests_fuzz_fuzz_transcript_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_transcript_LDADD = $(ALPCGRAPH_LIBS)
tests_fuzz_fuzz_translate_SOURCES = tests/fuzz/fuzz_translate.c
tests_fuzz_fuzz_translate_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_translate_LDADD = $(ALPCGRAPH_LIBS)
tests_fuzz_fuzz_dump_header_SOURCES = tests/fuzz/fuzz_dump_header.c tests/fuzz/dump_fuzz.h
tests_fuzz_fuzz_dump_header_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_dump_header_LDADD = $(ALPCGRAPH_LIBS)
tests_fuzz_fuzz_dump_runs_SOURCES = tests/fuzz/fuzz_dump_runs.c tests/fuzz/dump_fuzz.h
tests_fuzz_fuzz_dump_runs_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_dump_runs_LDADD = $(ALPCGRAPH_LIBS)
tests_fuzz_fuzz_dump_bitmap_SOURCES = tests/fuzz/fuzz_dump_bitmap.c tests/fuzz/dump_fuzz.h
tests_fuzz_fuzz_dump_bitmap_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_dump_bitmap_LDADD = $(ALPCGRAPH_LIBS)
tests_fuzz_fuzz_dump_rdmp_SOURCES = tests/fuzz/fuzz_dump_rdmp.c tests/fuzz/dump_fuzz.h
tests_fuzz_fuzz_dump_rdmp_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_dump_rdmp_LDADD = $(ALPCGRAPH_LIBS)
tests_fuzz_fuzz_kernel_image_SOURCES = tests/fuzz/fuzz_kernel_image.c
tests_fuzz_fuzz_kernel_image_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_kernel_image_LDADD = $(ALPCGRAPH_LIBS)
tests_fuzz_fuzz_profile_isf_SOURCES = tests/fuzz/fuzz_profile_isf.c
tests_fuzz_fuzz_profile_isf_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_profile_isf_LDADD = $(ALPCGRAPH_LIBS)
tests_fuzz_fuzz_kernel_walks_SOURCES = tests/fuzz/fuzz_kernel_walks.c tests/fuzz/fuzz_image.c tests/fuzz/fuzz_image.h
tests_fuzz_fuzz_kernel_walks_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_kernel_walks_LDADD = $(ALPCGRAPH_LIBS)
tests_fuzz_fuzz_alpc_walk_SOURCES = tests/fuzz/fuzz_alpc_walk.c tests/fuzz/fuzz_image.c tests/fuzz/fuzz_image.h
tests_fuzz_fuzz_alpc_walk_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_alpc_walk_LDADD = $(ALPCGRAPH_LIBS)
tests_fuzz_fuzz_lpc_walk_SOURCES = tests/fuzz/fuzz_lpc_walk.c tests/fuzz/fuzz_image.c tests/fuzz/fuzz_image.h
tests_fuzz_fuzz_lpc_walk_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_lpc_walk_LDADD = $(ALPCGRAPH_LIBS)
tests_fuzz_fuzz_lpc_query_SOURCES = tests/fuzz/fuzz_lpc_query.c
tests_fuzz_fuzz_lpc_query_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_lpc_query_LDADD = $(ALPCGRAPH_LIBS)
tests_fuzz_fuzz_lpc_type_lists_SOURCES = tests/fuzz/fuzz_lpc_type_lists.c
tests_fuzz_fuzz_lpc_type_lists_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_lpc_type_lists_LDADD = tests/forge/libforge.a $(ALPCGRAPH_LIBS)
tests_fuzz_fuzz_saved_json_SOURCES = tests/fuzz/fuzz_saved_json.c
tests_fuzz_fuzz_saved_json_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_saved_json_LDADD = $(ALPCGRAPH_LIBS)
endif
fuzzers: $(FUZZ_TARGETS)
.PHONY: fuzzers
EXTRA_DIST += tests/fuzz/run-fuzzers tests/fuzz/transcript.dict tests/fuzz/dump_header.dict \
	tests/fuzz/kernel_image.dict tests/fuzz/profile_isf.dict tests/fuzz/lpc_query.dict \
	tests/fuzz/saved_json.dict tests/fuzz/seeds
