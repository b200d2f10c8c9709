#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Makes the Linux guest's initramfs: an uncompressed newc cpio archive
(the kernel unpacks it without a decompressor) holding busybox, the device
nodes the console needs, and an /init script.
usage: mkinitramfs.py BUSYBOX INIT_SCRIPT OUT"""
import os
import stat
import sys


def header(ino, mode, size, name, nlink=1, rdev=(0, 0)):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    h = b"070701" + b"".join(b"%08X" % f for f in fields)
    data = h + name.encode() + b"\0"
    return data + b"\0" * (-len(data) % 4)


def entry(out, ino, mode, name, body=b"", rdev=(0, 0)):
    out.append(header(ino, mode, len(body), name, rdev=rdev))
    out.append(body + b"\0" * (-len(body) % 4))


def main():
    busybox, init, dst = sys.argv[1:4]
    out = []
    ino = 1
    for d in ["bin", "dev", "proc", "sys", "tmp", "root"]:
        entry(out, ino, stat.S_IFDIR | 0o755, d)
        ino += 1
    entry(out, ino, stat.S_IFCHR | 0o600, "dev/console", rdev=(5, 1)); ino += 1
    entry(out, ino, stat.S_IFCHR | 0o666, "dev/ttyS0", rdev=(4, 64)); ino += 1
    entry(out, ino, stat.S_IFCHR | 0o666, "dev/null", rdev=(1, 3)); ino += 1
    entry(out, ino, stat.S_IFREG | 0o755, "bin/busybox", open(busybox, "rb").read()); ino += 1
    entry(out, ino, stat.S_IFLNK | 0o777, "bin/sh", b"busybox"); ino += 1
    entry(out, ino, stat.S_IFREG | 0o755, "init", open(init, "rb").read()); ino += 1
    out.append(header(0, 0, 0, "TRAILER!!!", nlink=1))
    data = b"".join(out)
    data += b"\0" * (-len(data) % 512)
    with open(dst, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
