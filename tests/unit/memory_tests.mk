# Physical memory and address spaces (src/memory/) over the dump readers:
# real QEMU dumps from ../shared/corpus/qemu (skipped without it), and
# dumps the forge (tests/forge/) writes at test time.
memory_test_programs = tests/unit/test_memory_qemu tests/unit/test_memory_files \
	tests/unit/test_memory_forge
check_PROGRAMS += $(memory_test_programs)
TESTS += $(memory_test_programs)

tests_unit_test_memory_qemu_SOURCES = tests/unit/test_memory_qemu.c
tests_unit_test_memory_qemu_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_memory_qemu_LDADD = $(TEST_LIBS)

tests_unit_test_memory_files_SOURCES = tests/unit/test_memory_files.c
tests_unit_test_memory_files_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_memory_files_LDADD = $(TEST_LIBS)

tests_unit_test_memory_forge_SOURCES = tests/unit/test_memory_forge.c
tests_unit_test_memory_forge_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_memory_forge_LDADD = tests/forge/libforge.a $(TEST_LIBS)
