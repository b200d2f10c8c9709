#!/bin/sh
# The Linux guest's /init (tools/linux/mkinitramfs.py): what the test checks,
# each on its own line for tools/hvtest.py, then ACPI power-off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "LINUX-INIT: running"
# Seconds since the kernel started, by its clock: the boot's cost (make bench).
echo "LINUX-UPTIME: $(cut -d' ' -f1 /proc/uptime)"
echo "LINUX-CPUS-ONLINE: $(cat /sys/devices/system/cpu/online)"
echo "LINUX-NPROC: $(nproc)"
grep -E '^ *[0-9]+:|LOC|CAL' /proc/interrupts | sed 's/^/LINUX-IRQ: /'
echo "hv wrote this" > /tmp/check && echo "LINUX-FILE: $(cat /tmp/check)"
echo "LINUX-CLOCKSOURCE: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "LINUX-DONE"
poweroff -f
