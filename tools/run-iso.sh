#!/usr/bin/env bash
# Boots an ISO in a chosen engine with the serial console in a file.
# usage: run-iso.sh ENGINE ISO SERIAL_LOG [CPUS] [TIMEOUT_SECONDS]
#   ENGINE: bochs (Bochs 2.7) | bochs3 (Bochs 3.0, tools/build-bochs.sh) |
#           kvm (QEMU+KVM, nested VMX) | qemu-bios | qemu-ovmf (no VMX: boot paths)
# Exit status: 124 on timeout, 2 when the engine cannot run, 0 otherwise
# (callers judge by the serial log).
set -u
engine=$1 iso=$2 log=$3 cpus=${4:-1} limit=${5:-300}
here=$(dirname "$0")
: >"$log"
case "$engine" in
bochs | bochs3)
	exec "$here/bochs-run.sh" "$engine" "$iso" "$log" "$cpus" "$limit"
	;;
kvm)
	args=(-enable-kvm -cpu host,+vmx -M q35)
	;;
qemu-bios)
	args=(-M pc)
	;;
qemu-ovmf)
	vars=$(mktemp)
	trap 'rm -f "$vars"' EXIT
	cp /usr/share/OVMF/OVMF_VARS_4M.fd "$vars"
	args=(-M q35
		-drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
		-drive if=pflash,format=raw,unit=1,file="$vars")
	;;
*)
	echo "run-iso.sh: unknown engine '$engine'" >&2
	exit 2
	;;
esac
timeout --foreground "$limit" qemu-system-x86_64 "${args[@]}" -m 512 -smp "$cpus" \
	-cdrom "$iso" -serial "file:$log" -display none -no-reboot -monitor none \
	</dev/null >/dev/null 2>&1
[ $? -eq 124 ] && exit 124
exit 0
