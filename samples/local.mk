# Transcripts written for alpcgraph in the real debugger formats: the
# quickstart's input and the end-to-end tests' fixtures.
EXTRA_DIST += \
	samples/alpc-deadlock-two-processes.txt \
	samples/alpc-cycle-three-processes.txt \
	samples/chain-to-critical-section.txt \
	samples/xp-lpc-wait.txt \
	samples/rpc-stuck-call.txt
