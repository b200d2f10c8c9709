#!/usr/bin/env bash
# Builds one hybrid (BIOS + UEFI) GRUB ISO that boots hv with modules.
# usage: mkiso.sh OUT.iso HV.elf "HV CMDLINE" [MODULE_FILE "MODULE STRING"]...
#        Optional: EFI_APP=path/hv.efi puts the UEFI application on the ISO too.
#        NATIVE=1 boots HV.elf as a Multiboot (v1) kernel instead: a guest kernel
#        run without the hypervisor, for comparisons. NATIVE=linux boots it as
#        a Linux bzImage, its one module as the initrd.
set -euo pipefail
out=$1 hv=$2 cmdline=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The ISO's tree; grub-mkrescue's log stays outside it (xorriso refuses a file that grows).
work=$tmp/iso log=$tmp/log
mkdir -p "$work/boot/grub" "$work/boot/hv"
cp "$hv" "$work/boot/hv/hv.elf"
{
	echo 'set timeout=0'
	echo 'serial --unit=0 --speed=115200'
	echo 'terminal_input serial'
	echo 'terminal_output serial'
	echo 'menuentry "hv" {'
	if [ "${NATIVE:-}" = linux ]; then
		echo "	linux /boot/hv/hv.elf $cmdline"
	elif [ -n "${NATIVE:-}" ]; then
		echo "	multiboot /boot/hv/hv.elf $cmdline"
	else
		echo "	multiboot2 /boot/hv/hv.elf $cmdline"
	fi
	i=0
	while [ $# -ge 2 ]; do
		name=$(printf 'm%02d-%s' "$i" "$(basename "$1")")
		cp "$1" "$work/boot/hv/$name"
		if [ "${NATIVE:-}" = linux ]; then
			echo "	initrd /boot/hv/$name"
		else
			echo "	module2 /boot/hv/$name $2"
		fi
		shift 2
		i=$((i + 1))
	done
	echo '	boot'
	echo '}'
} >"$work/boot/grub/grub.cfg"
if [ -n "${EFI_APP:-}" ]; then
	cp "$EFI_APP" "$work/boot/hv/hv.efi"
fi
mods="multiboot multiboot2 normal serial terminal configfile iso9660 part_msdos part_gpt part_apple part_bsd
      fat ext2 boot echo test all_video"
[ "${NATIVE:-}" = linux ] && mods="$mods linux"
grub-mkrescue -o "$out" --compress=xz --fonts= --locales= --themes= \
	--install-modules="$(echo $mods)" "$work" >"$log" 2>&1 || {
	cat "$log" >&2
	exit 1
}
