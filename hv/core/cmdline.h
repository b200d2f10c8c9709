/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv's command line (from the boot loader), and the per-module options.
 *   guest_mem=SIZE   default guest RAM (default 128M)
 *   service=NAME     the module NAME is the service partition
 *   max_cpus=N       use at most N CPUs
 *   testing          enable hv's test hypercalls for guests
 *   ioreq_timeout_ms=N  stop a guest whose device request the service partition
 *                    has not answered after N ms (default 2000)
 * A module string is "NAME [hv.mem=SIZE] [hv.vcpus=N] [hv.pages=4K|2M|1G]
 * [hv.cpus=LIST] [hv.hvmem=SIZE] [hv.pmu=on|off] [hv.apicv=on|off]
 * [hv.for=GUEST] [arguments]" (hv.pages: the largest EPT page, default 1G;
 * hv.cpus: the CPUs its vCPUs live on, e.g. 1 or 0,1 or 0-3, vCPU i on the
 * (i mod n)-th; such a guest starts at once and runs alongside the others
 * instead of after them; hv.pmu: the partition's vCPUs own the PMU and the
 * LBRs while they run, default off, hv/pmu/pmu.h says why; hv.apicv=off:
 * hv/apic delivers the partition's interrupts itself, without the CPU's
 * APIC virtualization, default on, hv/apic/apic.c): hv.* words are hv's, the
 * rest (NAME first) is the guest's command line.
 * With hv.for=GUEST the module is not a guest but a Multiboot module handed
 * to the guest named GUEST (an initrd, say), with the rest as its string.
 */
#ifndef HV_CORE_CMDLINE_H
#define HV_CORE_CMDLINE_H

#include <boot/boot_info.h>
#include <types.h>

struct hv_options {
	u64 guest_mem;
	u32 max_cpus;
	bool testing;
	u32 ioreq_timeout_ms; /* how long a guest waits for the service's answer */
	char service[BOOT_MODULE_CMDLINE_LEN];
};

struct module_options {
	char name[32];
	u64 mem; /* 0: the default */
	u32 vcpus;
	unsigned int ept_max_level; /* 1 = 4 KiB, 2 = 2 MiB, 3 = 1 GiB (the default) */
	u64 cpus; /* hv.cpus: bit n = CPU n; 0 when not given */
	bool no_apicv; /* hv.apicv=off */
	u64 hv_mem; /* hv.hvmem=: the bound on hv's memory for the partition; 0: the default */
	bool pmu; /* hv.pmu=on: the PMU and the LBRs, if hv can give them (hv/pmu) */
	char for_guest[32]; /* non-empty: a data module for that guest */
	char guest_cmdline[BOOT_MODULE_CMDLINE_LEN];
};

extern struct hv_options hv_options;

/* Returns 0, or -1 with the offending word in @bad (printed by the caller). */
int cmdline_parse(const char *cmdline, struct hv_options *opt, char *bad, size_t bad_len);
int module_options_parse(const char *s, struct module_options *m, char *bad, size_t bad_len);

#endif /* HV_CORE_CMDLINE_H */
