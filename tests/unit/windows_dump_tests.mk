# The Windows crash dump reader (src/source/windows_*.c, dump_open.c), on
# dumps the forge writes (tests/forge/) and on images built in the test.
check_PROGRAMS += tests/unit/test_windows_dump
TESTS += tests/unit/test_windows_dump
tests_unit_test_windows_dump_SOURCES = tests/unit/test_windows_dump.c
tests_unit_test_windows_dump_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_windows_dump_LDADD = tests/forge/libforge.a $(TEST_LIBS)
