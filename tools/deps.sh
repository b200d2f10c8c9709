#!/usr/bin/env bash
# Checks that the Debian packages hv's build, run and test need are installed.
# usage: deps.sh [check|ensure|install|list]
#   check   exit 1 (and say what to run) when something is missing
#   ensure  like check, but install the missing packages when running as root
#   install install the missing packages (root)
set -euo pipefail

packages=(
	# build
	make gcc binutils xz-utils python3
	# boot media: hybrid BIOS + UEFI GRUB ISO, UEFI application
	grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools gnu-efi
	# guest-side C library, built from source into build/newlib
	newlib-source
	# host tests and fuzzing
	libcmocka-dev clang libclang-rt-14-dev
	# engines: Bochs emulates VMX; QEMU proves the boot paths (and runs KVM on Intel hosts)
	bochs bochsbios vgabios qemu-system-x86 ovmf
	# the reference engine, Bochs 3.0 built from source (tools/build-bochs.sh)
	g++ patch
)

missing=()
for p in "${packages[@]}"; do
	[ "${p:0:1}" = "#" ] && continue
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done

install() {
	echo "hv: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

case "${1:-check}" in
list)
	printf '%s\n' "${packages[@]}"
	;;
check | ensure | install)
	[ ${#missing[@]} -eq 0 ] && exit 0
	if [ "${1:-check}" != check ] && [ "$(id -u)" -eq 0 ]; then
		install
		exit 0
	fi
	echo "hv: missing Debian packages: ${missing[*]}" >&2
	echo "hv: install them with:  sudo apt-get install -y ${missing[*]}" >&2
	echo "hv: (or run 'make deps' as root)" >&2
	exit 1
	;;
*)
	echo "usage: $0 [check|ensure|install|list]" >&2
	exit 2
	;;
esac
