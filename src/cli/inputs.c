/* From the command line's paths to analyses: walking folders, reading
 * each file with the reader its content calls for, and correlating. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* Folders of dumps are shallow; a deeper tree is a mistake or a loop. */
enum { FOLDER_DEPTH_LIMIT = 16 };

static bool has_suffix(const char *path, const char *suffix)
{
	if (!suffix)
		return true;
	size_t length = strlen(path), suffix_length = strlen(suffix);
	return length >= suffix_length && strcmp(path + length - suffix_length, suffix) == 0;
}

static int skip_hidden(const struct dirent *entry)
{
	return entry->d_name[0] != '.';
}

/* suffix: keep only the folder's files whose names end so (NULL: all). */
static void walk_folder(const char *folder, unsigned depth, const char *suffix,
			struct ptr_vec *files)
{
	struct dirent **entries;
	int count = scandir(folder, &entries, skip_hidden, alphasort);
	if (count < 0) {
		ptr_vec_push(files, checked_strdup(folder)); /* reported as unreadable */
		return;
	}
	/* "samples/" and "samples" name the same folder: no "//" in paths. */
	size_t folder_length = strlen(folder);
	while (folder_length > 1 && folder[folder_length - 1] == '/')
		folder_length--;
	for (int i = 0; i < count; i++) {
		size_t length = folder_length + strlen(entries[i]->d_name) + 2;
		char *path = checked_malloc(length);
		snprintf(path, length, "%.*s/%s", (int)folder_length, folder, entries[i]->d_name);
		struct stat info;
		/* lstat: a symbolic link to a folder is not followed, so no loops. */
		if (lstat(path, &info) == 0 && S_ISDIR(info.st_mode)) {
			if (depth < FOLDER_DEPTH_LIMIT)
				walk_folder(path, depth + 1, suffix, files);
			free(path);
		} else if (lstat(path, &info) == 0 && (S_ISREG(info.st_mode) || S_ISLNK(info.st_mode)) &&
			   has_suffix(path, suffix)) {
			ptr_vec_push(files, path);
		} else {
			free(path);
		}
		free(entries[i]);
	}
	free(entries);
}

static void expand_paths(char *const *paths, size_t count, const char *suffix,
			 struct ptr_vec *files)
{
	for (size_t i = 0; i < count; i++) {
		struct stat info;
		if (stat(paths[i], &info) == 0 && S_ISDIR(info.st_mode))
			walk_folder(paths[i], 0, suffix, files);
		else
			ptr_vec_push(files, checked_strdup(paths[i]));
	}
}

void expand_inputs(char *const *paths, size_t count, struct ptr_vec *files)
{
	expand_paths(paths, count, NULL, files);
}

/* A folder `report` wrote holds each page's JSON beside its HTML, SVG and
 * DOT: with --from-json a folder gives its .json files only (a file named
 * on the command line is read whatever its name). */
void expand_command_inputs(const struct cli_options *options, struct ptr_vec *files)
{
	expand_paths(options->paths, options->path_count, options->from_json ? ".json" : NULL, files);
}

void free_inputs(struct ptr_vec *files)
{
	for (size_t i = 0; i < files->count; i++)
		free(files->items[i]);
	ptr_vec_release(files);
}

static struct snapshot *failed_input(const char *path, struct error *error)
{
	struct snapshot *snapshot = snapshot_new(path, NULL);
	snapshot_fail(snapshot, error);
	snapshot_finish(snapshot);
	return snapshot;
}

void load_input(const char *path, const struct cli_options *options, struct ptr_vec *snapshots)
{
	struct dump_read_options dump = {
		.format = options->raw_input ? DUMP_FORCE_RAW : DUMP_DETECT,
		.reading = READ_IPC_STATE,
		.profile_path = options->profile_path,
		.pool_search = options->pool_search,
	};
	if (options->raw_input) {
		ipc_read_dump(path, &dump, snapshots);
		return;
	}
	if (options->from_json) {
		saved_read_file(path, snapshots);
		return;
	}
	enum input_format format;
	struct error *error = source_identify(path, &format);
	if (error) {
		ptr_vec_push(snapshots, failed_input(path, error));
		return;
	}
	struct transcript_options transcript = { .same_machine = options->same_machine };
	switch (format) {
	case INPUT_TRANSCRIPT:
		transcript_read_file(path, &transcript, snapshots);
		break;
	case INPUT_DUMP:
		ipc_read_dump(path, &dump, snapshots);
		break;
	default:
		ptr_vec_push(snapshots, failed_input(path, error_in_file(ERROR_UNSUPPORTED, path,
									 "unsupported input")));
		break;
	}
}

struct snapshot *load_as_one_machine(const struct ptr_vec *files, const struct cli_options *options)
{
	const char *first = files->count ? files->items[0] : "(no input)";
	struct snapshot *snapshot = snapshot_new(first, options->from_json ? "json" : "transcript");
	snapshot->first_line = 0;
	for (size_t i = 0; i < files->count; i++) {
		const char *path = files->items[i];
		if (options->from_json) {
			saved_read_into(path, snapshot);
			continue;
		}
		enum input_format format;
		struct error *error = source_identify(path, &format);
		if (error) {
			snapshot_warn(snapshot, (struct origin){ ORIGIN_NONE, snapshot_add_source(snapshot, path), 0 },
				      "%s", error->message);
			error_free(error);
			continue;
		}
		transcript_read_into(path, snapshot);
	}
	if (files->count > 1)
		snapshot_note(snapshot, (struct origin){ ORIGIN_NONE, 0, 0 },
			      "%zu files read as captures of one machine (--same-machine)", files->count);
	snapshot_finish(snapshot);
	return snapshot;
}

void analyze_all(struct ptr_vec *snapshots, struct ptr_vec *analyses)
{
	for (size_t i = 0; i < snapshots->count; i++)
		ptr_vec_push(analyses, analyze(snapshots->items[i]));
	ptr_vec_release(snapshots);
}

void free_analyses(struct ptr_vec *analyses)
{
	for (size_t i = 0; i < analyses->count; i++) {
		struct analysis *analysis = analyses->items[i];
		struct snapshot *snapshot = analysis->snapshot;
		analysis_free(analysis);
		snapshot_free(snapshot);
	}
	ptr_vec_release(analyses);
}

int exit_status_of(const struct ptr_vec *analyses)
{
	for (size_t i = 0; i < analyses->count; i++) {
		const struct analysis *analysis = analyses->items[i];
		if (analysis->snapshot->status != STATUS_OK)
			return EXIT_BAD_INPUT;
	}
	return EXIT_SUCCESS_ALL;
}

void progress(const struct cli_options *options, const char *format, ...)
{
	if (options->quiet)
		return;
	va_list args;
	va_start(args, format);
	fputs("alpcgraph: ", stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
	va_end(args);
}

/* On stderr whatever the output format, so a user sees what was not read
 * even when stdout goes to a file. */
void report_problems(const struct ptr_vec *analyses)
{
	for (size_t i = 0; i < analyses->count; i++) {
		const struct snapshot *snapshot = ((const struct analysis *)analyses->items[i])->snapshot;
		for (size_t d = 0; d < snapshot->diagnostics.count; d++) {
			const struct diagnostic *diagnostic = snapshot->diagnostics.items[d];
			if (diagnostic->level != DIAGNOSTIC_NOTE)
				fprintf(stderr, "alpcgraph: %s: %s\n",
					diagnostic->level == DIAGNOSTIC_ERROR ? "error" : "warning",
					diagnostic->text);
		}
	}
}
