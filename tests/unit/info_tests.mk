# `alpcgraph info`: identities read from forged dumps of every format,
# the text summary, and the JSON checked against docs/json.md.
check_PROGRAMS += tests/unit/test_info
TESTS += tests/unit/test_info
tests_unit_test_info_SOURCES = tests/unit/test_info.c \
	tests/unit/json_schema.c tests/unit/json_schema.h
tests_unit_test_info_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_info_LDADD = tests/forge/libforge.a $(TEST_LIBS) $(JSONC_LIBS)
