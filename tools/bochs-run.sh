#!/usr/bin/env bash
# Boots an ISO in Bochs 2.7 (VMX with EPT, model tigerlake), headless.
# usage: bochs-run.sh ISO SERIAL_LOG [CPUS] [TIMEOUT_SECONDS]
# The serial port goes to SERIAL_LOG; Bochs's own log to SERIAL_LOG.bochs.
# Bochs always exits with status 1: callers judge the run by the serial log.
# Exit status: 124 on timeout, else 0.
set -u
iso=$1 log=$2 cpus=${3:-1} limit=${4:-300}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/bochsrc" <<RC
megs: 512
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=cdrom, path=$iso, status=inserted
boot: cdrom
cpu: model=tigerlake, count=$cpus, ips=10000000, reset_on_triple_fault=0, ignore_bad_msrs=0
clock: sync=none, time0=1
com1: enabled=1, mode=file, dev=$log
port_e9_hack: enabled=1
display_library: rfb, options="timeout=0"
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
speaker: enabled=0
log: $log.bochs
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
RC
printf 'c\nquit\n' >"$dir/rc"
: >"$log"
timeout --foreground "$limit" bochs -q -f "$dir/bochsrc" -rc "$dir/rc" >"$dir/out" 2>&1 </dev/null
status=$?
[ $status -eq 124 ] && exit 124
exit 0
