libalpcgraph_a_SOURCES += \
	src/source/source.h \
	src/source/identify.c \
	src/source/text_probe.c src/source/text_probe.h
