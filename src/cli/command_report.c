/* alpcgraph report PATH... -o DIR
 *
 * Each input is processed in a child process of its own, up to --jobs at
 * a time: a crash or runaway allocation on one hostile input cannot take
 * the batch down, Graphviz (not thread-safe, and leaking per layout —
 * ../shared/docs/deps.md §4) is confined, and a folder is processed in
 * parallel.  Each child hands its page summaries back through a file; the
 * parent writes index.html from them. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "report_pages.h"

struct worker {
	pid_t pid;
	size_t item;
};

struct report_run {
	const struct cli_options *options;
	struct report_item *items;
	size_t item_count;
	char scratch[256];           /* a private folder for the summary files */
	struct ptr_vec *summaries;   /* per item: struct ptr_vec of struct page_summary * */
	int status;
	size_t done;
};

static bool make_folder(const char *path)
{
	if (mkdir(path, 0777) == 0 || errno == EEXIST) {
		struct stat info;
		if (stat(path, &info) == 0 && S_ISDIR(info.st_mode))
			return true;
		fprintf(stderr, "alpcgraph: %s: exists and is not a folder\n", path);
		return false;
	}
	fprintf(stderr, "alpcgraph: %s: cannot create: %s\n", path, strerror(errno));
	return false;
}

static void summary_path(const struct report_run *run, size_t item, char *path, size_t size)
{
	snprintf(path, size, "%s/%zu.summary", run->scratch, item);
}

static void run_child(const struct report_run *run, size_t item)
{
	char path[300];
	summary_path(run, item, path, sizeof path);
	FILE *summaries = fopen(path, "w");
	if (!summaries)
		_exit(EXIT_BAD_INPUT);
	int status = write_item_pages(&run->items[item], run->options->output, run->options, summaries);
	if (fclose(summaries) != 0)
		status = EXIT_BAD_INPUT;
	fflush(stderr);
	_exit(status);
}

static char *text_copy(const char *text)
{
	return text ? checked_strdup(text) : NULL;
}

/* What the index shows for an input whose worker died before finishing. */
static struct page_summary *failed_item_summary(const struct report_item *item, const char *why)
{
	struct page_summary *summary = checked_calloc(1, sizeof *summary);
	summary->input_path = text_copy(item->files[0]);
	summary->capture_index = summary->capture_count = 1;
	summary->status = text_copy("error");
	size_t length = strlen(item->files[0]) + strlen(why) + 16;
	summary->first_problem = checked_malloc(length);
	snprintf(summary->first_problem, length, "%s: %s", item->files[0], why);
	summary->errors = 1;
	return summary;
}

static void collect(struct report_run *run, size_t item, int wait_status)
{
	struct ptr_vec *list = &run->summaries[item];
	char path[300];
	summary_path(run, item, path, sizeof path);
	FILE *in = fopen(path, "r");
	struct error *error = NULL;
	if (in) {
		struct page_summary *summary;
		while ((summary = page_summary_read(in, &error)))
			ptr_vec_push(list, summary);
		fclose(in);
	}
	unlink(path);
	char why[128] = "";
	if (WIFSIGNALED(wait_status))
		snprintf(why, sizeof why, "processing stopped by signal %d (%s)", WTERMSIG(wait_status),
			 strsignal(WTERMSIG(wait_status)));
	else if (!in || error)
		snprintf(why, sizeof why, "processing ended without a result%s%s",
			 error ? ": " : "", error ? error->message : "");
	error_free(error);
	if (why[0]) {
		fprintf(stderr, "alpcgraph: %s: %s\n", run->items[item].files[0], why);
		ptr_vec_push(list, failed_item_summary(&run->items[item], why));
	}
	if (why[0] || !WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0)
		run->status = EXIT_BAD_INPUT;
	run->done++;
	size_t deadlocks = 0, waits = 0;
	for (size_t i = 0; i < list->count; i++) {
		const struct page_summary *summary = list->items[i];
		waits += summary->waits;
		for (size_t c = 0; c < summary->cycle_count; c++)
			deadlocks += summary->cycles[c].definite;
	}
	progress(run->options, "[%zu/%zu] %s: %zu page%s, %zu wait%s, %zu deadlock%s", run->done,
		 run->item_count, run->items[item].files[0], list->count, list->count == 1 ? "" : "s",
		 waits, waits == 1 ? "" : "s", deadlocks, deadlocks == 1 ? "" : "s");
}

static void run_workers(struct report_run *run)
{
	unsigned jobs = run->options->jobs ? run->options->jobs : 1;
	struct worker *running = checked_calloc(jobs, sizeof *running);
	size_t active = 0, next = 0;
	fflush(NULL);
	while (next < run->item_count || active) {
		while (active < jobs && next < run->item_count) {
			pid_t pid = fork();
			if (pid == 0)
				run_child(run, next);
			if (pid < 0) {
				/* No process to spare: do the work here. */
				char path[300];
				summary_path(run, next, path, sizeof path);
				FILE *summaries = fopen(path, "w");
				int status = summaries ? write_item_pages(&run->items[next], run->options->output,
									  run->options, summaries)
						       : EXIT_BAD_INPUT;
				if (summaries)
					fclose(summaries);
				collect(run, next, status << 8);
				next++;
				continue;
			}
			running[active++] = (struct worker){ pid, next++ };
		}
		if (!active)
			break;
		int wait_status;
		pid_t pid = waitpid(-1, &wait_status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (size_t i = 0; i < active; i++)
			if (running[i].pid == pid) {
				collect(run, running[i].item, wait_status);
				running[i] = running[--active];
				break;
			}
	}
	free(running);
}

static void plan_items(struct report_run *run, struct ptr_vec *files)
{
	if (run->options->same_machine) {
		run->item_count = 1;
		run->items = checked_calloc(1, sizeof *run->items);
		run->items[0].files = (char **)files->items;
		run->items[0].file_count = files->count;
		name_item(&run->items[0], 1, files->count ? files->items[0] : "input");
		return;
	}
	run->item_count = files->count;
	run->items = checked_calloc(files->count ? files->count : 1, sizeof *run->items);
	for (size_t i = 0; i < files->count; i++) {
		run->items[i].files = (char **)&files->items[i];
		run->items[i].file_count = 1;
		name_item(&run->items[i], i + 1, files->items[i]);
	}
}

static int write_index(struct report_run *run)
{
	struct ptr_vec all = { 0 };
	size_t deadlocks = 0;
	for (size_t i = 0; i < run->item_count; i++)
		for (size_t s = 0; s < run->summaries[i].count; s++) {
			struct page_summary *summary = run->summaries[i].items[s];
			ptr_vec_push(&all, summary);
			for (size_t c = 0; c < summary->cycle_count; c++)
				deadlocks += summary->cycles[c].definite;
			if (!summary->status || strcmp(summary->status, "ok") != 0)
				run->status = EXIT_BAD_INPUT;
		}
	size_t length = strlen(run->options->output) + 16;
	char *index = checked_malloc(length);
	snprintf(index, length, "%s/index.html", run->options->output);
	struct render_options render = { .all = run->options->all, .max_nodes = run->options->max_nodes,
					 .templates_dir = run->options->templates };
	struct error *error = render_index(index, (struct page_summary *const *)all.items, all.count,
					   &render);
	if (error) {
		fprintf(stderr, "alpcgraph: %s\n", error->message);
		error_free(error);
		run->status = EXIT_BAD_INPUT;
	} else {
		progress(run->options, "wrote %s (%zu page%s, %zu deadlock%s)", index, all.count,
			 all.count == 1 ? "" : "s", deadlocks, deadlocks == 1 ? "" : "s");
	}
	free(index);
	ptr_vec_release(&all);
	return run->status;
}

int command_report(const struct cli_options *options)
{
	if (!options->output) {
		fputs("alpcgraph: report needs an output folder: -o DIR\n", stderr);
		return EXIT_USAGE;
	}
	if (!make_folder(options->output))
		return EXIT_BAD_INPUT;
	struct report_run run = { .options = options };
	const char *temporary = getenv("TMPDIR");
	snprintf(run.scratch, sizeof run.scratch, "%s/alpcgraph-XXXXXX",
		 temporary && *temporary ? temporary : "/tmp");
	if (!mkdtemp(run.scratch)) {
		fprintf(stderr, "alpcgraph: %s: cannot create: %s\n", run.scratch, strerror(errno));
		return EXIT_BAD_INPUT;
	}
	struct ptr_vec files = { 0 };
	expand_command_inputs(options, &files);
	plan_items(&run, &files);
	run.summaries = checked_calloc(run.item_count ? run.item_count : 1, sizeof *run.summaries);
	run_workers(&run);
	int status = write_index(&run);
	for (size_t i = 0; i < run.item_count; i++) {
		for (size_t s = 0; s < run.summaries[i].count; s++)
			page_summary_free(run.summaries[i].items[s]);
		ptr_vec_release(&run.summaries[i]);
	}
	free(run.summaries);
	free(run.items);
	free_inputs(&files);
	rmdir(run.scratch);
	return status;
}
