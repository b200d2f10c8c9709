// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for every hypercall of include/public/hypercall.h, the
 * guests', the service partition's and the test calls, through hv's own
 * dispatch (hv/core/hypercall.c) and handlers (hv/ioreq, hv/ept) in the
 * model of hv's surroundings (tests/model/hv_env.h).
 *
 * Each input runs on a fresh service partition and guest (64 KiB of RAM
 * each, the guest with 2 vCPUs and its MMIO window). The input is a
 * sequence of struct fuzz_op: a hypercall by the guest or the service
 * partition at CPL 0 or 3 (the number from hv's list or any), with four
 * arguments; the guest touching a page (an EPT fault: tables to zap, split
 * and log); the guest reading the test device's port (a request for the
 * service to complete). Beyond the sanitizers, after every call it checks:
 *  - hv wrote RAX with a value the call documents (include/public/
 *    hypercall.h; -HV_EPERM at CPL 3 or for the service's calls from a
 *    guest, -HV_ENOSYS for no call) and moved RIP past VMCALL;
 *  - a call that failed changed nothing: neither partition's RAM, the
 *    channel area, nor the guest's page types (an illegal completion may
 *    stop its guest, as documented; nothing else);
 *  - a call that succeeded had its ranges where the call allows them (in
 *    the RAM or slots of the partition concerned, without wrapping), wrote
 *    guest memory only where it returns its result (EPT_STATS, EPT_DIRTY:
 *    within that range, and only writable RAM) and changed page types only
 *    by its job (SET_PAGE_TYPE, CLAIM_PAGE_TYPE, EPT_SET_TYPE);
 *  - the guest's EPT tables agree with its slots and types (ept_check()).
 * After each input, every frame is back in the pool.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/core/cmdline.h>
#include <hv/core/epoch.h>
#include <hv/core/hypercall.h>
#include <hv/ioreq/ioreq.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/exit_reasons.h>
#include <hv/vmx/vmcs_fields.h>
#include <public/hv.h>
#include <public/hypercall.h>
#include <public/testdev.h>
#include <x86/cpu.h>

#include "../model/ept_env.h"
#include "../model/hv_env.h"
#include "fuzz_check.h"

#define RAM (64 * KiB)
#define PAGE 4096U
#define VMCALL_LEN 3U
#define RIP 0x1000ULL
#define VECTOR 0x40
#define MAX_OPS 64U

enum op_kind {
	OP_GUEST_CALL,
	OP_SERVICE_CALL,
	OP_GUEST_TOUCH, /* an EPT fault at a[0] for access a[1] */
	OP_GUEST_PORT_READ, /* IN from the test device: a request in the guest's slot */
	NR_OP_KINDS
};

struct fuzz_op {
	u8 kind; /* enum op_kind, modulo */
	u8 cpl3; /* bit 0: the call is made at CPL 3 */
	u8 number; /* < ARRAY_SIZE(numbers): that call; otherwise @raw_number */
	u8 unused[5];
	u64 raw_number;
	u64 a[4];
};

static const u64 numbers[] = {
	HV_HC_CONSOLE_WRITE,	   HV_HC_IOREQ_REGISTER,
	HV_HC_IOREQ_CLAIM_RANGE,   HV_HC_IOREQ_CLAIM_PAGE_TYPE,
	HV_HC_IOREQ_SET_PAGE_TYPE, HV_HC_IOREQ_COMPLETE,
	HV_HC_PARTITION_EXIT,	   HV_HC_TEST_EPT_STATS,
	HV_HC_TEST_EPT_ZAP,	   HV_HC_TEST_EPT_SET_TYPE,
	HV_HC_TEST_EPT_DIRTY,	   HV_HC_TEST_EPT_CHECK,
	HV_HC_IOREQ_WAIT,	   HV_HC_IOREQ_RAISE_IRQ,
	HV_HC_TEST_EXIT_COUNT,
};

static struct partition *service, *guest;

/* Everything a failed call must leave as it was. */
struct snapshot {
	u8 guest_ram[RAM], service_ram[RAM];
	u8 area[HV_IOREQ_MAX_CHANNELS * HV_IOREQ_CHANNEL_SIZE];
	u8 types[RAM / PAGE]; /* the guest's page types */
	u8 service_types[RAM / PAGE];
	enum partition_state guest_state;
};

static struct snapshot before, after;

static void take_snapshot(struct snapshot *s)
{
	u32 i;

	memcpy(s->guest_ram, hv_env_guest_ram(guest, 0), RAM);
	memcpy(s->service_ram, hv_env_guest_ram(service, 0), RAM);
	memcpy(s->area, ept_gpa_to_hva(&service->ept, HV_IOREQ_AREA_GPA, sizeof(s->area)),
	       sizeof(s->area));
	for (i = 0; i < RAM / PAGE; i++) {
		s->types[i] = (u8)ept_page_type(&guest->ept, (u64)i * PAGE);
		s->service_types[i] = (u8)ept_page_type(&service->ept, (u64)i * PAGE);
	}
	s->guest_state = guest->state;
}

static bool one_of(s64 ret, const s64 *allowed, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ret == allowed[i])
			return true;
	return false;
}

#define ALLOWED(...)                                       \
	({                                                 \
		static const s64 set_[] = { __VA_ARGS__ }; \
		one_of(ret, set_, ARRAY_SIZE(set_));       \
	})

/* include/public/hypercall.h: what each call may return when it is made at all. */
static bool documented(u64 nr, bool by_service, s64 ret)
{
	bool service_call = nr >= HV_HC_CONSOLE_WRITE && nr <= HV_HC_IOREQ_RAISE_IRQ;

	if (service_call && !by_service)
		return ret == -HV_EPERM;
	switch (nr) {
	case HV_HC_CONSOLE_WRITE:
		return ALLOWED(0, -HV_EINVAL);
	case HV_HC_IOREQ_REGISTER:
		return ALLOWED((s64)HV_IOREQ_AREA_GPA, -HV_EINVAL, -HV_EBUSY);
	case HV_HC_IOREQ_CLAIM_RANGE:
	case HV_HC_IOREQ_CLAIM_PAGE_TYPE:
		return ALLOWED(0, -HV_EINVAL, -HV_EBUSY);
	case HV_HC_IOREQ_SET_PAGE_TYPE:
		return ALLOWED(0, -HV_EPERM, -HV_EINVAL, -HV_ENOENT, -HV_ENOMEM);
	case HV_HC_IOREQ_COMPLETE:
	case HV_HC_PARTITION_EXIT:
		return ALLOWED(0, -HV_EINVAL, -HV_ENOENT);
	case HV_HC_TEST_EPT_STATS:
	case HV_HC_TEST_EPT_ZAP:
	case HV_HC_TEST_EPT_SET_TYPE:
		return ALLOWED(0, -HV_EINVAL);
	case HV_HC_TEST_EPT_DIRTY:
		return ALLOWED(0, -HV_EINVAL, -HV_EOPNOTSUPP);
	case HV_HC_TEST_EPT_CHECK:
		return ret == 0;
	case HV_HC_TEST_VMX_IPIV:
		return ALLOWED(0, -HV_EINVAL, -HV_EOPNOTSUPP);
	case HV_HC_IOREQ_WAIT:
		/* The count, or 0 while it blocks; the count then comes at its next entry. */
		return ret >= 0 || ret == -HV_EPERM;
	case HV_HC_IOREQ_RAISE_IRQ:
		return ALLOWED(0, -HV_ENOENT, -HV_EINVAL);
	case HV_HC_TEST_EXIT_COUNT:
		return ret >= 0 || ret == -HV_EINVAL;
	default:
		return ret == -HV_ENOSYS;
	}
}

/* Where a successful call may have written the caller's memory: [*gpa, *gpa + *len). */
static bool result_range(u64 nr, const u64 *a, u64 *gpa, u64 *len)
{
	if (nr == HV_HC_TEST_EPT_STATS) {
		*gpa = a[0];
		*len = sizeof(struct hv_ept_stats);
		return true;
	}
	if (nr == HV_HC_TEST_EPT_DIRTY) {
		*gpa = a[3];
		*len = ALIGN_UP(a[1], 64) / 8;
		return true;
	}
	return false;
}

/* Whether [gpa, gpa + len) lies in [start, start + size): no wrap, nothing outside. */
static bool inside(u64 gpa, u64 len, u64 start, u64 size)
{
	return gpa >= start && gpa - start <= size && len <= size - (gpa - start);
}

/* ... in the RAM of a partition, or (@slots) in any of its slots. */
static bool in_partition(bool service_partition, u64 gpa, u64 len, bool slots)
{
	if (inside(gpa, len, 0, RAM))
		return true;
	if (service_partition)
		return inside(gpa, len, HV_IOREQ_AREA_GPA,
			      HV_IOREQ_MAX_CHANNELS * HV_IOREQ_CHANNEL_SIZE);
	return slots &&
	       inside(gpa, len, HV_MMIO_WINDOW_START, HV_MMIO_WINDOW_END - HV_MMIO_WINDOW_START);
}

/* A call that succeeded: its ranges lie where hypercall.h allows them. */
static void check_ranges(u64 nr, const u64 *a, bool by_service)
{
	switch (nr) {
	case HV_HC_CONSOLE_WRITE:
		check(in_partition(true, a[0], a[1], false));
		break;
	case HV_HC_IOREQ_SET_PAGE_TYPE:
		check(a[2] && a[2] <= RAM / PAGE && in_partition(false, a[1], a[2] * PAGE, false));
		break;
	case HV_HC_TEST_EPT_STATS:
		check(in_partition(by_service, a[0], sizeof(struct hv_ept_stats), false));
		break;
	case HV_HC_TEST_EPT_ZAP:
		check(a[1] && in_partition(by_service, a[0], a[1], true));
		break;
	case HV_HC_TEST_EPT_SET_TYPE:
		check(a[1] && in_partition(by_service, a[0], a[1], false));
		break;
	case HV_HC_TEST_EPT_DIRTY:
		check(a[1] && a[1] <= RAM / PAGE &&
		      in_partition(by_service, a[0], a[1] * PAGE, false));
		check(in_partition(by_service, a[3], ALIGN_UP(a[1], 64) / 8, false));
		break;
	}
}

static void check_call(u64 nr, const u64 *a, bool by_service, bool cpl3, s64 ret)
{
	u64 gpa = 0, len = 0, i;
	u8 *caller_before = by_service ? before.service_ram : before.guest_ram;
	u8 *caller_after = by_service ? after.service_ram : after.guest_ram;

	if (cpl3)
		check(ret == -HV_EPERM);
	else
		check(documented(nr, by_service, ret));
	check(vmread(GUEST_RIP) == RIP + VMCALL_LEN);
	if (ret < 0) {
		check(!memcmp(before.guest_ram, after.guest_ram, RAM));
		check(!memcmp(before.service_ram, after.service_ram, RAM));
		check(!memcmp(before.area, after.area, sizeof(before.area)));
		check(!memcmp(before.types, after.types, sizeof(before.types)));
		check(!memcmp(before.service_types, after.service_types,
			      sizeof(before.service_types)));
		/* An illegal completion stops that guest (and says so); nothing else stops it. */
		check(before.guest_state == after.guest_state ||
		      (nr == HV_HC_IOREQ_COMPLETE && ret == -HV_EINVAL));
		return;
	}
	check_ranges(nr, a, by_service);
	/* A raised interrupt waits in its vCPU's descriptor (edge) or level set, at its vector. */
	if (nr == HV_HC_IOREQ_RAISE_IRQ) {
		const struct apic_vcpu *t = &guest->vcpus[a[2]]->apic;
		const struct vector_set *set =
			a[3] & HV_IRQ_LEVEL ? &t->level_pending : &t->pi_desc.pir;

		check(a[0] == guest->ioreq_channel && a[2] < guest->nr_vcpus);
		check(a[1] >= HV_IRQ_VECTOR_MIN && a[1] <= HV_IRQ_VECTOR_MAX);
		check(vector_set_test(set, (u8)a[1]));
	}
	/* Success: the memory written is the result's, in writable RAM (guest_mem.h). */
	result_range(nr, a, &gpa, &len);
	for (i = 0; i < RAM; i++) {
		if (caller_before[i] == caller_after[i])
			continue;
		check(i - gpa < len);
		/* The caller's own page types: a service may set its own with the test calls. */
		check((by_service ? before.service_types : before.types)[i / PAGE] ==
		      EPT_TYPE_RAM_RW);
	}
	if (by_service)
		check(!memcmp(before.guest_ram, after.guest_ram, RAM));
	else
		check(!memcmp(before.service_ram, after.service_ram, RAM));
	/* Page types change only by the calls that change them. */
	if (nr != HV_HC_IOREQ_SET_PAGE_TYPE && nr != HV_HC_IOREQ_CLAIM_PAGE_TYPE &&
	    nr != HV_HC_TEST_EPT_SET_TYPE)
		check(!memcmp(before.types, after.types, sizeof(before.types)));
	/* Only the service's own test call changes the service's. */
	if (nr != HV_HC_TEST_EPT_SET_TYPE || !by_service)
		check(!memcmp(before.service_types, after.service_types,
			      sizeof(before.service_types)));
}

static void hypercall(struct vcpu *v, u64 nr, const u64 *a, bool cpl3)
{
	bool by_service = v->partition->kind == PARTITION_SERVICE;

	hv_env_exit(v, EXIT_REASON_VMCALL, 0, RIP, VMCALL_LEN);
	if (cpl3)
		vmwrite(GUEST_SS_AR_BYTES, vmread(GUEST_SS_AR_BYTES) | (3U << SEG_AR_DPL_SHIFT));
	v->gpr[GPR_RAX] = nr;
	v->gpr[GPR_RBX] = a[0];
	v->gpr[GPR_RCX] = a[1];
	v->gpr[GPR_RDX] = a[2];
	v->gpr[GPR_RSI] = a[3];
	take_snapshot(&before);
	hypercall_handle(v);
	take_snapshot(&after);
	check_call(nr, a, by_service, cpl3, (s64)v->gpr[GPR_RAX]);
	check(ept_check(&guest->ept) == 0);
	check(ept_check(&service->ept) == 0);
}

static void run_op(const struct fuzz_op *op)
{
	u64 nr = op->number < ARRAY_SIZE(numbers) ? numbers[op->number] : op->raw_number;
	struct vcpu *gv = guest->vcpus[op->a[3] & 1];

	switch (op->kind % NR_OP_KINDS) {
	case OP_GUEST_CALL:
		/* A stopped guest's vCPUs run no more. */
		if (guest->state == PARTITION_RUNNING && gv->state == VCPU_RUNNABLE)
			hypercall(gv, nr, op->a, op->cpl3 & 1);
		break;
	case OP_SERVICE_CALL:
		/* Blocked in HV_HC_IOREQ_WAIT, it runs again once it has work. */
		if (service->vcpus[0]->state == VCPU_RUNNABLE)
			hypercall(service->vcpus[0], nr, op->a, op->cpl3 & 1);
		break;
	case OP_GUEST_TOUCH:
		if (guest->state == PARTITION_RUNNING)
			ept_fault(&guest->ept, op->a[0] % (RAM + 2 * PAGE),
				  op->a[1] & EPT_ACCESS_MASK, NULL);
		check(ept_check(&guest->ept) == 0);
		break;
	default:
		if (guest->state != PARTITION_RUNNING || gv->state != VCPU_RUNNABLE)
			break;
		hv_env_exit(gv, EXIT_REASON_IO_INSTRUCTION,
			    BIT(3) | ((u64)(HV_TESTDEV_PORT + (op->a[0] & 15)) << 16) |
				    (op->a[1] & 1 ? 3 : 0),
			    RIP, 2);
		ioreq_handle_pio(gv, vmread(EXIT_QUALIFICATION));
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	static u64 free_at_start;
	size_t i, n = MIN(size / sizeof(struct fuzz_op), MAX_OPS);
	struct epoch_stats e;

	if (!ready) {
		hv_env_reset();
		vmx_caps.ept_2m = true;
		vmx_caps.ept_ad = true;
		hv_options.testing = true;
		hv_env_ram_size = RAM;
		/* The channel area is allocated once and kept (the partition hook of hv/ioreq). */
		hv_env_partition_free(hv_env_partition("service", PARTITION_SERVICE, 1));
		free_at_start = ept_env_nr_free();
		ready = true;
	}
	hv_env_clear_log();
	service = hv_env_partition("service", PARTITION_SERVICE, 1);
	guest = hv_env_partition("guest", PARTITION_GUEST, 2);
	guest->vcpus[1]->state = VCPU_WAIT_FOR_SIPI;
	/* Both APICs software-enabled (SVR bit 8): they accept the interrupts the service raises. */
	for (i = 0; i < guest->nr_vcpus; i++)
		guest->vcpus[i]->apic.page[0xf0 / 4] |= BIT(8);
	/* The service as it starts: registered, the test device's port claimed. */
	check(ioreq_hc_register(service->vcpus[0], VECTOR, 0, 0, 0) == (s64)HV_IOREQ_AREA_GPA);
	check(ioreq_hc_claim_range(service->vcpus[0], HV_IOREQ_PIO, HV_TESTDEV_PORT, 16, 0) == 0);

	for (i = 0; i < n; i++) {
		struct vcpu *sv = service->vcpus[0];
		struct fuzz_op op;

		memcpy(&op, data + i * sizeof(op), sizeof(op));
		run_op(&op);
		/* Woken from HV_HC_IOREQ_WAIT: the entry gives it the count, which moved on. */
		if (sv->state == VCPU_RUNNABLE && sv->requests) {
			hv_env_enter(sv);
			check((s64)sv->gpr[GPR_RAX] > 0);
		}
	}

	hv_env_partition_free(guest);
	hv_env_partition_free(service);
	epoch_synchronize(BIT(0));
	epoch_reclaim();
	epoch_get_stats(&e);
	check(e.pending == 0);
	check(ept_env_nr_free() == free_at_start);
	return 0;
}
