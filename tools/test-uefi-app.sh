#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boots hv.efi under QEMU + OVMF from a FAT image (EFI/BOOT/BOOTX64.EFI with an
# hv.cfg naming one module) and checks on the serial log that the core started
# with loader 'hv.efi', the configured command line and the module.
#
# usage: tools/test-uefi-app.sh [path/to/hv.efi]     (default build/hv.efi)
# env:   TIMEOUT (seconds, default 60), KEEP=1 keeps the work directory,
#        QEMU (default qemu-system-x86_64), OVMF_CODE, OVMF_VARS.
# exit:  0 if the checks pass, 1 otherwise (the last 30 log lines are printed).
set -euo pipefail

efi=${1:-build/hv.efi}
timeout_s=${TIMEOUT:-60}
qemu=${QEMU:-qemu-system-x86_64}
ovmf_code=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
ovmf_vars=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}

# Options the core accepts (hv/core/cmdline.h), so that it boots normally.
cmdline='max_cpus=1 testing'
mod_path='/EFI/hv/test.mod'
mod_string='uefi-test-guest arg=42' # NAME, then the guest's arguments
mod_size=5000 # deliberately not a multiple of the page size

# The core's first line; must match a whole (cleaned) line of the log.
expect_boot="hv: booting, loader 'hv.efi', command line '$cmdline'"
# >>> EXPECTED MODULE LINE (core side) <<<
# An extended regular expression for the line the core prints about module 0
# (hv/core/main.c, print_modules()), matched against whole lines after the
# boot line. Its address is also compared with the one hv.efi reported.
# Set it to '' to skip the core-side module check.
expect_module_re="^hv: module 0: '${mod_string}' at 0x[0-9a-fA-F]+, ${mod_size} bytes\$"
# The loader's own report of the module: its path and size, then its address.
expect_loader_module="hv.efi: loading module \\EFI\\hv\\test.mod ($mod_size bytes)"
loader_module_re='^hv\.efi: module 0 at 0x[0-9a-fA-F]+-'

for f in "$efi" "$ovmf_code" "$ovmf_vars"; do
	if [ ! -f "$f" ]; then
		echo "test-uefi-app: $f not found" >&2
		exit 1
	fi
done

work=$(mktemp -d /tmp/hv-uefi-test.XXXXXX)
qemu_pid=
cleanup() {
	if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
		kill "$qemu_pid" 2>/dev/null || true
		wait "$qemu_pid" 2>/dev/null || true
	fi
	if [ "${KEEP:-0}" = 1 ]; then
		echo "test-uefi-app: work directory kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

# --- the ESP: an 8 MiB FAT image built with mtools ---------------------------
esp=$work/esp.img
head -c $((8 * 1024 * 1024)) /dev/zero >"$esp"
mformat -i "$esp" -v HVESP :: >/dev/null
mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/EFI/hv
mcopy -i "$esp" "$efi" ::/EFI/BOOT/BOOTX64.EFI
# A module with recognisable content: "hv-test-module" then a byte pattern.
{
	printf 'hv-test-module\n'
	head -c $((mod_size - 15)) /dev/zero | tr '\0' 'm'
} >"$work/test.mod"
[ "$(stat -c %s "$work/test.mod")" -eq "$mod_size" ]
mcopy -i "$esp" "$work/test.mod" "::$mod_path"
cat >"$work/hv.cfg" <<EOF
# hv.efi configuration written by tools/test-uefi-app.sh
cmdline $cmdline

module $mod_path $mod_string
EOF
mcopy -i "$esp" "$work/hv.cfg" ::/EFI/BOOT/hv.cfg

cp "$ovmf_vars" "$work/vars.fd"
log=$work/serial.log
: >"$log"

# --- boot --------------------------------------------------------------------
start=$(date +%s.%N)
"$qemu" -M q35 -m 256 -nodefaults -display none -no-reboot -nic none \
	-drive if=pflash,format=raw,unit=0,readonly=on,file="$ovmf_code" \
	-drive if=pflash,format=raw,unit=1,file="$work/vars.fd" \
	-drive file="$esp",format=raw,if=ide,media=disk \
	-serial file:"$log" >"$work/qemu.out" 2>&1 &
qemu_pid=$!

# The serial log with OVMF's terminal escapes and CRs removed, one text line per line.
clean_log() {
	sed -e 's/\x1b\[[0-9;?=>]*[A-Za-z]//g' -e 's/\x1b[()][A-Za-z0-9]//g' -e 's/\r//g' "$log"
}

# Lines after the core's boot line: what the core printed, not OVMF or hv.efi.
core_lines() {
	clean_log | awk -v want="$expect_boot" 'seen { print } $0 == want { seen = 1 }'
}

checks_pass() {
	clean_log | grep -qxF -- "$expect_boot" || return 1
	clean_log | grep -qF -- "$expect_loader_module" || return 1
	if [ -n "$expect_module_re" ]; then
		core_lines | grep -qE -- "$expect_module_re" || return 1
	fi
	return 0
}

gave_up_re='^hv\.efi: not starting hv|^BdsDxe: failed to start|^Shell> '

# Wait for QEMU to end (the core powers off). Once the checks pass, allow a
# few more seconds for the power-off, then stop QEMU ourselves.
deadline=$(($(date +%s) + timeout_s))
passed_at=
timed_out=0
gave_up=0
while kill -0 "$qemu_pid" 2>/dev/null; do
	now=$(date +%s)
	if [ -z "$passed_at" ] && checks_pass; then
		passed_at=$now
	fi
	if [ -n "$passed_at" ] && [ $((now - passed_at)) -ge 5 ]; then
		break
	fi
	if [ "$now" -ge "$deadline" ]; then
		timed_out=1
		break
	fi
	# hv.efi gave up, or the firmware went on to its next boot option.
	if [ -z "$passed_at" ] && clean_log | grep -qE "$gave_up_re"; then
		gave_up=1
		break
	fi
	sleep 0.2
done
if kill -0 "$qemu_pid" 2>/dev/null; then
	kill "$qemu_pid" 2>/dev/null || true
	qemu_exited=0
else
	qemu_exited=1
fi
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=
elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')

fail() {
	echo "test-uefi-app: FAIL: $*" >&2
	# QEMU's own messages, without the one about the test stopping it.
	if grep -qv 'terminating on signal' "$work/qemu.out"; then
		echo "--- QEMU output:" >&2
		grep -v 'terminating on signal' "$work/qemu.out" >&2
	fi
	echo "--- last 30 lines of the serial log:" >&2
	clean_log | tail -n 30 >&2
	exit 1
}

if ! clean_log | grep -qxF -- "$expect_boot"; then
	if [ "$timed_out" = 1 ]; then
		fail "no line \"$expect_boot\" within ${timeout_s} s"
	fi
	if [ "$gave_up" = 1 ]; then
		fail "hv.efi did not start hv (stopped after ${elapsed} s)"
	fi
	fail "no line \"$expect_boot\" (QEMU ended after ${elapsed} s)"
fi
if ! clean_log | grep -qF -- "$expect_loader_module"; then
	fail "hv.efi did not report loading the module: \"$expect_loader_module\""
fi
if [ -n "$expect_module_re" ]; then
	core_line=$(core_lines | grep -E -- "$expect_module_re" | head -n 1) ||
		fail "the core did not report module 0 as /$expect_module_re/"
	loader_line=$(clean_log | grep -E -- "$loader_module_re" | head -n 1) ||
		fail "hv.efi did not report where module 0 is (/$loader_module_re/)"
	core_addr=$(grep -oE ' at 0x[0-9a-fA-F]+' <<<"$core_line" | head -n 1)
	loader_addr=$(grep -oE ' at 0x[0-9a-fA-F]+' <<<"$loader_line" | head -n 1)
	core_addr=${core_addr# at 0x} loader_addr=${loader_addr# at 0x}
	if [ $((16#$core_addr)) -ne $((16#$loader_addr)) ]; then
		fail "the core has module 0 at 0x$core_addr, hv.efi loaded it at 0x$loader_addr"
	fi
else
	echo "test-uefi-app: note: core-side module check disabled (expect_module_re is empty)"
fi
if [ "$qemu_exited" = 1 ]; then
	how="QEMU exited"
else
	how="QEMU stopped by the test"
fi
echo "test-uefi-app: PASS: hv started by hv.efi ($how after $elapsed s)"
