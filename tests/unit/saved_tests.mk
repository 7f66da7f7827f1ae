# src/saved (--from-json): the samples round-trip through the JSON report
# byte for byte; every value kind; hostile documents' exact messages.
check_PROGRAMS += tests/unit/test_saved
TESTS += tests/unit/test_saved
tests_unit_test_saved_SOURCES = tests/unit/test_saved.c
tests_unit_test_saved_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_saved_LDADD = $(TEST_LIBS)
