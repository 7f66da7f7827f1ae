libalpcgraph_a_SOURCES += \
	src/kernel/kernel.h \
	src/kernel/kernel_internal.h \
	src/kernel/os_identity.c \
	src/kernel/dtb_search.c \
	src/kernel/pe_image.c \
	src/kernel/kdbg.c \
	src/kernel/kdbg_read.c \
	src/kernel/kdbg_scan.c
