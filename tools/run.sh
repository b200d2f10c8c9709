#!/usr/bin/env bash
# `make run`: boots hv in the best engine with its console on this terminal.
# usage: run.sh --iso ISO | --guest KERNEL [--cmdline "HV CMDLINE"] [--cpus N]
set -euo pipefail
here=$(dirname "$0")
build=${BUILD:-build}
iso= guest= cmdline= cpus=${CPUS:-1}
while [ $# -gt 0 ]; do
	case "$1" in
	--iso) iso=$2; shift 2 ;;
	--guest) guest=$2; shift 2 ;;
	--cmdline) cmdline=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	*) echo "usage: $0 --iso ISO | --guest KERNEL [--cmdline S] [--cpus N]" >&2; exit 2 ;;
	esac
done
if [ -n "$guest" ]; then
	if [ ! -r "$guest" ]; then
		echo "hv: cannot read the guest kernel '$guest'" >&2
		exit 1
	fi
	iso=$build/run-guest.iso
	EFI_APP=$build/hv.efi "$here/mkiso.sh" "$iso" "$build/hv.elf" "$cmdline service=service" \
		"$build/service/service.elf" service "$guest" "$(basename "$guest" .elf)"
fi
engine=$("$here/engine.sh")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "hv: booting $iso in $engine with $cpus CPU(s); the console follows (Ctrl-C stops)" >&2
"$here/run-iso.sh" "$engine" "$iso" "$log" "$cpus" "${TIMEOUT:-3600}" &
runner=$!
tail -n +1 -f --pid=$runner "$log" | tr -d '\r'
wait $runner
