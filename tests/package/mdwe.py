#!/usr/bin/env python3
"""mdwe.py PROGRAM ARGS...: runs PROGRAM as systemd's MemoryDenyWriteExecute=yes and
SystemCallArchitectures=native would, for a test without a running systemd.

Like systemd, it installs a seccomp filter (after PR_SET_NO_NEW_PRIVS, as NoNewPrivileges=yes)
that refuses with EPERM: mmap of memory both writable and executable, mprotect and
pkey_mprotect adding execute permission, shmat with SHM_EXEC, and any system call of another
architecture. Then it executes PROGRAM, which inherits the filter.
"""
import ctypes
import os
import platform
import sys

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6].
NR, ARCH, ARG2 = 0, 4, 16 + 2 * 8  # the low 32 bits of args[2] (little-endian)
LD_ABS, JEQ, JSET, AND, RET = 0x20, 0x15, 0x45, 0x54, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, ...
ALLOW, DENY = 0x7FFF0000, 0x00050000 | 1  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EPERM
PROT_WRITE, PROT_EXEC, SHM_EXEC = 0x2, 0x4, 0o100000

# architecture: (AUDIT_ARCH_*, mmap, mprotect, pkey_mprotect, shmat)
SYSCALLS = {
    "x86_64": (0xC000003E, 9, 10, 329, 30),
    "aarch64": (0xC00000B7, 222, 226, 288, 196),
}


def program():
    arch, mmap, mprotect, pkey_mprotect, shmat = SYSCALLS[platform.machine()]
    # (code, jump-if-true label, jump-if-false label, k); labels resolve to relative offsets.
    code = [
        ("", LD_ABS, None, None, ARCH),
        ("", JEQ, None, "deny", arch),
        ("", LD_ABS, None, None, NR),
        ("", JEQ, "mmap", None, mmap),
        ("", JEQ, "exec", None, mprotect),
        ("", JEQ, "exec", None, pkey_mprotect),
        ("", JEQ, "shm", None, shmat),
        ("", RET, None, None, ALLOW),
        ("mmap", LD_ABS, None, None, ARG2),
        ("", AND, None, None, PROT_WRITE | PROT_EXEC),
        ("", JEQ, "deny", None, PROT_WRITE | PROT_EXEC),
        ("", RET, None, None, ALLOW),
        ("exec", LD_ABS, None, None, ARG2),
        ("", JSET, "deny", None, PROT_EXEC),
        ("", RET, None, None, ALLOW),
        ("shm", LD_ABS, None, None, ARG2),
        ("", JSET, "deny", None, SHM_EXEC),
        ("", RET, None, None, ALLOW),
        ("deny", RET, None, None, DENY),
    ]
    where = {label: i for i, (label, *_) in enumerate(code) if label}
    jump = lambda i, label: 0 if label is None else where[label] - i - 1
    return [(op, jump(i, t), jump(i, f), k) for i, (_, op, t, f, k) in enumerate(code)]


class SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                ("k", ctypes.c_uint)]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    filters = (SockFilter * len(program()))(*[SockFilter(*ins) for ins in program()])
    prog = SockFprog(len(filters), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
            libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        sys.exit("mdwe.py: seccomp: " + os.strerror(ctypes.get_errno()))
    os.execvp(sys.argv[1], sys.argv[1:])


if __name__ == "__main__":
    main()
