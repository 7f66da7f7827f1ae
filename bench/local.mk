# Benchmarks print figures; they are not tests.  `make bench` builds and runs
# them against the tool of this build (use an optimised, unsanitised build).
EXTRA_PROGRAMS = bench/bench_transcript bench/bench_dump bench/bench_alpc
bench_bench_transcript_SOURCES = bench/bench_transcript.c
bench_bench_transcript_LDADD = $(ALPCGRAPH_LIBS)
CLEANFILES += bench/bench_transcript bench/bench_dump bench/bench_alpc
bench_bench_dump_SOURCES = bench/bench_dump.c
bench_bench_dump_LDADD = $(ALPCGRAPH_LIBS)
# The sparse dump's size and how much of it is present (the issue's figures).
BENCH_DUMP_SIZES = 8G 4G
# Issue 4's whole-system figure: a forged 16 GiB complete dump with 1,000
# processes, 50,000 threads, 20,000 ports, 100,000 messages (BENCH_ALPC_*
# in the environment make it smaller; see bench/bench_alpc.c).
bench_bench_alpc_SOURCES = bench/bench_alpc.c
bench_bench_alpc_LDADD = tests/forge/libforge.a $(ALPCGRAPH_LIBS)
bench: bench/bench_transcript$(EXEEXT) bench/bench_dump$(EXEEXT) bench/bench_alpc$(EXEEXT) alpcgraph$(EXEEXT) tests/forge/forge$(EXEEXT)
	ALPCGRAPH_TEMPLATES='$(abs_top_srcdir)/templates' bench/bench_transcript ./alpcgraph$(EXEEXT) $(BENCH_THREADS)
	qemu="$${ALPCGRAPH_SHARED:-$(abs_top_srcdir)/../shared}/corpus/qemu"; \
	bench/bench_dump tests/forge/forge$(EXEEXT) $(BENCH_DUMP_SIZES) $$(test -d "$$qemu" && echo "$$qemu")
	bench/bench_alpc ./alpcgraph$(EXEEXT)
.PHONY: bench
