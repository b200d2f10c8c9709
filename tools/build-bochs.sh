#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds the reference engine, "bochs3": Bochs 3.0 from its unmodified source
# with the project's patches (tools/bochs/patches/*.patch, applied in lexical
# order with patch -p1 from the unpacked bochs-3.0 directory).
#
# The source is ../shared/bochs/bochs-3.0.tar.xz next to the project's root,
# or BOCHS_SRC=PATH: a tarball, or a directory holding the unpacked source.
# The engine lands in $BUILD/bochs3: bochs, bios/BIOS-bochs-latest,
# bios/VGABIOS-lgpl-latest.bin and, written last, .stamp: the checksums of the
# source, of every patch and of this script (which holds the configure line).
# With an equal stamp present nothing is done; after any change everything
# is built again from a fresh copy of the source.
#
# usage: BUILD=build tools/build-bochs.sh [--status]
#   --status  builds nothing; prints "built", "buildable" or "absent: WHY"
#             and exits 0, 1 or 2 accordingly
# Exit status of a build: 0 built (or up to date), 2 the source is absent,
# 1 anything else failed (a corrupt source, a patch that no longer applies,
# a failed build): each says so in one line on stderr, a failed build adds
# the tail of its log.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${BUILD:-$root/build}")
src=$(realpath -m "${BOCHS_SRC:-$root/../shared/bochs/bochs-3.0.tar.xz}")
patches=("$root"/tools/bochs/patches/*.patch)
[ -e "${patches[0]}" ] || patches=()
prefix=$build/bochs3
work=$build/bochs3.work
log=$work/build.log

# The configure line of ../shared/bochs/README.md: no debugger (so no -rc
# script and no prompt), no GUI, VMX with EPT, SMP, AVX/EVEX for the newer
# models; and no IPS display: its SIGALRM handler logs through the mutex the
# interrupted logging code may hold, and Bochs then sleeps forever (seen
# here in about one 2-CPU suite run in six, with a gdb backtrace).
configure_flags=(--with-nogui --enable-x86-64 --enable-vmx=2 --enable-smp
	--enable-cpu-level=6 --enable-avx --enable-evex --enable-pci
	--enable-all-optimizations --disable-debugger --disable-docbook
	--enable-usb=no --enable-ne2000=no --disable-show-ips)

say() {
	echo "bochs3: $*" >&2
}

# Why the engine cannot be built here, or nothing.
absent_reason() {
	if [ ! -e "$src" ]; then
		echo "the Bochs 3.0 source is not at $src (set BOCHS_SRC=tarball or directory)"
	elif ! command -v g++ >/dev/null || ! command -v make >/dev/null ||
		! command -v patch >/dev/null; then
		echo "g++, make and patch are needed to build it (tools/deps.sh install)"
	fi
}

# One line that changes whenever the source, a patch or this script does.
stamp() {
	{
		if [ -d "$src" ]; then
			(cd "$src" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
		else
			sha256sum <"$src"
		fi
		for p in "${patches[@]}"; do
			echo "$(basename "$p") $(sha256sum <"$p")"
		done
		sha256sum <"$0"
	} | sha256sum | cut -d' ' -f1
}

if [ "${1:-}" = --status ]; then
	why=$(absent_reason)
	if [ -n "$why" ]; then
		echo "absent: $why"
		exit 2
	fi
	if [ "$(cat "$prefix/.stamp" 2>/dev/null)" = "$(stamp)" ]; then
		echo built
		exit 0
	fi
	echo buildable
	exit 1
elif [ $# -ne 0 ]; then
	echo "usage: $0 [--status]" >&2
	exit 2
fi

why=$(absent_reason)
if [ -n "$why" ]; then
	say "cannot build: $why"
	exit 2
fi
want=$(stamp)
if [ "$(cat "$prefix/.stamp" 2>/dev/null)" = "$want" ]; then
	exit 0
fi
# One build at a time (make test's guest suites and its linux layer may both
# ask): the second waits, then finds the first one's stamp.
mkdir -p "$build"
exec 9>"$build/.bochs3.lock"
flock 9
if [ "$(cat "$prefix/.stamp" 2>/dev/null)" = "$want" ]; then
	exit 0
fi

start=$(date +%s)
step() {
	echo "  BOCHS3  $1 (at $(($(date +%s) - start)) s)" >&2
}
fail() {
	say "$1 failed; last lines of $log:"
	tail -n 30 "$log" >&2
	exit 1
}

rm -rf "$work"
mkdir -p "$work"
step "unpack $src"
if [ -d "$src" ]; then
	mkdir -p "$work/bochs-3.0"
	cp -a "$src/." "$work/bochs-3.0/"
elif ! tar -C "$work" -xJf "$src" >"$log" 2>&1; then
	say "cannot unpack $src: not a complete xz tarball ($(head -n 1 "$log"))"
	exit 1
fi
tree=$work/bochs-3.0
if [ ! -x "$tree/configure" ] || [ ! -f "$tree/cpu/vmx.cc" ]; then
	say "$src does not hold the Bochs 3.0 source (no bochs-3.0/configure and cpu/vmx.cc)"
	exit 1
fi

for p in "${patches[@]}"; do
	step "patch $(basename "$p")"
	if ! (cd "$tree" && patch -p1 --forward --batch <"$p") >>"$log" 2>&1; then
		say "tools/bochs/patches/$(basename "$p") no longer applies to $src; its failed hunks:"
		grep -E 'FAILED|malformed|can.t find|Reversed|Skipping' "$log" | sed 's/^/    /' >&2
		exit 1
	fi
done

step configure
(cd "$tree" && ./configure "${configure_flags[@]}") >>"$log" 2>&1 || fail configure
step "make -j$(nproc), about 1.5 minutes on 2 cores"
make -C "$tree" -j"$(nproc)" >>"$log" 2>&1 || fail make

rm -rf "$prefix"
mkdir -p "$prefix/bios"
cp "$tree/bochs" "$prefix/bochs"
cp "$tree/bios/BIOS-bochs-latest" "$tree/bios/VGABIOS-lgpl-latest.bin" "$prefix/bios/"
rm -rf "$work"
echo "$want" >"$prefix/.stamp"
echo "  BOCHS3  built $prefix/bochs in $(($(date +%s) - start)) s" >&2
