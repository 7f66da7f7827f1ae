# Unit tests: one CUnit program per subject, all built on tests/unit/harness.c.
check_LIBRARIES = tests/unit/libharness.a
tests_unit_libharness_a_SOURCES = tests/unit/harness.c tests/unit/harness.h
tests_unit_libharness_a_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
TEST_LIBS = tests/unit/libharness.a $(ALPCGRAPH_LIBS) $(CUNIT_LIBS)

AM_TESTS_ENVIRONMENT = \
	srcdir='$(abs_top_srcdir)'; export srcdir; \
	ALPCGRAPH_TEMPLATES='$(abs_top_srcdir)/templates'; export ALPCGRAPH_TEMPLATES; \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0; export ASAN_OPTIONS; \
	LSAN_OPTIONS=suppressions='$(abs_top_srcdir)/tests/lsan.supp':print_suppressions=0; export LSAN_OPTIONS; \
	ALPCGRAPH='$(abs_top_builddir)/alpcgraph'; export ALPCGRAPH; \
	ALPCGRAPH_FORGE='$(abs_top_builddir)/tests/forge/forge'; export ALPCGRAPH_FORGE; \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1; export UBSAN_OPTIONS;

include tests/unit/local.mk
include tests/fuzz/local.mk
include tests/e2e/local.mk
include tests/forge/local.mk

EXTRA_DIST += tests/data tests/lsan.supp
EXTRA_DIST += tests/browser/check-report

# Includes only look upstream in the data flow.
TESTS += tests/layering
dist_check_SCRIPTS += tests/layering
