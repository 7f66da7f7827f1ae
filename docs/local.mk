dist_man_MANS += docs/alpcgraph.1
EXTRA_DIST += docs/transcripts.md
EXTRA_DIST += docs/isf.md
EXTRA_DIST += docs/lpc.md
