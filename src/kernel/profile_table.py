#!/usr/bin/env python3
"""Writes src/kernel/profile_table.c: the built-in structure profiles.

One profile per column of ../shared/docs/struct-offsets.md, read from the
public symbol files under ../shared/symbols/ (its README.md gives the
origin, commit and licence of each) for every entry of profile_fields.def:

  Volatility 2 vtypes (.py)   a single dict literal, read through the
                              Python parser (ast) and evaluated by hand:
                              literals and dict(k=v) only, never executed.
                              BitField end_bit is exclusive.
  Volatility 3 ISF (.json.xz) user_types (bitfields as bit_position and
                              bit_length), metadata.windows.pdb (GUID,
                              age) and symbols (RVAs from the image base).
  vergilius-rs layout JSON    types with dotted member names for nested
                              unnamed structures, offsets already absolute.
  System Informer kphdyn.xml  about thirty named offsets per ntoskrnl
                              version; the 26100 profile holds only these
                              and is marked incomplete.

Paths go through embedded structures by member name ("Pcb.ThreadListHead"
through _KPROCESS), through named unions and structures of unnamed types
("u1.s1.QueueType") and through anonymous members that carry no name of
their own.  The output depends only on the inputs: run it twice, get the
same bytes.

Usage: profile_table.py [--symbols DIR] [--fields FILE] [--output FILE]
(defaults: ../shared/symbols beside the source tree, profile_fields.def
beside this script, profile_table.c beside this script).
"""

import argparse
import ast
import json
import lzma
import os
import re
import sys
import xml.etree.ElementTree as ElementTree

ABSENT = "PROFILE_ABSENT"

JPCERT = ("JPCERTCC/Windows-Symbol-Tables @ 11ad856cd9fb1dea9a007f6c56fb33b8c7e6e3e1, "
          "symbols/windows/ntkrnlmp.pdb/, file last changed in 52014cfabf08993f8fcd5fe0bb61676f4565eccc")
VOLATILITY2 = ("volatilityfoundation/volatility @ 328a178edeecaf8d2abf96618ecfcb14a7b0c860, "
               "volatility/plugins/overlays/windows/, file last changed in "
               "5dfdff5570c6d9d6cd92c4f6debbeee002b2edea")
VERGILIUS = ("novafacing/vergilius-rs @ 58f8e9aaa3f79a1950d29c3985e9d50ca397c20b, "
             "headers/bindings-10.0.22621.382-x64.h as re-expressed in JSON")
SYSTEM_INFORMER = "winsiderss/systeminformer @ 103cc43d77a6cd388d04c03371d019866d0521d6, kphlib/kphdyn.xml"

# The columns of struct-offsets.md, oldest first: name, file under
# shared/symbols, format, build, ntoskrnl version as far as the source
# (or shared/symbols/README.md) says, and where the file came from.
COLUMNS = [
    ("XP x86", "volatility2/xp_sp3_x86_vtypes.py", "vtypes", 2600, "5.1.2600",
     VOLATILITY2 + " (profile WinXPSP3x86)"),
    ("2003 x86", "volatility2/win2003_sp2_x86_vtypes.py", "vtypes", 3790, "5.2.3790",
     VOLATILITY2 + " (profile Win2003SP2x86)"),
    ("2003 x64", "volatility2/win2003_sp2_x64_vtypes.py", "vtypes", 3790, "5.2.3790",
     VOLATILITY2 + " (profile Win2003SP2x64)"),
    ("Vista x64", "volatility2/vista_sp2_x64_vtypes.py", "vtypes", 6002, "6.0.6002",
     VOLATILITY2 + " (profile VistaSP2x64)"),
    ("7601.17514", "volatility2/win7_sp1_x64_vtypes.py", "vtypes", 7601, "6.1.7601.17514",
     VOLATILITY2 + " (profile Win7SP1x64; shared/symbols/README.md: layout identical to "
     "6.1.7601.17514, checked against vergilius)"),
    ("7601.24540", "jpcert-windows-symbol-tables/339E74133576439CBCDF7E0229DA3773-1.json.xz",
     "isf", 7601, "6.1.7601.24540", JPCERT),
    ("9600", "jpcert-windows-symbol-tables/7C398E976BF945AD812B204DAFBC1A03-1.json.xz",
     "isf", 9600, "6.3.9600.20237", JPCERT),
    ("14393", "jpcert-windows-symbol-tables/DBBC830E3E9A48FDA25A2144C146930E-1.json.xz",
     "isf", 14393, "10.0.14393.6343", JPCERT),
    ("17763", "jpcert-windows-symbol-tables/1806D020A6E46538D7AC3325FAC114D8-1.json.xz",
     "isf", 17763, "10.0.17763.5933", JPCERT),
    ("19041.329", "jpcert-windows-symbol-tables/BBED7C2955FBE4522AAA23F4B8677AD9-1.json.xz",
     "isf", 19041, "10.0.19041.329", JPCERT),
    ("19041.3570", "jpcert-windows-symbol-tables/606FF669409B00F7FC8C61A9C1670129-1.json.xz",
     "isf", 19041, "10.0.19041.3570", JPCERT),
    ("20348", "jpcert-windows-symbol-tables/879AD95F3461091BB6318FA98072AD8E-1.json.xz",
     "isf", 20348, "10.0.20348.2529", JPCERT),
    ("22000", "jpcert-windows-symbol-tables/0CE4A95C0CD782A7596B034D8648E585-1.json.xz",
     "isf", 22000, "10.0.22000.2538", JPCERT),
    ("22621", "vergilius-rs/bindings-10.0.22621.382-x64.layout.json.xz", "vergilius", 22621,
     "10.0.22621.382", VERGILIUS),
    ("26100", "systeminformer/kphdyn.xml", "kphdyn", 26100, "10.0.26100", SYSTEM_INFORMER),
]

# kphdyn.xml field names and the member each stands for (the mapping in
# struct-offsets.md "kphdyn cross-check").  ObDecodeShift is the bit where
# _HANDLE_TABLE_ENTRY.ObjectPointerBits starts (struct-offsets.md "Handle
# table notes"); it is handled apart.
KPHDYN_MEMBERS = {
    "EpObjectTable": ("_EPROCESS", "ObjectTable"),
    "EpSectionObject": ("_EPROCESS", "SectionObject"),
    "OtName": ("_OBJECT_TYPE", "Name"),
    "OtIndex": ("_OBJECT_TYPE", "Index"),
    "AlpcCommunicationInfo": ("_ALPC_PORT", "CommunicationInfo"),
    "AlpcOwnerProcess": ("_ALPC_PORT", "OwnerProcess"),
    "AlpcConnectionPort": ("_ALPC_COMMUNICATION_INFO", "ConnectionPort"),
    "AlpcServerCommunicationPort": ("_ALPC_COMMUNICATION_INFO", "ServerCommunicationPort"),
    "AlpcClientCommunicationPort": ("_ALPC_COMMUNICATION_INFO", "ClientCommunicationPort"),
    "AlpcHandleTable": ("_ALPC_COMMUNICATION_INFO", "HandleTable"),
    "AlpcHandleTableLock": ("_ALPC_HANDLE_TABLE", "Lock"),
    "AlpcAttributes": ("_ALPC_PORT", "PortAttributes"),
    "AlpcAttributesFlags": ("_ALPC_PORT_ATTRIBUTES", "Flags"),
    "AlpcPortContext": ("_ALPC_PORT", "PortContext"),
    "AlpcPortObjectLock": ("_ALPC_PORT", "PortObjectLock"),
    "AlpcSequenceNo": ("_ALPC_PORT", "SequenceNo"),
    "AlpcState": ("_ALPC_PORT", "u1.State"),
    "KtInitialStack": ("_KTHREAD", "InitialStack"),
    "KtStackLimit": ("_KTHREAD", "StackLimit"),
    "KtStackBase": ("_KTHREAD", "StackBase"),
    "KtKernelStack": ("_KTHREAD", "KernelStack"),
    "KtReadOperationCount": ("_KTHREAD", "ReadOperationCount"),
    "HtHandleContentionEvent": ("_HANDLE_TABLE", "HandleContentionEvent"),
}
HANDLE_ENTRY_FIRST_QWORD_BITS = 64


class Member:
    """One member of a structure as a source states it."""

    def __init__(self, offset, type_name=None, bit=None, width=None):
        self.offset = offset
        self.type_name = type_name  # a structure or union of the same source, else None
        self.bit = bit
        self.width = width


def is_anonymous(name):
    return (name == "" or name.startswith("__unnamed") or name.startswith("__anonymous")
            or name.startswith("unnamed_") or name.startswith("<"))


class Layouts:
    """Structures of one source: name -> (size, {member name -> Member})."""

    def __init__(self, structures):
        self.structures = structures

    def size(self, structure):
        entry = self.structures.get(structure)
        return None if entry is None else entry[0]

    def resolve(self, structure, parts, depth=0):
        """(offset, bit, width) of the dotted path parts in structure, or None."""
        entry = self.structures.get(structure)
        if entry is None or depth > 16:
            return None
        members = entry[1]
        # The longest prefix first: vergilius names nested members "u1.s1.X".
        for length in range(len(parts), 0, -1):
            member = members.get(".".join(parts[:length]))
            if member is None:
                continue
            if length == len(parts):
                return (member.offset, member.bit, member.width)
            if member.type_name is not None:
                inner = self.resolve(member.type_name, parts[length:], depth + 1)
                if inner is not None:
                    return (member.offset + inner[0], inner[1], inner[2])
        # Members of anonymous unions and structures read as the outer one's.
        for name in sorted(members):
            member = members[name]
            if is_anonymous(name) and member.type_name is not None:
                inner = self.resolve(member.type_name, parts, depth + 1)
                if inner is not None:
                    return (member.offset + inner[0], inner[1], inner[2])
        return None


def read_text(path):
    if path.endswith(".xz"):
        with lzma.open(path, "rt", encoding="utf-8") as stream:
            return stream.read()
    with open(path, encoding="utf-8") as stream:
        return stream.read()


def literal(node):
    """A vtypes value: literals, lists, dicts and dict(k=v) calls only."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [literal(item) for item in node.elts]
    if isinstance(node, ast.Dict):
        return {literal(key): literal(value) for key, value in zip(node.keys, node.values)}
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict"
            and not node.args):
        return {keyword.arg: literal(keyword.value) for keyword in node.keywords}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -literal(node.operand)
    raise ValueError("vtypes: unexpected %s at line %d" % (type(node).__name__, node.lineno))


def load_vtypes(path):
    tree = ast.parse(read_text(path), filename=path)
    assignments = [node for node in tree.body if isinstance(node, ast.Assign)]
    if len(assignments) != 1 or not isinstance(assignments[0].value, ast.Dict):
        raise ValueError("%s: expected a single dict assignment" % path)
    types = literal(assignments[0].value)
    structures = {}
    for name, (size, fields) in types.items():
        members = {}
        for field, (offset, spec) in fields.items():
            kind = spec[0]
            if kind == "BitField":
                bits = spec[1]
                members[field] = Member(offset, bit=bits["start_bit"],
                                        width=bits["end_bit"] - bits["start_bit"])
            elif kind in types:
                members[field] = Member(offset, type_name=kind)
            else:
                members[field] = Member(offset)
        structures[name] = (size, members)
    return Layouts(structures), {}, {}


def load_isf(path):
    document = json.loads(read_text(path))
    user_types = document["user_types"]
    structures = {}
    for name, body in user_types.items():
        members = {}
        for field, description in body.get("fields", {}).items():
            kind = description["type"]
            offset = description["offset"]
            if kind["kind"] == "bitfield":
                members[field] = Member(offset, bit=kind["bit_position"], width=kind["bit_length"])
            elif kind["kind"] in ("struct", "union") and kind.get("name") in user_types:
                members[field] = Member(offset, type_name=kind["name"])
            else:
                members[field] = Member(offset)
        structures[name] = (body["size"], members)
    symbols = {name: value["address"] for name, value in document.get("symbols", {}).items()
               if "address" in value}
    pdb = document.get("metadata", {}).get("windows", {}).get("pdb", {})
    return Layouts(structures), symbols, pdb


def load_vergilius(path):
    types = json.loads(read_text(path))["types"]
    structures = {}
    for name, body in types.items():
        members = {}
        for field in body["fields"]:
            if field["kind"] == "bitfield":
                member = Member(field["off"], bit=field["bitpos"], width=field["bitlen"])
            elif field["kind"] == "struct" and field.get("tname") in types:
                member = Member(field["off"], type_name=field["tname"])
            else:
                member = Member(field["off"])
            members.setdefault(field["name"], member)
        structures[name] = (body["size"], members)
    return Layouts(structures), {}, {}


def kphdyn_fields(path, build):
    """The kphdyn offsets every amd64 ntoskrnl.exe of build agrees on."""
    root = ElementTree.parse(path).getroot()
    prefix = "10.0.%d." % build
    ids = sorted({data.text.strip() for data in root.iter("data")
                  if data.get("arch") == "amd64" and data.get("file") == "ntoskrnl.exe"
                  and data.get("version", "").startswith(prefix)})
    seen = {}
    for fields in root.iter("fields"):
        if fields.get("id") not in ids:
            continue
        for field in fields.iter("field"):
            seen.setdefault(field.get("name"), set()).add(int(field.get("value"), 0))
    return {name: values.pop() for name, values in seen.items() if len(values) == 1}


def read_fields_def(path):
    entries = []
    pattern = re.compile(r'^PROFILE_(SIZE|FIELD|BITS|SYMBOL)\(\s*(\w+)\s*,\s*"([^"]*)"\s*(?:,\s*"([^"]*)"\s*)?\)')
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            match = pattern.match(line.strip())
            if match:
                entries.append(match.groups())
    if not entries:
        raise ValueError("%s: no PROFILE_ entries" % path)
    return entries


def hexadecimal(value):
    return ABSENT if value is None else "0x%x" % value


def build_profile(symbols_dir, column, entries):
    name, relative, kind, build, version, origin = column
    path = os.path.join(symbols_dir, relative)
    values = {}
    guid, age, incomplete = "", 0, False
    notes = []
    if kind == "kphdyn":
        incomplete = True
        published = kphdyn_fields(path, build)
        by_member = {KPHDYN_MEMBERS[key]: value for key, value in published.items()
                     if key in KPHDYN_MEMBERS}
        for entry_kind, entry_id, structure, member_path in entries:
            if entry_kind == "FIELD" and (structure, member_path) in by_member:
                values[entry_id] = by_member[(structure, member_path)]
        shift = published.get("ObDecodeShift")
        if shift is not None:
            values["handle_table_entry_object_pointer_bits"] = (
                0, shift, HANDLE_ENTRY_FIRST_QWORD_BITS - shift)
            notes.append("ObjectPointerBits from kphdyn ObDecodeShift 0x%x" % shift)
        pointer_size = 8
        symbols = {}
    else:
        loader = {"vtypes": load_vtypes, "isf": load_isf, "vergilius": load_vergilius}[kind]
        layouts, symbols, pdb = loader(path)
        guid = pdb.get("GUID", "").upper()
        age = pdb.get("age", 0) if guid else 0
        pointer_size = layouts.size("_LIST_ENTRY") // 2
        for entry_kind, entry_id, structure, member_path in entries:
            if entry_kind == "SIZE":
                values[entry_id] = layouts.size(structure)
            elif entry_kind == "SYMBOL":
                values[entry_id] = symbols.get(structure)
            else:
                found = layouts.resolve(structure, member_path.split("."))
                if found is None:
                    values[entry_id] = None
                elif entry_kind == "BITS":
                    if found[1] is None:
                        raise ValueError("%s: %s.%s is not a bitfield" % (relative, structure, member_path))
                    values[entry_id] = found
                else:
                    values[entry_id] = found[0]
        if kind == "vergilius":
            # vergilius flattens the bitfield structure inside
            # _HANDLE_TABLE_ENTRY, so its ObjectPointerBits position is
            # an artefact (shared/symbols/README.md); the bit is the one
            # System Informer's kphdyn.xml gives as ObDecodeShift for
            # every ntoskrnl of this build, its width the rest of the qword.
            bits = values.get("handle_table_entry_object_pointer_bits")
            shift = kphdyn_fields(os.path.join(symbols_dir, "systeminformer/kphdyn.xml"),
                                  build).get("ObDecodeShift")
            if bits is not None and shift is not None:
                values["handle_table_entry_object_pointer_bits"] = (
                    bits[0], shift, HANDLE_ENTRY_FIRST_QWORD_BITS - shift)
                notes.append("ObjectPointerBits bit from kphdyn ObDecodeShift 0x%x" % shift)
    return {
        "name": name, "relative": relative, "origin": origin, "build": build, "version": version,
        "guid": guid, "age": age, "incomplete": incomplete, "pointer_size": pointer_size,
        "values": values, "notes": notes,
    }


def schemes(profile):
    """struct-offsets.md "Object header notes" and "Handle table notes"."""
    values = profile["values"]
    if values.get("object_header_type") is not None:
        header = "OBJECT_HEADER_TYPE_POINTER"
    elif profile["build"] >= 10240:  # Windows 10: TypeIndex encoded with ObHeaderCookie
        header = "OBJECT_HEADER_TYPE_COOKIE"
    else:
        header = "OBJECT_HEADER_TYPE_INDEX"
    if values.get("handle_table_entry_object_pointer_bits") is not None:
        handle = "HANDLE_ENTRY_POINTER_BITS"
    else:
        handle = "HANDLE_ENTRY_HEADER_POINTER"
    return header, handle


def c_string(text):
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def write_profile(out, profile, entries):
    out.append("\t/* %s: shared/symbols/%s" % (profile["name"], profile["relative"]))
    out.append("\t * (%s)" % profile["origin"])
    for note in profile["notes"]:
        out.append("\t * %s" % note)
    out.append("\t */")
    out.append("\t{")
    out.append("\t\t.name = %s," % c_string(profile["name"]))
    out.append("\t\t.version = %s," % c_string(profile["version"]))
    out.append("\t\t.source = %s," % c_string(profile["relative"]))
    out.append("\t\t.build = %d," % profile["build"])
    out.append("\t\t.pointer_size = %d," % profile["pointer_size"])
    out.append("\t\t.pdb_guid = %s," % c_string(profile["guid"]))
    out.append("\t\t.pdb_age = %d," % profile["age"])
    out.append("\t\t.incomplete = %s," % ("true" if profile["incomplete"] else "false"))
    header, handle = schemes(profile)
    out.append("\t\t.object_header_scheme = %s," % header)
    out.append("\t\t.handle_entry_scheme = %s," % handle)
    values = profile["values"]
    for entry_kind, entry_id, structure, member_path in entries:
        value = values.get(entry_id)
        if entry_kind == "SIZE":
            out.append("\t\t.%s_size = %s," % (entry_id, hexadecimal(value)))
        elif entry_kind == "SYMBOL":
            out.append("\t\t.%s_rva = %s," % (entry_id, hexadecimal(value)))
        elif entry_kind == "BITS":
            if value is None:
                out.append("\t\t.%s = { %s, 0, 0 }," % (entry_id, ABSENT))
            else:
                out.append("\t\t.%s = { 0x%x, %d, %d }," % (entry_id, value[0], value[1], value[2]))
        else:
            out.append("\t\t.%s = %s," % (entry_id, hexadecimal(value)))
    out.append("\t},")


def generate(symbols_dir, fields_path):
    entries = read_fields_def(fields_path)
    out = [
        "/* The built-in structure profiles: one per column of",
        " * ../shared/docs/struct-offsets.md, every member of profile_fields.def",
        " * written out (PROFILE_ABSENT where the source has no such member).",
        " *",
        " * GENERATED by src/kernel/profile_table.py from the public symbol files",
        " * under ../shared/symbols/ (origin, commit and licence of each in its",
        " * README.md); do not edit by hand: change the script or the .def and run",
        " *   python3 src/kernel/profile_table.py",
        " * tests/unit/test_profiles checks that this file is what the script writes. */",
        '#include "profile.h"',
        "",
        "const struct kernel_profile builtin_profiles[] = {",
    ]
    for column in COLUMNS:
        write_profile(out, build_profile(symbols_dir, column, entries), entries)
    out.append("};")
    out.append("")
    out.append("const size_t builtin_profile_count = sizeof builtin_profiles / sizeof builtin_profiles[0];")
    return "\n".join(out) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    source_tree = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--symbols", default=os.path.join(source_tree, "..", "shared", "symbols"))
    parser.add_argument("--fields", default=os.path.join(here, "profile_fields.def"))
    parser.add_argument("--output", default=os.path.join(here, "profile_table.c"))
    arguments = parser.parse_args()
    text = generate(arguments.symbols, arguments.fields)
    with open(arguments.output, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
