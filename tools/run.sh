#!/usr/bin/env bash
# `make run`: boots hv in the best engine with its console on this terminal.
# usage: run.sh --iso ISO | --guest KERNEL [--initrd FILE] [--append "ARGS"]
#               [--cmdline "HV CMDLINE"] [--cpus N]
# KERNEL is any image hv boots (Multiboot, PVH vmlinux, bzImage: hv says which);
# INITRD is handed to it as its module, APPEND is its command line. In Bochs,
# when this runs on a terminal, the terminal is the serial line itself: what
# is typed reaches hv's console, which hands it to the first guest's UART.
set -euo pipefail
here=$(dirname "$0")
build=${BUILD:-build}
iso= guest= initrd= append= cmdline= cpus=${CPUS:-1}
while [ $# -gt 0 ]; do
	case "$1" in
	--iso) iso=$2; shift 2 ;;
	--guest) guest=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--cmdline) cmdline=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	*) echo "usage: $0 --iso ISO | --guest KERNEL [--initrd F] [--append S] [--cmdline S] [--cpus N]" >&2; exit 2 ;;
	esac
done
if [ -n "$guest" ]; then
	if [ ! -r "$guest" ]; then
		echo "hv: cannot read the guest kernel '$guest'" >&2
		exit 1
	fi
	name=$(basename "$guest" .elf)
	name=${name%%[-.]*}
	modules=("$guest" "$name $append")
	if [ -n "$initrd" ]; then
		[ -r "$initrd" ] || { echo "hv: cannot read the initrd '$initrd'" >&2; exit 1; }
		modules+=("$initrd" "initrd hv.for=$name")
	fi
	iso=$build/run-guest.iso
	EFI_APP=$build/hv.efi "$here/mkiso.sh" "$iso" "$build/hv.elf" "$cmdline service=service" \
		"$build/service/service.elf" service "${modules[@]}"
fi
engine=$("$here/engine.sh")
case "$engine" in
bochs | bochs3)
	if [ -t 0 ] && [ -t 1 ]; then
		echo "hv: booting $iso in $engine with $cpus CPU(s) on this terminal (Ctrl-C stops)" >&2
		SERIAL_TTY=$(tty) exec "$here/run-iso.sh" "$engine" "$iso" /dev/null "$cpus" "${TIMEOUT:-3600}"
	fi
	;;
esac
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "hv: booting $iso in $engine with $cpus CPU(s); the console follows (Ctrl-C stops)" >&2
"$here/run-iso.sh" "$engine" "$iso" "$log" "$cpus" "${TIMEOUT:-3600}" &
runner=$!
tail -n +1 -f --pid=$runner "$log" | tr -d '\r'
wait $runner
