libalpcgraph_a_SOURCES += \
	src/model/model.h \
	src/model/names.c \
	src/model/records.c \
	src/model/snapshot.c
