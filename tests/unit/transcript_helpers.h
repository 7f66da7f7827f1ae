/* What the transcript scanner's tests share: read an inline transcript
 * (named "t.txt", so diagnostics read "t.txt:LINE: text"), pick one of its
 * captures, and look records and diagnostics up.  Header-only, so each
 * test program stays one .c file; the captures of the last read are freed
 * by the next read or by scanned_release() at the end of main(). */
#ifndef ALPCGRAPH_TRANSCRIPT_HELPERS_H
#define ALPCGRAPH_TRANSCRIPT_HELPERS_H

#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "../../src/transcript/transcript.h"

static struct ptr_vec scanned;

static inline void scanned_release(void)
{
	for (size_t i = 0; i < scanned.count; i++)
		snapshot_free(scanned.items[i]);
	ptr_vec_release(&scanned);
}

/* Reads text as "t.txt"; returns how many captures it made. */
static inline size_t scan_all_with(const char *text, size_t length,
				   const struct transcript_options *options)
{
	scanned_release();
	transcript_read_memory("t.txt", text, length, options, &scanned);
	return scanned.count;
}

static inline size_t scan_all(const char *text)
{
	return scan_all_with(text, strlen(text), NULL);
}

static inline struct snapshot *capture(size_t index)
{
	CU_ASSERT_FATAL(index < scanned.count);
	return scanned.items[index];
}

/* The one capture a transcript of one session must make. */
static inline struct snapshot *scan(const char *text)
{
	size_t count = scan_all(text);
	CU_ASSERT_EQUAL_FATAL(count, 1);
	return capture(0);
}

static inline struct thread *thread_at_address(const struct snapshot *s, uint64_t address)
{
	struct thread *thread = snapshot_find_thread(s, address);
	CU_ASSERT_PTR_NOT_NULL_FATAL(thread);
	return thread;
}

static inline struct thread *thread_with_cid(const struct snapshot *s, uint64_t pid, uint64_t tid)
{
	struct thread *thread = snapshot_find_thread_by_cid(s, pid, tid);
	CU_ASSERT_PTR_NOT_NULL_FATAL(thread);
	return thread;
}

static inline struct process *process_at_address(const struct snapshot *s, uint64_t address)
{
	struct process *process = snapshot_find_process(s, address);
	CU_ASSERT_PTR_NOT_NULL_FATAL(process);
	return process;
}

static inline struct process *process_with_pid(const struct snapshot *s, uint64_t pid)
{
	struct process *process = snapshot_find_process_by_pid(s, pid);
	CU_ASSERT_PTR_NOT_NULL_FATAL(process);
	return process;
}

static inline struct port *port_at_address(const struct snapshot *s, uint64_t address)
{
	struct port *port = snapshot_find_port(s, address);
	CU_ASSERT_PTR_NOT_NULL_FATAL(port);
	return port;
}

static inline struct message *message_at_address(const struct snapshot *s, uint64_t address)
{
	struct message *message = snapshot_find_message(s, address);
	CU_ASSERT_PTR_NOT_NULL_FATAL(message);
	return message;
}

static inline struct message *lpc_message(const struct snapshot *s, uint64_t id)
{
	struct message *message = snapshot_find_lpc_message(s, id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(message);
	return message;
}

/* How many diagnostics of this level read exactly text. */
static inline size_t diagnostics_reading(const struct snapshot *s, enum diagnostic_level level,
					 const char *text)
{
	size_t count = 0;
	for (size_t i = 0; i < s->diagnostics.count; i++) {
		const struct diagnostic *d = s->diagnostics.items[i];
		if (d->level == level && strcmp(d->text, text) == 0)
			count++;
	}
	return count;
}

/* How many diagnostics of this level contain part. */
static inline size_t diagnostics_containing(const struct snapshot *s, enum diagnostic_level level,
					    const char *part)
{
	size_t count = 0;
	for (size_t i = 0; i < s->diagnostics.count; i++) {
		const struct diagnostic *d = s->diagnostics.items[i];
		if (d->level == level && strstr(d->text, part))
			count++;
	}
	return count;
}

/* The i-th frame of a thread's stack, or "" past its end. */
static inline const char *frame(const struct thread *thread, uint32_t index)
{
	return index < thread->frame_count ? thread->frames[index] : "";
}

#endif
