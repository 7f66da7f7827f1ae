/* Volatility 3 ISF symbol tables inside the kernel room: reading the file
 * (isf_file.c), finding a member by its dotted path (isf_member.c), and
 * turning the whole table into a struct kernel_profile (profile_isf.c).
 *
 * The format, as the Volatility 3 ISF files under
 * ../shared/symbols/jpcert-windows-symbol-tables/ hold it (producer
 * volatility3 2.7.0, format 6.1.0): one JSON object with "metadata"
 * ("windows" → "pdb" → "GUID", "age", "machine_type"), "base_types"
 * (name → {"size", "kind", "signed", "endian"}; "pointer" gives the
 * pointer size), "user_types" (name → {"kind", "size", "fields"}, each
 * field {"offset", "type"}; a bitfield's type is {"kind": "bitfield",
 * "bit_position", "bit_length", "type"}), "enums" and "symbols" (name →
 * {"address"}: an RVA from the image base).  Anonymous unions and
 * structures the PDB leaves unnamed are flattened into their parent by
 * Volatility's converter (_KTHREAD.State); named members of unnamed
 * types keep their name ("u1" of type "__anonymous_24e1" in
 * _KALPC_MESSAGE).  Producers that keep the unnamed members instead name
 * them "__unnamed_…", "unnamed_…" or "__anonymous_…": the path resolver
 * looks through those. */
#ifndef ALPCGRAPH_KERNEL_ISF_INTERNAL_H
#define ALPCGRAPH_KERNEL_ISF_INTERNAL_H

#include <json-c/json.h>

#include "kernel.h"

enum {
	/* Bounds on what a file may make us hold or believe.  The JPCERT
	 * files decompress to 3-7 MB, nest 11 levels deep and hold at most
	 * 400,000 JSON values in 80,000 objects; json-c needs about 14 bytes
	 * of memory per byte of such text and ~780 bytes per object, even an
	 * empty one (docs/isf.md), so the caps below keep a hostile table
	 * under about 700 MB. */
	ISF_MAX_FILE_BYTES = 64 << 20,   /* read or decompressed: 9x the largest real table */
	ISF_MAX_VALUES = 4000000,        /* ':' ',' '{' '[' in the text: 10x the largest */
	ISF_MAX_OBJECTS = 500000,        /* '{' in the text: 6x the largest */
	ISF_XZ_MEMORY_LIMIT = 128 << 20, /* liblzma's decoder (xz -9 needs 65 MiB) */
	ISF_MAX_DEPTH = 64,              /* JSON nesting json-c will accept */
	ISF_MAX_STRUCT_SIZE = 1 << 20,   /* no kernel structure we read is near 1 MiB */
	ISF_MAX_ANONYMOUS_DEPTH = 4,     /* unnamed members inside unnamed members */
};

/* The parsed table: borrowed pointers into root, which owns them all. */
struct isf {
	const char *name; /* for messages: the path, or the fuzzer's name */
	json_object *root, *user_types, *base_types, *symbols, *metadata;
};

/* Reads path whole, decompressing it when it starts with the xz magic
 * (by content, not by name).  *text is NUL-terminated; the caller frees
 * it.  ERROR_LIMIT beyond ISF_MAX_FILE_BYTES or the decoder's memory
 * limit, ERROR_TRUNCATED for an xz stream cut short, ERROR_FORMAT for
 * corrupt data; every message names the file. */
struct error *isf_read_file(const char *path, char **text, size_t *length);

/* Bytes that are an xz stream, decompressed under the same bounds. */
struct error *isf_xz_decode(const char *name, const unsigned char *bytes, size_t length,
			    char **text, size_t *text_length);

/* Where a dotted path lands inside a structure. */
struct isf_member {
	int64_t offset;   /* from the start of the outer structure */
	bool is_bitfield;
	uint8_t bit, width; /* a bitfield's bits in its storage unit */
	int64_t unit_size;  /* bytes of the member's base type when the file says, else 0 */
};

/* Finds structure.path.  ERROR_ABSENT when the file lacks the structure
 * or a member on the path (the field is simply not in this build);
 * ERROR_FORMAT when what is there is malformed: wrong JSON types, an
 * offset outside its structure, a bitfield past 64 bits. */
struct error *isf_find_member(const struct isf *isf, const char *structure, const char *path,
			      struct isf_member *member);
/* The size of a structure (ERROR_ABSENT, ERROR_FORMAT as above). */
struct error *isf_structure_size(const struct isf *isf, const char *structure, int64_t *size);
/* A symbol's RVA (ERROR_ABSENT, ERROR_FORMAT as above). */
struct error *isf_symbol_rva(const struct isf *isf, const char *symbol, int64_t *rva);

/* An integer member of a JSON object, or false when it is missing or not
 * an integer. */
bool isf_integer(json_object *object, const char *key, int64_t *value);

/* The text of an ISF file as a profile named name (source: where it came
 * from, for `info`): the loader behind profile_load_isf, and the fuzzer's
 * way in without files.  Free with profile_free(). */
struct error *profile_parse_isf_text(const char *name, const char *source, const char *text,
				     size_t length, struct kernel_profile **profile);

/* The first field the walks cannot do without that profile lacks (its id
 * from profile_fields.def), or NULL when it has them all
 * (profile_required.c). */
const char *profile_first_missing(const struct kernel_profile *profile);

#endif
