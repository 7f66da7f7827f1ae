# The transcript scanner (src/transcript/): one program per kind of
# debugger output, all reading invented inputs in the documented formats.
transcript_test_programs = tests/unit/test_transcript_kernel tests/unit/test_transcript_alpc \
	tests/unit/test_transcript_lpc tests/unit/test_transcript_rpc \
	tests/unit/test_transcript_captures
check_PROGRAMS += $(transcript_test_programs)
TESTS += $(transcript_test_programs)
EXTRA_DIST += tests/unit/transcript_helpers.h

tests_unit_test_transcript_kernel_SOURCES = tests/unit/test_transcript_kernel.c \
	tests/unit/transcript_helpers.h
tests_unit_test_transcript_kernel_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_transcript_kernel_LDADD = $(TEST_LIBS)

tests_unit_test_transcript_alpc_SOURCES = tests/unit/test_transcript_alpc.c \
	tests/unit/transcript_helpers.h
tests_unit_test_transcript_alpc_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_transcript_alpc_LDADD = $(TEST_LIBS)

tests_unit_test_transcript_lpc_SOURCES = tests/unit/test_transcript_lpc.c \
	tests/unit/transcript_helpers.h
tests_unit_test_transcript_lpc_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_transcript_lpc_LDADD = $(TEST_LIBS)

tests_unit_test_transcript_rpc_SOURCES = tests/unit/test_transcript_rpc.c \
	tests/unit/transcript_helpers.h
tests_unit_test_transcript_rpc_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_transcript_rpc_LDADD = $(TEST_LIBS)

tests_unit_test_transcript_captures_SOURCES = tests/unit/test_transcript_captures.c \
	tests/unit/transcript_helpers.h
tests_unit_test_transcript_captures_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_transcript_captures_LDADD = $(TEST_LIBS)
