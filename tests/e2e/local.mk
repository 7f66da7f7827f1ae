# End to end: the shared transcript corpus against its INDEX.md answers (skips
# without ../shared), and the command line over samples and bad inputs.
check_PROGRAMS += tests/e2e/test_corpus
TESTS += tests/e2e/test_corpus tests/e2e/test_cli
tests_e2e_test_corpus_SOURCES = tests/e2e/test_corpus.c
tests_e2e_test_corpus_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_e2e_test_corpus_LDADD = $(TEST_LIBS)
dist_check_SCRIPTS += tests/e2e/test_cli
# `alpcgraph alpc`: every query over tests/data and the shared corpus.
TESTS += tests/e2e/test_alpc_cli
dist_check_SCRIPTS += tests/e2e/test_alpc_cli
# `alpcgraph lpc`: every !lpc query over tests/data, the corpus and the XP replay dump.
TESTS += tests/e2e/test_lpc_cli
dist_check_SCRIPTS += tests/e2e/test_lpc_cli
# --profile FILE end to end: a JPCERT ISF table over a forged dump.
TESTS += tests/e2e/test_profile_cli
dist_check_SCRIPTS += tests/e2e/test_profile_cli
# Issue 4 over forged dumps on every required layout: deadlock-2, cycle-3 and
# chain-6-mutant through scan/cycles/report, and a dump cut short.
TESTS += tests/e2e/test_dump_reports
dist_check_SCRIPTS += tests/e2e/test_dump_reports
# Issue 5 over forged XP/2003 dumps: the LPC deadlock's cycle, csrss's
# ApiPort read whole, --pool-search finding the pool-only message.
TESTS += tests/e2e/test_lpc_dump_cli
dist_check_SCRIPTS += tests/e2e/test_lpc_dump_cli
# Issue 5's report over forged XP/2003 dumps: every LPC scenario's JSON as
# the forge made it, and lpc-deadlock's cycle named on its page and in the index.
TESTS += tests/e2e/test_lpc_dump_reports
dist_check_SCRIPTS += tests/e2e/test_lpc_dump_reports
# --from-json: scan's JSON read back gives the report, cycles and scan the
# original inputs give (samples, forged ALPC and LPC deadlocks); merging two
# scans; hostile documents' exact messages.
TESTS += tests/e2e/test_from_json
dist_check_SCRIPTS += tests/e2e/test_from_json
