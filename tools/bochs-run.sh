#!/usr/bin/env bash
# Boots an ISO in Bochs, headless.
# usage: bochs-run.sh ENGINE ISO SERIAL_LOG [CPUS] [TIMEOUT_SECONDS]
#   ENGINE bochs   Debian's Bochs 2.7, cpu model tigerlake: no posted
#                  interrupts, no tertiary controls (hv's software paths)
#   ENGINE bochs3  Bochs 3.0 built by tools/build-bochs.sh (built first if
#                  needed), cpu model sapphire_rapids: posted interrupts,
#                  tertiary controls, IPI virtualization (hv's hardware paths)
# The serial port goes to SERIAL_LOG (or, with SERIAL_TTY=/dev/tty..., is that
# terminal, both ways: tools/run.sh); Bochs's own log to SERIAL_LOG.bochs,
# what it prints (e.g. why it did not start) to SERIAL_LOG.out.
# Bochs always exits with status 1: callers judge the run by the serial log.
# BOCHS_MODEL= another cpu model (with ignore_bad_msrs=1: kernels booted
# natively on it for comparisons probe MSRs that Bochs's models lack).
# Exit status: 124 on timeout, 2 when bochs3 cannot be built, else 0.
set -u
engine=$1 iso=$2 log=$3 cpus=${4:-1} limit=${5:-300}
here=$(dirname "$0")
build=$(realpath -m "${BUILD:-$here/../build}")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

case "$engine" in
bochs)
	bochs=(bochs -q -f "$dir/bochsrc" -rc "$dir/rc")
	bios=/usr/share/bochs/BIOS-bochs-latest
	vgabios=/usr/share/vgabios/vgabios.bin
	model=tigerlake
	# Debian's build has its debugger, which stops at a prompt without this
	# script, and no "nogui" display: rfb listens on a port, harmlessly. It
	# has sound, which must be silenced.
	extra='display_library: rfb, options="timeout=0"
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
speaker: enabled=0'
	printf 'c\nquit\n' >"$dir/rc"
	;;
bochs3)
	BUILD=$build "$here/build-bochs.sh" || exit 2
	bochs=("$build/bochs3/bochs" -q -f "$dir/bochsrc")
	bios=$build/bochs3/bios/BIOS-bochs-latest
	vgabios=$build/bochs3/bios/VGABIOS-lgpl-latest.bin
	model=sapphire_rapids
	extra='display_library: nogui'
	;;
*)
	echo "bochs-run.sh: unknown engine '$engine' (bochs or bochs3)" >&2
	exit 2
	;;
esac

ignore_bad_msrs=0
if [ -n "${BOCHS_MODEL:-}" ]; then
	model=$BOCHS_MODEL
	ignore_bad_msrs=1
fi

cat >"$dir/bochsrc" <<RC
megs: 512
romimage: file=$bios
vgaromimage: file=$vgabios
ata0-master: type=cdrom, path=$iso, status=inserted
boot: cdrom
cpu: model=$model, count=$cpus, ips=10000000, reset_on_triple_fault=0, ignore_bad_msrs=$ignore_bad_msrs
clock: sync=none, time0=1
$(if [ -n "${SERIAL_TTY:-}" ]; then echo "com1: enabled=1, mode=term, dev=$SERIAL_TTY"; else echo "com1: enabled=1, mode=file, dev=$log"; fi)
port_e9_hack: enabled=1
$extra
log: $(if [ -n "${SERIAL_TTY:-}" ]; then echo /dev/null; else echo "$log.bochs"; fi)
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
RC
: >"$log"
timeout --foreground "$limit" "${bochs[@]}" >"${SERIAL_TTY:+/dev/null}${SERIAL_TTY:-$log.out}" 2>&1 </dev/null
status=$?
[ $status -eq 124 ] && exit 124
exit 0
