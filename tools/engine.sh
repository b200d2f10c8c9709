#!/usr/bin/env bash
# Prints the best engine that can run hv's VMX code on this host:
#   kvm    QEMU with KVM on an Intel host whose KVM allows nested VMX
#   bochs3 Bochs 3.0 built from source with the project's patches
#          (tools/build-bochs.sh), when it is built or can be built here
#   bochs  Debian's Bochs 2.7 (everywhere else)
# HV_ENGINE=bochs|bochs3|kvm overrides the choice.
set -u
here=$(dirname "$0")
if [ -n "${HV_ENGINE:-}" ]; then
	echo "$HV_ENGINE"
	exit 0
fi
nested=$(cat /sys/module/kvm_intel/parameters/nested 2>/dev/null || echo N)
if [ -w /dev/kvm ] && grep -qw vmx /proc/cpuinfo && { [ "$nested" = Y ] || [ "$nested" = 1 ]; }; then
	echo kvm
	exit 0
fi
case "$("$here/build-bochs.sh" --status)" in
built | buildable) echo bochs3 ;;
*) echo bochs ;;
esac
