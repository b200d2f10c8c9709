#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetches Debian's stock kernel and busybox for the Linux guest tests, into
# $BUILD/linux (default build/linux):
#   vmlinuz    the bzImage of the package linux-image-amd64 depends on (the
#              metapackage decides which; no file name is pinned here)
#   vmlinux    the ELF kernel inside it (what PVH boots: no decompression)
#   busybox    busybox-static's binary, for tools/linux/mkinitramfs.py
#   VERSION    the kernel package's name and version
# Nothing is done when VERSION names the package the metapackage depends on now.
# usage: fetch.sh [--offline]   (--offline: use what is there, fail if nothing)
set -euo pipefail
here=$(dirname "$0")
out=$(realpath -m "${BUILD:-$here/../../build}/linux")
mkdir -p "$out"
if [ "${1:-}" = --offline ]; then
	[ -s "$out/vmlinux" ] && [ -s "$out/vmlinuz" ] && [ -s "$out/busybox" ] && exit 0
	echo "linux: no kernel in $out: run tools/linux/fetch.sh" >&2
	exit 1
fi
# The metapackage's dependency: linux-image-<abi>-amd64.
metapackage_dependency() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}
pkg=$(metapackage_dependency)
# A fresh machine may have no package lists yet (make deps updates them only
# when it installs something).
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
	apt-get update -q >&2
	pkg=$(metapackage_dependency)
fi
if [ -z "$pkg" ]; then
	echo "linux: apt-cache knows no linux-image-amd64 (run apt-get update)" >&2
	exit 1
fi
version=$(apt-cache policy "$pkg" | awk '$1 == "Candidate:" { print $2 }')
if [ "$(cat "$out/VERSION" 2>/dev/null)" = "$pkg $version" ] && [ -s "$out/vmlinux" ] &&
	[ -s "$out/busybox" ]; then
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "linux: downloading $pkg $version and busybox-static" >&2
(cd "$tmp" && apt-get download -q "$pkg" busybox-static >&2)
dpkg-deb -x "$tmp"/linux-image-*.deb "$tmp/kernel"
dpkg-deb -x "$tmp"/busybox-static_*.deb "$tmp/busybox"
cp "$tmp"/kernel/boot/vmlinuz-* "$out/vmlinuz"
cp "$tmp/busybox/bin/busybox" "$out/busybox"
python3 "$here/extract-vmlinux.py" "$out/vmlinuz" "$out/vmlinux"
echo "$pkg $version" >"$out/VERSION"
echo "linux: $pkg $version in $out" >&2
