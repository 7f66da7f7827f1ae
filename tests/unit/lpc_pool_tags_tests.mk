# The LPC port objects' pool tags: the image's type Key preferred, the
# sourced "Port" and "Wait" where no type object can be read (docs/lpc.md).
check_PROGRAMS += tests/unit/test_lpc_pool_tags
TESTS += tests/unit/test_lpc_pool_tags
tests_unit_test_lpc_pool_tags_SOURCES = tests/unit/test_lpc_pool_tags.c
tests_unit_test_lpc_pool_tags_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_lpc_pool_tags_LDADD = tests/forge/libforge.a $(TEST_LIBS)
