/* SPDX-License-Identifier: MIT */
/*
 * hv's hypercalls: the ABI between hv and the kernels it runs.
 *
 * A hypercall is VMCALL from CPL 0 with the call number in RAX and up to
 * four arguments in RBX, RCX, RDX and RSI (the KVM convention). hv returns
 * in RAX a value >= 0 on success or a negative HV_E* code on failure, and
 * preserves every other register. A call from CPL > 0 fails with -HV_EPERM,
 * a number hv does not know with -HV_ENOSYS; a failed call changes nothing.
 * Guest-physical addresses passed to hv must lie in the caller's RAM, and
 * those hv writes a result to in its writable RAM (not read-only RAM, not
 * a write-forwarded page): else the call fails with -HV_EINVAL.
 *
 * Calls numbered from HV_HC_TEST_BASE exist only when hv was booted with
 * "testing" (CPUID leaf 0x40000001 EBX has HV_FEATURE_TESTING): they expose
 * hv internals so the guest tests can check them.
 */
#ifndef HV_PUBLIC_HYPERCALL_H
#define HV_PUBLIC_HYPERCALL_H

#include <stdint.h>

/* Error codes, returned negated (the Linux errno values). */
#define HV_EPERM 1 /* the caller may not make this call */
#define HV_ENOENT 2 /* no such vCPU, partition or range */
#define HV_ENOMEM 12 /* hv ran out of memory; nothing changed */
#define HV_EBUSY 16 /* the object is in a state that does not allow the call */
#define HV_EINVAL 22 /* a bad argument */
#define HV_ENOSYS 38 /* no such hypercall */
#define HV_EOPNOTSUPP 95 /* the CPU lacks what the call needs */

/*
 * Number 1 was HV_HC_VCPU_START, which started a secondary vCPU. It is
 * gone (-HV_ENOSYS): a partition's secondary vCPUs wait for a SIPI, which
 * the first one sends through its local APIC as on any PC (INIT, then a
 * SIPI; include/public/hv.h, HV_LOCAL_APIC_GPA).
 */

/*
 * The service partition's calls (include/public/ioreq.h, docs/ioreq-abi.md).
 * From any other partition they fail with -HV_EPERM.
 *
 * HV_HC_CONSOLE_WRITE: RBX = guest-physical address, RCX = length (at most
 *   HV_CONSOLE_WRITE_MAX): the bytes go to hv's console as they are.
 */
#define HV_HC_CONSOLE_WRITE 16U
#define HV_CONSOLE_WRITE_MAX 4096U

/*
 * HV_HC_IOREQ_REGISTER: makes the calling vCPU the ioreq server. Returns
 *   HV_IOREQ_AREA_GPA, where the channels are. A second registration fails
 *   with -HV_EBUSY.
 */
#define HV_HC_IOREQ_REGISTER 17U

/*
 * HV_HC_IOREQ_CLAIM_RANGE: RBX = HV_IOREQ_PIO or HV_IOREQ_MMIO, RCX =
 *   first port or guest-physical address, RDX = size in ports or bytes
 *   (MMIO: 4 KiB aligned, inside the guests' MMIO window), RSI =
 *   HV_IOREQ_CLAIM_* flags. From then on every guest's accesses there
 *   become requests. -HV_EBUSY: it overlaps a claimed range.
 */
#define HV_HC_IOREQ_CLAIM_RANGE 18U

/*
 * HV_HC_IOREQ_CLAIM_PAGE_TYPE: RBX = HV_IOREQ_FORWARD_WRITES to claim the
 *   ioreq-server page type, 0 to disclaim it (every page of that type in
 *   every guest becomes plain RAM again). -HV_EBUSY: claimed already;
 *   -HV_EINVAL: unknown flags, or a disclaim of an unclaimed type.
 */
#define HV_HC_IOREQ_CLAIM_PAGE_TYPE 19U

/*
 * HV_HC_IOREQ_SET_PAGE_TYPE: RBX = channel, RCX = guest-physical address,
 *   RDX = pages, RSI = HV_IOREQ_PAGE_RAM or HV_IOREQ_PAGE_SERVER. Only
 *   RAM <-> ioreq-server changes of the guest's RAM pages are allowed;
 *   -HV_EPERM while the type is not claimed, -HV_EINVAL otherwise.
 */
#define HV_HC_IOREQ_SET_PAGE_TYPE 20U

/*
 * HV_HC_IOREQ_COMPLETE: RBX = channel, RCX = slot (vCPU). The slot must be
 *   RESPONSE_READY with a legal response: hv completes the guest's access
 *   and sets the slot NONE. An illegal completion stops that guest and
 *   returns -HV_EINVAL; the service goes on.
 */
#define HV_HC_IOREQ_COMPLETE 21U

/*
 * HV_HC_PARTITION_EXIT: RBX = channel, RCX = exit code (0..255), RDX =
 *   HV_EXIT_BY_*: how the guest asked to end, which hv's report names.
 */
#define HV_HC_PARTITION_EXIT 22U
#define HV_EXIT_BY_DEBUG_PORT 0U /* the debug-exit port (include/public/hv.h) */
#define HV_EXIT_BY_ACPI_POWEROFF 1U /* SLP_EN with \_S5's SLP_TYP (platform.h) */
#define HV_EXIT_BY_RESET 2U /* the reset register */

/*
 * HV_HC_IOREQ_WAIT: RBX = the count this call last returned (0 the first
 *   time), RCX = a TSC value (0: none). hv counts the times it gave the
 *   service new work (a request, a ring entry, a guest coming or going):
 *   the call returns the count as soon as it differs from RBX, or once the
 *   TSC reaches RCX (then the count may be RBX still), blocking the vCPU
 *   until then. The service looks at every channel after each return, and
 *   runs its timers after one with the deadline passed.
 */
#define HV_HC_IOREQ_WAIT 23U

/*
 * HV_HC_IOREQ_RAISE_IRQ: RBX = channel, RCX = vector (HV_IRQ_VECTOR_MIN ..
 *   HV_IRQ_VECTOR_MAX), RDX = destination APIC ID (physical destination:
 *   one vCPU of that channel's guest), RSI = HV_IRQ_* flags. The vCPU's
 *   local APIC gets a fixed interrupt at that vector, as from an I/O APIC
 *   or an MSI (dropped, as by hardware, while that APIC is disabled).
 *   With HV_IRQ_LEVEL it is level-triggered: when a vCPU of the guest
 *   ends it (its EOI), hv sets bit vector of eoi_pending in the channel's
 *   page (include/public/ioreq.h) and counts it as new work for
 *   HV_HC_IOREQ_WAIT. Returns 0; -HV_EPERM: the caller is not the service
 *   partition; -HV_ENOENT: no guest on the channel or no vCPU with that
 *   APIC ID; -HV_EINVAL: a bad vector or flags.
 */
#define HV_HC_IOREQ_RAISE_IRQ 24U
#define HV_IRQ_LEVEL (1U << 0)
#define HV_IRQ_VECTOR_MIN 32U
#define HV_IRQ_VECTOR_MAX 255U

/*
 * HV_HC_CONSOLE_READ: RBX = guest-physical address, RCX = length (at most
 *   HV_CONSOLE_READ_MAX): the bytes typed on hv's console since the last
 *   call, without waiting. Returns how many it wrote (0: none).
 */
#define HV_HC_CONSOLE_READ 25U
#define HV_CONSOLE_READ_MAX 256U

#define HV_HC_TEST_BASE 0x1000U

/*
 * HV_HC_TEST_EPT_STATS: RBX = guest-physical address of a struct
 * hv_ept_stats, which hv fills with the caller's partition's EPT figures.
 */
#define HV_HC_TEST_EPT_STATS (HV_HC_TEST_BASE + 0)

struct hv_ept_stats {
	uint64_t faults_4k; /* 0: leaves of 4 KiB installed by EPT-violation handling */
	uint64_t faults_2m; /* 8: ... of 2 MiB */
	uint64_t faults_1g; /* 16: ... of 1 GiB */
	uint64_t spurious; /* 24: violations another vCPU had already resolved */
	uint64_t retries; /* 32: violations that raced with a change and re-ran */
	uint64_t splits; /* 40: huge leaves split into smaller ones */
	uint64_t zaps; /* 48: changes: zaps, type changes, dirty-state clears */
	uint64_t tables; /* 56: EPT table pages in use now */
	uint64_t tables_retired; /* 64: table pages unlinked by changes */
	uint64_t pending_free; /* 72: hv-wide: unlinked pages waiting for every CPU */
	uint64_t freed; /* 80: hv-wide: unlinked pages returned to hv's allocator */
	uint64_t max_page_size; /* 88: the largest EPT page this partition uses, bytes */
};

/* HV_HC_TEST_EPT_ZAP: RBX = guest-physical address, RCX = size (4 KiB multiples). */
#define HV_HC_TEST_EPT_ZAP (HV_HC_TEST_BASE + 1)

/*
 * HV_HC_TEST_EPT_SET_TYPE: RBX = guest-physical address, RCX = size,
 * RDX = HV_PAGE_RAM or HV_PAGE_RAM_RO: sets the type of the caller's RAM.
 */
#define HV_HC_TEST_EPT_SET_TYPE (HV_HC_TEST_BASE + 2)
#define HV_PAGE_RAM 1U
#define HV_PAGE_RAM_RO 2U

/*
 * HV_HC_TEST_EPT_DIRTY: RBX = guest-physical address, RCX = pages (at most
 * HV_DIRTY_MAX_PAGES), RDX = 1 to also clear the dirty state, RSI =
 * guest-physical address of a bitmap (one bit per page, 64-bit words) hv
 * fills. -HV_EOPNOTSUPP when the CPU has no EPT accessed/dirty flags.
 */
#define HV_HC_TEST_EPT_DIRTY (HV_HC_TEST_BASE + 3)
#define HV_DIRTY_MAX_PAGES 4096U

/* HV_HC_TEST_EPT_CHECK: returns how many EPT entries are inconsistent (0: none). */
#define HV_HC_TEST_EPT_CHECK (HV_HC_TEST_BASE + 4)

/*
 * HV_HC_TEST_VMX_IPIV: RBX = HV_IPIV_*. Breaks one field of the IPI
 * virtualization hv/apic set up in the caller's VMCS (or none), so that
 * the next VM entry shows whether the CPU and hv's VM-entry checker agree
 * on the SDM's checks (Vol. 3C 27.2.1.1). After a broken one the caller
 * does not run again: hv stops it with "VM entry failed" and prints the
 * checks that fail. -HV_EOPNOTSUPP when the caller has no IPI
 * virtualization (the CPU lacks it).
 */
#define HV_HC_TEST_VMX_IPIV (HV_HC_TEST_BASE + 5)
#define HV_IPIV_VALID 0U /* nothing broken: the entry succeeds */
#define HV_IPIV_TABLE_MISALIGNED 1U /* the PID-pointer table address is not 8-byte aligned */
#define HV_IPIV_TABLE_BEYOND_WIDTH 2U /* ... sets a bit beyond the physical-address width */
#define HV_IPIV_NO_TPR_SHADOW 3U /* use TPR shadow cleared */

/*
 * HV_HC_TEST_EXIT_COUNT: RBX = a basic VM-exit reason (SDM Vol. 3C Appendix
 * C). Returns how many exits of that reason the caller's partition has
 * had so far (hv's per-reason counters, printed when it stops); -HV_EINVAL
 * for a reason beyond hv's table.
 */
#define HV_HC_TEST_EXIT_COUNT (HV_HC_TEST_BASE + 6)

#endif /* HV_PUBLIC_HYPERCALL_H */
