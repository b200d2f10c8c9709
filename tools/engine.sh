#!/usr/bin/env bash
# Prints the best engine that can run hv's VMX code on this host:
#   kvm   QEMU with KVM on an Intel host whose KVM allows nested VMX
#   bochs Bochs 2.7's VMX emulation (everywhere else)
# HV_ENGINE=bochs|kvm overrides the choice.
set -u
if [ -n "${HV_ENGINE:-}" ]; then
	echo "$HV_ENGINE"
	exit 0
fi
nested=$(cat /sys/module/kvm_intel/parameters/nested 2>/dev/null || echo N)
if [ -w /dev/kvm ] && grep -qw vmx /proc/cpuinfo && { [ "$nested" = Y ] || [ "$nested" = 1 ]; }; then
	echo kvm
else
	echo bochs
fi
