libalpcgraph_a_SOURCES += \
	src/source/source.h \
	src/source/identify.c \
	src/source/text_probe.c src/source/text_probe.h

# Memory dumps (dump.h): one table of formats in dump_open.c, one file per
# format; run_table.c is the page index of the formats that list runs.
libalpcgraph_a_SOURCES += \
	src/source/dump.h src/source/dump_internal.h \
	src/source/dump_open.c \
	src/source/run_table.c src/source/run_table.h \
	src/source/windows_header.c src/source/windows_header.h \
	src/source/windows_runs.c \
	src/source/windows_bitmap.c \
	src/source/windows_rdmp.c

# ELF cores and kdump files through libkdumpfile (kdump_file.c), with what
# we read of them ourselves; raw images (--format raw).
libalpcgraph_a_SOURCES += \
	src/source/kdump_file.c src/source/kdump_internal.h \
	src/source/elf_core.c \
	src/source/qemu_notes.c \
	src/source/kdump_descriptors.c \
	src/source/page_cache.c \
	src/source/kdump_trial_open.c \
	src/source/raw_image.c
