#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Extracts the ELF kernel (vmlinux) from a bzImage: the payload the
decompressor would unpack (Linux's Documentation/arch/x86/boot.rst:
payload_offset and payload_length in the setup header), which is an ELF
file with the kernel's notes, the PVH entry among them.
usage: extract-vmlinux.py BZIMAGE OUT"""
import bz2
import gzip
import lzma
import struct
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    data = open(src, "rb").read()
    if data[0x202:0x206] != b"HdrS":
        sys.exit(f"{src}: not a bzImage (no HdrS setup header)")
    setup_sects = data[0x1f1] or 4
    payload_offset, payload_length = struct.unpack_from("<II", data, 0x248)
    start = (setup_sects + 1) * 512 + payload_offset
    payload = data[start:start + payload_length]
    if payload.startswith(b"\xfd7zXZ\x00"):
        out = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(payload)
    elif payload.startswith(b"\x1f\x8b"):
        out = gzip.decompress(payload)
    elif payload.startswith(b"BZh"):
        out = bz2.decompress(payload)
    elif payload.startswith(b"\x5d\x00\x00"):
        out = lzma.LZMADecompressor(format=lzma.FORMAT_ALONE).decompress(payload)
    else:
        sys.exit(f"{src}: payload compressed in a way this script does not know "
                 f"({payload[:6].hex()})")
    if not out.startswith(b"\x7fELF"):
        sys.exit(f"{src}: the payload is not an ELF file")
    open(dst, "wb").write(out)


if __name__ == "__main__":
    main()
