#!/usr/bin/env python3
"""Transcribes tests/forge/forge_layouts.c from the raw public symbol files
under ../shared/symbols/ (see forge_layouts.h).  Run from the source tree:

    python3 tests/forge/forge_layouts.py ../shared > tests/forge/forge_layouts.c

It reads the files as data only (the ISF and vergilius files as JSON, the
Volatility 2 vtypes as a Python literal through ast: nothing is executed),
resolves each field by its dotted path through nested and anonymous
structs, and cross-checks every value it writes against struct-offsets.md
and, for the Volatility 2 and vergilius columns, against a second source;
disagreements go to stderr.  The output is then checked by hand and by
tests/forge/test_forge_objects.c."""
import ast, json, lzma, re, sys

SHARED = sys.argv[1] if len(sys.argv) > 1 else '../shared'
SYM = SHARED + '/symbols'

# --- loaders: each gives types[name] = (size, {field: (offset, type, bit, width)})

def convert(node):
    """ast.literal_eval plus dict(k=v) calls; evaluates nothing."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == 'dict' and not node.args:
        return {k.arg: convert(k.value) for k in node.keywords}
    if isinstance(node, ast.Dict):
        return {convert(k): convert(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, (ast.List, ast.Tuple)):
        return [convert(e) for e in node.elts]
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -convert(node.operand)
    raise ValueError(ast.dump(node)[:200])

def load_isf(path):
    d = json.load(lzma.open(path))
    types = {}
    for name, t in d['user_types'].items():
        fields = {}
        for fname, f in t['fields'].items():
            ty = f['type']
            bit = width = None
            if ty.get('kind') == 'bitfield':
                bit, width = ty['bit_position'], ty['bit_length']
                ty = ty['type']
            tname = ty.get('name') if ty.get('kind') in ('struct', 'union', 'base', 'enum') else ty.get('kind')
            fields[fname] = (f['offset'], tname, bit, width)
        types[name] = (t['size'], fields)
    pdb = d['metadata']['windows']['pdb']
    symbols = {k: v.get('address') for k, v in d['symbols'].items()}
    return types, symbols, pdb

def load_vol2(path):
    text = open(path).read()
    tree = convert(ast.parse(text[text.index('{'):text.rindex('}') + 1], mode='eval').body)
    types = {}
    for name, (size, flds) in tree.items():
        fields = {}
        for fname, (off, ty) in flds.items():
            bit = width = None
            tname = ty[0]
            if tname == 'BitField':
                bit, width = ty[1]['start_bit'], ty[1]['end_bit'] - ty[1]['start_bit']  # end_bit is exclusive
                tname = ty[1].get('native_type')
            fields[fname] = (off, tname, bit, width)
        types[name] = (size, fields)
    return types, {}, None

def load_vergilius(path):
    d = json.load(lzma.open(path))
    types = {}
    for name, t in d['types'].items():
        fields = {}
        for f in t['fields']:
            tn = f.get('tname')
            fields.setdefault(f['name'], (f['off'], tn if tn and not tn.startswith('<') else None,
                                          f.get('bitpos'), f.get('bitlen')))
        types[name] = (t['size'], fields)
    return types, {}, None

def anonymous(tname):
    return tname is not None and (tname.startswith('__unnamed') or tname.startswith('<unnamed')
                                  or tname.startswith('__anonymous') or tname.startswith('unnamed'))

def resolve(types, struct, path):
    """(offset, bit, width) of a dotted path in struct, or None."""
    if struct not in types:
        return None
    fields = types[struct][1]
    if path in fields:  # vergilius: dotted names with absolute offsets
        off, tn, bit, width = fields[path]
        return (off, bit, width)
    head, _, rest = path.partition('.')
    if head in fields:
        off, tn, bit, width = fields[head]
        if not rest:
            return (off, bit, width)
        inner = resolve(types, tn, rest) if tn else None
        return None if inner is None else (off + inner[0], inner[1], inner[2])
    for off, tn, bit, width in fields.values():
        if anonymous(tn) and tn in types:
            inner = resolve(types, tn, path)
            if inner:
                return (off + inner[0], inner[1], inner[2])
    return None

# --- the layouts: struct-offsets.md column, version, source, build, pointer size

LAYOUTS = [
    ('XP x86', '5.1.2600 (XP SP3)', 'volatility2/xp_sp3_x86_vtypes.py', 2600, 4, 'vol2'),
    ('2003 x86', '5.2.3790 (2003 SP2)', 'volatility2/win2003_sp2_x86_vtypes.py', 3790, 4, 'vol2'),
    ('2003 x64', '5.2.3790 (2003 SP2)', 'volatility2/win2003_sp2_x64_vtypes.py', 3790, 8, 'vol2'),
    ('Vista x64', '6.0.6002 (Vista SP2)', 'volatility2/vista_sp2_x64_vtypes.py', 6002, 8, 'vol2'),
    ('7601.17514', '6.1.7601.17514', 'volatility2/win7_sp1_x64_vtypes.py', 7601, 8, 'vol2'),
    ('7601.24540', '6.1.7601.24540', 'jpcert-windows-symbol-tables/339E74133576439CBCDF7E0229DA3773-1.json.xz', 7601, 8, 'isf'),
    ('9600', '6.3.9600.20237', 'jpcert-windows-symbol-tables/7C398E976BF945AD812B204DAFBC1A03-1.json.xz', 9600, 8, 'isf'),
    ('14393', '10.0.14393.6343', 'jpcert-windows-symbol-tables/DBBC830E3E9A48FDA25A2144C146930E-1.json.xz', 14393, 8, 'isf'),
    ('17763', '10.0.17763.5933', 'jpcert-windows-symbol-tables/1806D020A6E46538D7AC3325FAC114D8-1.json.xz', 17763, 8, 'isf'),
    ('19041.329', '10.0.19041.329', 'jpcert-windows-symbol-tables/BBED7C2955FBE4522AAA23F4B8677AD9-1.json.xz', 19041, 8, 'isf'),
    ('19041.3570', '10.0.19041.3570', 'jpcert-windows-symbol-tables/606FF669409B00F7FC8C61A9C1670129-1.json.xz', 19041, 8, 'isf'),
    ('20348', '10.0.20348.2529', 'jpcert-windows-symbol-tables/879AD95F3461091BB6318FA98072AD8E-1.json.xz', 20348, 8, 'isf'),
    ('22000', '10.0.22000.2538', 'jpcert-windows-symbol-tables/0CE4A95C0CD782A7596B034D8648E585-1.json.xz', 22000, 8, 'isf'),
    ('22621', '10.0.22621.382', 'vergilius-rs/bindings-10.0.22621.382-x64.layout.json.xz', 22621, 8, 'vergilius'),
]
# A second source per column, for the cross-check only.
SECOND = {
    'XP x86': 'vergilius-rs/bindings-5.1.2600.5512-x86.layout.json.xz',
    '2003 x86': 'vergilius-rs/bindings-5.2.3790.3959-x86.layout.json.xz',
    '2003 x64': 'vergilius-rs/bindings-5.2.3790.3959-x64.layout.json.xz',
    'Vista x64': 'vergilius-rs/bindings-6.0.6002.18005-x64.layout.json.xz',
    '7601.17514': 'vergilius-rs/bindings-6.1.7601.17514-x64.layout.json.xz',
    '19041.3570': 'vergilius-rs/bindings-10.0.19045.2965-x64.layout.json.xz',
    '22621': 'vergilius-rs/bindings-10.0.22631.2428-x64.layout.json.xz',
}

# --- the fields: C group, C field, structure, dotted path ('#size' = sizeof)
S = '#size'
FIELDS = [
    ('unicode_string', [('size', '_UNICODE_STRING', S), ('length', '_UNICODE_STRING', 'Length'),
                        ('maximum_length', '_UNICODE_STRING', 'MaximumLength'), ('buffer', '_UNICODE_STRING', 'Buffer')]),
    ('dispatcher_header', [('size', '_DISPATCHER_HEADER', S), ('type', '_DISPATCHER_HEADER', 'Type'),
                           ('signal_state', '_DISPATCHER_HEADER', 'SignalState'),
                           ('wait_list_head', '_DISPATCHER_HEADER', 'WaitListHead')]),
    ('object_header', [('size', '_OBJECT_HEADER', S), ('pointer_count', '_OBJECT_HEADER', 'PointerCount'),
                       ('handle_count', '_OBJECT_HEADER', 'HandleCount'), ('type', '_OBJECT_HEADER', 'Type'),
                       ('name_info_offset', '_OBJECT_HEADER', 'NameInfoOffset'),
                       ('type_index', '_OBJECT_HEADER', 'TypeIndex'), ('info_mask', '_OBJECT_HEADER', 'InfoMask'),
                       ('flags', '_OBJECT_HEADER', 'Flags'), ('body', '_OBJECT_HEADER', 'Body')]),
    ('name_info', [('size', '_OBJECT_HEADER_NAME_INFO', S), ('directory', '_OBJECT_HEADER_NAME_INFO', 'Directory'),
                   ('name', '_OBJECT_HEADER_NAME_INFO', 'Name')]),
    ('creator_info', [('size', '_OBJECT_HEADER_CREATOR_INFO', S), ('type_list', '_OBJECT_HEADER_CREATOR_INFO', 'TypeList'),
                      ('creator_unique_process', '_OBJECT_HEADER_CREATOR_INFO', 'CreatorUniqueProcess')]),
    ('object_type', [('size', '_OBJECT_TYPE', S), ('type_list', '_OBJECT_TYPE', 'TypeList'),
                     ('name', '_OBJECT_TYPE', 'Name'), ('index', '_OBJECT_TYPE', 'Index'),
                     ('key', '_OBJECT_TYPE', 'Key'), ('total_number_of_objects', '_OBJECT_TYPE', 'TotalNumberOfObjects')]),
    ('object_directory', [('size', '_OBJECT_DIRECTORY', S)]),
    ('mutant', [('size', '_KMUTANT', S), ('header', '_KMUTANT', 'Header'), ('mutant_list_entry', '_KMUTANT', 'MutantListEntry'),
                ('owner_thread', '_KMUTANT', 'OwnerThread'), ('abandoned', '_KMUTANT', 'Abandoned')]),
    ('event', [('size', '_KEVENT', S)]),
    ('wait_block', [('size', '_KWAIT_BLOCK', S), ('wait_list_entry', '_KWAIT_BLOCK', 'WaitListEntry'),
                    ('thread', '_KWAIT_BLOCK', 'Thread'), ('object', '_KWAIT_BLOCK', 'Object'),
                    ('next_wait_block', '_KWAIT_BLOCK', 'NextWaitBlock'), ('wait_key', '_KWAIT_BLOCK', 'WaitKey'),
                    ('wait_type', '_KWAIT_BLOCK', 'WaitType')]),
    ('client_id', [('size', '_CLIENT_ID', S), ('unique_process', '_CLIENT_ID', 'UniqueProcess'),
                   ('unique_thread', '_CLIENT_ID', 'UniqueThread')]),
    ('process', [('size', '_EPROCESS', S), ('directory_table_base', '_EPROCESS', 'Pcb.DirectoryTableBase'),
                 ('pcb_thread_list_head', '_EPROCESS', 'Pcb.ThreadListHead'), ('create_time', '_EPROCESS', 'CreateTime'),
                 ('unique_process_id', '_EPROCESS', 'UniqueProcessId'),
                 ('active_process_links', '_EPROCESS', 'ActiveProcessLinks'), ('object_table', '_EPROCESS', 'ObjectTable'),
                 ('inherited_from_unique_process_id', '_EPROCESS', 'InheritedFromUniqueProcessId'),
                 ('image_file_name', '_EPROCESS', 'ImageFileName'), ('thread_list_head', '_EPROCESS', 'ThreadListHead'),
                 ('active_threads', '_EPROCESS', 'ActiveThreads'), ('alpc_context', '_EPROCESS', 'AlpcContext')]),
    ('thread', [('size', '_ETHREAD', S), ('kthread_size', '_KTHREAD', S), ('kthread_state', '_ETHREAD', 'Tcb.State'),
                ('wait_reason', '_ETHREAD', 'Tcb.WaitReason'), ('wait_mode', '_ETHREAD', 'Tcb.WaitMode'),
                ('wait_time', '_ETHREAD', 'Tcb.WaitTime'), ('apc_state_process', '_ETHREAD', 'Tcb.ApcState.Process'),
                ('kthread_process', '_ETHREAD', 'Tcb.Process'), ('wait_block_list', '_ETHREAD', 'Tcb.WaitBlockList'),
                ('wait_block', '_ETHREAD', 'Tcb.WaitBlock'),
                ('kthread_thread_list_entry', '_ETHREAD', 'Tcb.ThreadListEntry'),
                ('queue_list_entry', '_ETHREAD', 'Tcb.QueueListEntry'),
                ('create_time', '_ETHREAD', 'CreateTime'), ('cid', '_ETHREAD', 'Cid'),
                ('threads_process', '_ETHREAD', 'ThreadsProcess'), ('start_address', '_ETHREAD', 'StartAddress'),
                ('win32_start_address', '_ETHREAD', 'Win32StartAddress'),
                ('thread_list_entry', '_ETHREAD', 'ThreadListEntry'), ('alpc_message_id', '_ETHREAD', 'AlpcMessageId'),
                ('alpc_message', '_ETHREAD', 'AlpcMessage'), ('alpc_wait_list_entry', '_ETHREAD', 'AlpcWaitListEntry'),
                ('lpc_reply_chain', '_ETHREAD', 'LpcReplyChain'), ('lpc_reply_semaphore', '_ETHREAD', 'LpcReplySemaphore'),
                ('lpc_reply_message', '_ETHREAD', 'LpcReplyMessage'),
                ('lpc_waiting_on_port', '_ETHREAD', 'LpcWaitingOnPort'),
                ('lpc_received_message_id', '_ETHREAD', 'LpcReceivedMessageId'),
                ('lpc_reply_message_id', '_ETHREAD', 'LpcReplyMessageId'),
                ('lpc_received_msg_id_valid', '_ETHREAD', 'LpcReceivedMsgIdValid', 'bits'),
                ('lpc_exit_thread_called', '_ETHREAD', 'LpcExitThreadCalled', 'bits')]),
    ('handle_table', [('size', '_HANDLE_TABLE', S), ('table_code', '_HANDLE_TABLE', 'TableCode'),
                      ('quota_process', '_HANDLE_TABLE', 'QuotaProcess'),
                      ('unique_process_id', '_HANDLE_TABLE', 'UniqueProcessId'),
                      ('handle_table_list', '_HANDLE_TABLE', 'HandleTableList'),
                      ('next_handle_needing_pool', '_HANDLE_TABLE', 'NextHandleNeedingPool'),
                      ('handle_count', '_HANDLE_TABLE', 'HandleCount')]),
    ('handle_entry', [('size', '_HANDLE_TABLE_ENTRY', S), ('object', '_HANDLE_TABLE_ENTRY', 'Object'),
                      ('granted_access', '_HANDLE_TABLE_ENTRY', 'GrantedAccess'),
                      ('unlocked', '_HANDLE_TABLE_ENTRY', 'Unlocked', 'bits'),
                      ('ref_cnt', '_HANDLE_TABLE_ENTRY', 'RefCnt', 'bits'),
                      ('attributes', '_HANDLE_TABLE_ENTRY', 'Attributes', 'bits'),
                      ('object_pointer_bits', '_HANDLE_TABLE_ENTRY', 'ObjectPointerBits', 'bits'),
                      ('granted_access_bits', '_HANDLE_TABLE_ENTRY', 'GrantedAccessBits', 'bits')]),
    ('alpc_process_context', [('size', '_ALPC_PROCESS_CONTEXT', S), ('lock', '_ALPC_PROCESS_CONTEXT', 'Lock'),
                              ('view_list_head', '_ALPC_PROCESS_CONTEXT', 'ViewListHead')]),
    ('alpc_port', [('size', '_ALPC_PORT', S)] + [(c, '_ALPC_PORT', p) for c, p in [
        ('port_list_entry', 'PortListEntry'), ('communication_info', 'CommunicationInfo'),
        ('owner_process', 'OwnerProcess'), ('completion_port', 'CompletionPort'), ('port_context', 'PortContext'),
        ('main_queue', 'MainQueue'), ('large_message_queue', 'LargeMessageQueue'), ('pending_queue', 'PendingQueue'),
        ('direct_queue', 'DirectQueue'), ('wait_queue', 'WaitQueue'), ('canceled_queue', 'CanceledQueue'),
        ('port_attributes', 'PortAttributes'), ('sequence_no', 'SequenceNo'), ('state', 'u1.State'),
        ('target_queue_port', 'TargetQueuePort'), ('target_sequence_port', 'TargetSequencePort'),
        ('main_queue_length', 'MainQueueLength'), ('large_message_queue_length', 'LargeMessageQueueLength'),
        ('pending_queue_length', 'PendingQueueLength'), ('direct_queue_length', 'DirectQueueLength'),
        ('canceled_queue_length', 'CanceledQueueLength'), ('wait_queue_length', 'WaitQueueLength')]] +
        [(c, '_ALPC_PORT', 'u1.s1.' + p, 'bits') for c, p in [
        ('initialized', 'Initialized'), ('type', 'Type'), ('connection_pending', 'ConnectionPending'),
        ('connection_refused', 'ConnectionRefused'), ('disconnected', 'Disconnected'), ('closed', 'Closed'),
        ('waitable', 'Waitable'), ('lpc', 'Lpc')]]),
    ('port_attributes', [('size', '_ALPC_PORT_ATTRIBUTES', S), ('flags', '_ALPC_PORT_ATTRIBUTES', 'Flags'),
                         ('max_message_length', '_ALPC_PORT_ATTRIBUTES', 'MaxMessageLength')]),
    ('communication_info', [('size', '_ALPC_COMMUNICATION_INFO', S)] + [(c, '_ALPC_COMMUNICATION_INFO', p) for c, p in [
        ('connection_port', 'ConnectionPort'), ('server_communication_port', 'ServerCommunicationPort'),
        ('client_communication_port', 'ClientCommunicationPort'), ('communication_list', 'CommunicationList'),
        ('handle_table', 'HandleTable'), ('close_message', 'CloseMessage')]]),
    ('alpc_handle_table', [('size', '_ALPC_HANDLE_TABLE', S)] + [(c, '_ALPC_HANDLE_TABLE', p) for c, p in [
        ('handles', 'Handles'), ('total_handles', 'TotalHandles'), ('flags', 'Flags'), ('lock', 'Lock')]]),
    ('alpc_message', [('size', '_KALPC_MESSAGE', S)] + [(c, '_KALPC_MESSAGE', p) for c, p in [
        ('entry', 'Entry'), ('extension_buffer', 'ExtensionBuffer'), ('extension_buffer_size', 'ExtensionBufferSize'),
        ('quota_process', 'QuotaProcess'), ('sequence_no', 'SequenceNo'), ('state', 'u1.State'),
        ('cancel_sequence_port', 'CancelSequencePort'), ('cancel_queue_port', 'CancelQueuePort'),
        ('cancel_sequence_no', 'CancelSequenceNo'), ('cancel_list_entry', 'CancelListEntry'),
        ('waiting_thread', 'WaitingThread'), ('reserve', 'Reserve'), ('port_queue', 'PortQueue'),
        ('owner_port', 'OwnerPort'), ('message_attributes', 'MessageAttributes'), ('data_user_va', 'DataUserVa'),
        ('communication_info', 'CommunicationInfo'), ('connection_port', 'ConnectionPort'),
        ('server_thread', 'ServerThread'), ('port_message', 'PortMessage')]] +
        [(c, '_KALPC_MESSAGE', 'u1.s1.' + p, 'bits') for c, p in [
        ('queue_type', 'QueueType'), ('queue_port_type', 'QueuePortType'), ('canceled', 'Canceled'),
        ('ready', 'Ready'), ('release_message', 'ReleaseMessage'), ('shared_quota', 'SharedQuota'),
        ('reply_wait_reply', 'ReplyWaitReply'), ('owner_port_reference', 'OwnerPortReference'),
        ('receiver_reference', 'ReceiverReference'), ('in_dispatch', 'InDispatch'),
        ('in_canceled_queue', 'InCanceledQueue')]]),
    ('message_attributes', [('size', '_KALPC_MESSAGE_ATTRIBUTES', S)] + [(c, '_KALPC_MESSAGE_ATTRIBUTES', p) for c, p in [
        ('client_context', 'ClientContext'), ('server_context', 'ServerContext'), ('port_context', 'PortContext'),
        ('cancel_port_context', 'CancelPortContext'), ('security_data', 'SecurityData'), ('view', 'View'),
        ('handle_data', 'HandleData')]]),
    ('port_message', [('size', '_PORT_MESSAGE', S)] + [(c, '_PORT_MESSAGE', p) for c, p in [
        ('data_length', 'u1.s1.DataLength'), ('total_length', 'u1.s1.TotalLength'), ('type', 'u2.s2.Type'),
        ('data_info_offset', 'u2.s2.DataInfoOffset'), ('client_id', 'ClientId'), ('message_id', 'MessageId'),
        ('callback_id', 'CallbackId')]]),
    ('pool_header', [('size', '_POOL_HEADER', S), ('pool_tag', '_POOL_HEADER', 'PoolTag'),
                     ('previous_size', '_POOL_HEADER', 'PreviousSize', 'bits'),
                     ('pool_index', '_POOL_HEADER', 'PoolIndex', 'bits'),
                     ('block_size', '_POOL_HEADER', 'BlockSize', 'bits'),
                     ('pool_type', '_POOL_HEADER', 'PoolType', 'bits')]),
    ('lpc_port', [('size', '_LPCP_PORT_OBJECT', S)] + [(c, '_LPCP_PORT_OBJECT', p) for c, p in [
        ('connection_port', 'ConnectionPort'), ('connected_port', 'ConnectedPort'), ('msg_queue', 'MsgQueue'),
        ('creator', 'Creator'), ('port_context', 'PortContext'), ('client_thread', 'ClientThread'),
        ('lpc_reply_chain_head', 'LpcReplyChainHead'), ('server_process', 'ServerProcess'),
        ('max_message_length', 'MaxMessageLength'), ('flags', 'Flags')]]),
    ('lpc_port_queue', [('size', '_LPCP_PORT_QUEUE', S), ('non_paged_port_queue', '_LPCP_PORT_QUEUE', 'NonPagedPortQueue'),
                        ('semaphore', '_LPCP_PORT_QUEUE', 'Semaphore'), ('receive_head', '_LPCP_PORT_QUEUE', 'ReceiveHead')]),
    ('lpc_nonpaged_port_queue', [('size', '_LPCP_NONPAGED_PORT_QUEUE', S),
                                 ('semaphore', '_LPCP_NONPAGED_PORT_QUEUE', 'Semaphore'),
                                 ('back_pointer', '_LPCP_NONPAGED_PORT_QUEUE', 'BackPointer')]),
    ('lpc_message', [('size', '_LPCP_MESSAGE', S)] + [(c, '_LPCP_MESSAGE', p) for c, p in [
        ('entry', 'Entry'), ('sender_port', 'SenderPort'), ('replied_to_thread', 'RepliedToThread'),
        ('port_context', 'PortContext'), ('request', 'Request')]]),
    ('ksemaphore', [('size', '_KSEMAPHORE', S)]),
    ('kqueue', [('size', '_KQUEUE', S), ('header', '_KQUEUE', 'Header'),
                ('thread_list_head', '_KQUEUE', 'ThreadListHead')]),
]

RVAS = [('kd_debugger_data_block', 'KdDebuggerDataBlock'), ('kdp_data_block_encoded', 'KdpDataBlockEncoded'),
        ('ki_wait_never', 'KiWaitNever'), ('ki_wait_always', 'KiWaitAlways'), ('kd_version_block', 'KdVersionBlock'),
        ('kd_copy_data_block', 'KdCopyDataBlock'), ('ps_active_process_head', 'PsActiveProcessHead'),
        ('ps_loaded_module_list', 'PsLoadedModuleList'), ('ps_initial_system_process', 'PsInitialSystemProcess'),
        ('psp_cid_table', 'PspCidTable'), ('ob_header_cookie', 'ObHeaderCookie'),
        ('ob_type_index_table', 'ObTypeIndexTable'), ('obp_info_mask_to_offset', 'ObpInfoMaskToOffset'),
        ('obp_root_directory_object', 'ObpRootDirectoryObject'), ('obp_type_object_type', 'ObpTypeObjectType'),
        ('alpc_port_object_type', 'AlpcPortObjectType'), ('lpc_port_object_type', 'LpcPortObjectType'),
        ('lpc_waitable_port_object_type', 'LpcWaitablePortObjectType'), ('alpcp_port_list', 'AlpcpPortList'),
        ('alpcp_port_list_lock', 'AlpcpPortListLock'), ('mm_pfn_database', 'MmPfnDatabase'),
        ('ki_processor_block', 'KiProcessorBlock'), ('ke_number_processors', 'KeNumberProcessors'),
        ('mm_pte_base', 'MmPteBase'), ('nt_build_lab', 'NtBuildLab')]

# vergilius flattens _HANDLE_TABLE_ENTRY's nested bitfield struct, so the
# raw 22621 file puts ObjectPointerBits at bit 0 (shared/symbols/README.md);
# it is bit 20 in every ISF build from 9600 to 22000, and struct-offsets.md
# sets it so from System Informer's ObDecodeShift 0x14.
OVERRIDES = {
    ('22621', '_HANDLE_TABLE_ENTRY', 'ObjectPointerBits'): (0, 20, 44),
}

def load(kind, path):
    return {'isf': load_isf, 'vol2': load_vol2, 'vergilius': load_vergilius}[kind](SYM + '/' + path)

def value(types, column, struct, path, kind):
    if (column, struct, path) in OVERRIDES:
        return OVERRIDES[(column, struct, path)]
    if path == S:
        return (types[struct][0], None, None) if struct in types else None
    r = resolve(types, struct, path)
    if r is None:
        return None
    if kind == 'bits' and r[1] is None:
        return None  # not a bitfield in this build
    return r

# --- struct-offsets.md, for the cross-check

def read_markdown():
    tables = {}
    name = None
    header = None
    for line in open(SHARED + '/docs/struct-offsets.md'):
        m = re.match(r'^## (_\w+)', line)
        if m:
            name, header = m.group(1), None
            continue
        if line.startswith('## '):
            name = None
        if not name or not line.startswith('|'):
            continue
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if cells[0] == 'field':
            header = cells
            continue
        if header is None or cells[0].startswith('---'):
            continue
        field = cells[0].strip('`*')
        for col, cell in zip(header, cells):
            tables.setdefault(name, {}).setdefault(field, {})[col] = cell
    return tables

def md_value(cell):
    if cell is None or cell in ('—', ''):
        return None
    m = re.match(r'^(0x[0-9a-f]+)(?: b(\d+)(?:\.\.(\d+))?)?\*?$', cell)
    if not m:
        return 'unparsed:' + cell
    off = int(m.group(1), 16)
    if m.group(2) is None:
        return (off, None, None)
    lo = int(m.group(2))
    hi = int(m.group(3)) if m.group(3) else lo
    return (off, lo, hi - lo + 1)

def md_path(struct, path):
    """The struct-offsets.md table and row for a field, where it has one."""
    if path == S:
        return struct, 'sizeof'
    if struct == '_ETHREAD' and path.startswith('Tcb.'):
        return '_KTHREAD', path[4:]
    if struct == '_PORT_MESSAGE':
        return struct, path
    return struct, path

def fmt(v):
    return '0x%x' % v

def main():
    md = read_markdown()
    out = []
    problems = []
    for column, version, source, build, psize, kind in LAYOUTS:
        types, symbols, pdb = load(kind, source)
        second = load('vergilius', SECOND[column])[0] if column in SECOND else None
        entry = {'column': column, 'version': version, 'source': source, 'build': build, 'psize': psize,
                 'pdb': pdb, 'symbols': symbols, 'groups': []}
        for group, fields in FIELDS:
            values = []
            for spec in fields:
                cname, struct, path = spec[:3]
                kind_ = spec[3] if len(spec) > 3 else 'off'
                v = value(types, column, struct, path, kind_)
                values.append((cname, kind_, v, struct, path))
                table, row = md_path(struct, path)
                cell = md.get(table, {}).get(row if row != 'sizeof' else 'sizeof', {}).get(column)
                if table in md and (row in md[table] or row == 'sizeof'):
                    mv = md_value(cell)
                    have = None if v is None else (v if kind_ == 'bits' else (v[0], None, None))
                    if mv != have and not (mv is None and cell is None):
                        problems.append(f'{column} {struct}.{path}: symbols {have} vs struct-offsets.md {cell!r}')
                if second is not None and kind_ != 'bits' and v is not None:
                    w = value(second, None, struct, path, kind_)
                    if w is not None and w[0] != v[0]:
                        problems.append(f'{column} {struct}.{path}: {v[0]:#x} vs second source {SECOND[column]} {w[0]:#x}')
            entry['groups'].append((group, values))
        out.append(entry)
    for p in problems:
        print('CROSS-CHECK:', p, file=sys.stderr)
    emit(out)

def emit(layouts):
    p = print
    p('/* Generated by tests/forge/forge_layouts.py from ../shared/symbols/ (see')
    p(' * forge_layouts.h), then checked by hand and by test_forge_objects.c against')
    p(' * ../shared/docs/struct-offsets.md.  Each layout names its source file and')
    p(' * the struct-offsets.md column it is.  FORGE_NONE: the build has no such')
    p(' * field.  Regenerate rather than edit. */')
    p('#include <string.h>')
    p('')
    p('#include "forge_layouts.h"')
    p('')
    p('#define NONE FORGE_NONE')
    p('#define NO_BITS { FORGE_NONE, 0, 0 }')
    p('')
    p('const struct forge_layout forge_layouts[FORGE_LAYOUT_COUNT] = {')
    for L in layouts:
        column = L['column']
        groups = dict(L['groups'])
        has = lambda g, f: next(v for c, k, v, s, pa in groups[g] if c == f) is not None
        p('\t/* struct-offsets.md column "%s", from shared/symbols/' % column)
        p('\t * %s' % L['source'])
        if L['pdb']:
            p('\t * (ntkrnlmp.pdb %s-%d, ntoskrnl %s). */' % (L['pdb']['GUID'], L['pdb']['age'], L['version']))
        else:
            p('\t * (ntoskrnl %s; the file records no PDB GUID). */' % L['version'])
        p('\t{')
        p('\t\t.column = "%s",' % column)
        p('\t\t.version = "%s",' % L['version'])
        p('\t\t.source = "%s",' % L['source'])
        p('\t\t.build = %d,' % L['build'])
        p('\t\t.pointer_size = %d,' % L['psize'])
        p('\t\t.pdb_guid = "%s",' % (L['pdb']['GUID'] if L['pdb'] else ''))
        p('\t\t.pdb_age = %d,' % (L['pdb']['age'] if L['pdb'] else 0))
        if has('object_header', 'type'):
            hk = 'FORGE_HEADER_TYPE_POINTER'
        elif L['build'] >= 10000:
            hk = 'FORGE_HEADER_TYPE_COOKIE'
        else:
            hk = 'FORGE_HEADER_TYPE_INDEX'
        p('\t\t.header_kind = %s,' % hk)
        p('\t\t.handle_encoding = %s,' % ('FORGE_HANDLE_HEADER_POINTER' if has('handle_entry', 'object')
                                          else 'FORGE_HANDLE_POINTER_BITS'))
        p('\t\t.alpc = %s,' % ('true' if has('alpc_port', 'size') and L['build'] >= 6000 else 'false'))
        syms = L['symbols']
        if syms:
            p('\t\t.rva = {')
            for cname, sname in RVAS:
                if syms.get(sname) is not None:
                    p('\t\t\t.%s = 0x%x,' % (cname, syms[sname]))
            p('\t\t},')
        for group, values in L['groups']:
            items = []
            for cname, kind_, v, struct, path in values:
                if kind_ == 'bits':
                    items.append('.%s = %s' % (cname, 'NO_BITS' if v is None else '{ %s, %d, %d }' % (fmt(v[0]), v[1], v[2])))
                else:
                    items.append('.%s = %s' % (cname, 'NONE' if v is None else fmt(v[0])))
            line = '\t\t.%s = { ' % group
            lines = []
            for it in items:
                if len(line) + len(it) + 2 > 100:
                    lines.append(line.rstrip())
                    line = '\t\t\t'
                line += it + ', '
            lines.append(line.rstrip(', ') + ' },')
            for l in lines:
                p(l)
        p('\t},')
    p('};')
    p('')
    p('const struct forge_layout *forge_layout_named(const char *column)')
    p('{')
    p('\tfor (size_t i = 0; i < FORGE_LAYOUT_COUNT; i++)')
    p('\t\tif (strcmp(forge_layouts[i].column, column) == 0)')
    p('\t\t\treturn &forge_layouts[i];')
    p('\treturn NULL;')
    p('}')

main()
