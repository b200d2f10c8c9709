#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds newlib 3.3.0 (Debian's newlib-source) for the guest kernels:
# freestanding x86_64-elf with the host gcc, the full printf without floating
# point (nano printf silently prints "%llx" as "lx"), nano malloc, no locking.
# Installs into $BUILD/newlib (headers and libc.a under x86_64-elf/) and
# writes $BUILD/newlib/.stamp last, holding this script's checksum: with that
# stamp present it does nothing; after a change to the script it builds again.
# The target has no syscall layer: the guest library provides write, sbrk,
# ... and _exit (newlib calls them without "_").
# usage: BUILD=build tools/build-newlib.sh
set -euo pipefail
build=$(realpath -m "${BUILD:-build}")
tarball=/usr/src/newlib/newlib-3.3.0.tar.xz
prefix=$build/newlib
work=$build/newlib.work
log=$work/build.log

stamp=$(sha256sum "$0" | cut -d' ' -f1)
if [ "$(cat "$prefix/.stamp" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi
if [ ! -r "$tarball" ]; then
	echo "newlib: $tarball not found (apt-get install newlib-source)" >&2
	exit 1
fi

rm -rf "$work" "$prefix"
mkdir -p "$work/obj"
start=$(date +%s)
elapsed() {
	echo $(($(date +%s) - start))
}
step() {
	echo "  NEWLIB  $1 (at $(elapsed) s)"
}
fail() {
	echo "newlib: $1 failed; last lines of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
}

step unpack
tar -C "$work" -xJf "$tarball" || fail unpack

# The same code-model flags as the kernels that link it; newlib needs SSE.
cflags="-O2 -g -ffreestanding -mno-red-zone -fno-pic -fno-pie -mcmodel=small -fno-stack-protector"
step configure
(cd "$work/obj" && "$work/newlib-salsa/configure" \
	--target=x86_64-elf --prefix="$prefix" \
	--disable-multilib --disable-nls \
	--enable-newlib-io-long-long --enable-newlib-nano-malloc \
	--disable-newlib-io-float --disable-newlib-multithread \
	CC_FOR_TARGET=gcc AS_FOR_TARGET=as LD_FOR_TARGET=ld AR_FOR_TARGET=ar \
	RANLIB_FOR_TARGET=ranlib NM_FOR_TARGET=nm OBJDUMP_FOR_TARGET=objdump \
	OBJCOPY_FOR_TARGET=objcopy READELF_FOR_TARGET=readelf STRIP_FOR_TARGET=strip \
	CFLAGS_FOR_TARGET="$cflags") >"$log" 2>&1 || fail configure

step "make -j2, about a minute"
make -C "$work/obj" -j2 all-target-newlib >>"$log" 2>&1 || fail make
step install
make -C "$work/obj" install-target-newlib >>"$log" 2>&1 || fail install

rm -rf "$work"
echo "$stamp" >"$prefix/.stamp"
echo "  NEWLIB  installed in $prefix in $(elapsed) s"
