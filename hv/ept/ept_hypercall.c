// SPDX-License-Identifier: GPL-2.0
/* The EPT test hypercalls (include/public/hypercall.h): hv/ept's state, seen from a guest. */
#include <hv/core/epoch.h>
#include <hv/core/hypercall.h>
#include <hv/core/frame.h>
#include <hv/ioreq/guest_mem.h>
#include <hv/vmx/caps.h>
#include <public/hypercall.h>

static struct ept *ept_of(struct vcpu *v)
{
	return &v->partition->ept;
}

s64 ept_hc_stats(struct vcpu *v, u64 gpa, u64 a1, u64 a2, u64 a3)
{
	const struct ept_stats *s = &ept_of(v)->stats;
	struct epoch_stats e;
	struct hv_ept_stats out;

	epoch_get_stats(&e);
	out = (struct hv_ept_stats){
		.faults_4k = READ_ONCE(s->faults_4k),
		.faults_2m = READ_ONCE(s->faults_2m),
		.faults_1g = READ_ONCE(s->faults_1g),
		.spurious = READ_ONCE(s->spurious),
		.retries = READ_ONCE(s->retries),
		.splits = READ_ONCE(s->splits),
		.zaps = READ_ONCE(s->zaps),
		.tables = READ_ONCE(s->tables),
		.tables_retired = READ_ONCE(s->tables_retired),
		.pending_free = e.pending,
		.freed = e.freed,
		.max_page_size = PAGE_SIZE << (9 * (ept_of(v)->max_level - 1)),
	};
	return guest_mem_write_gpa(ept_of(v), gpa, &out, sizeof(out)) ? -HV_EINVAL : 0;
}

s64 ept_hc_zap(struct vcpu *v, u64 gpa, u64 size, u64 a2, u64 a3)
{
	return ept_zap(ept_of(v), gpa, size) ? -HV_EINVAL : 0;
}

s64 ept_hc_set_type(struct vcpu *v, u64 gpa, u64 size, u64 type, u64 a3)
{
	enum ept_page_type t;

	if (type == HV_PAGE_RAM)
		t = EPT_TYPE_RAM_RW;
	else if (type == HV_PAGE_RAM_RO)
		t = EPT_TYPE_RAM_RO;
	else
		return -HV_EINVAL;
	return ept_set_type(ept_of(v), gpa, size, t) ? -HV_EINVAL : 0;
}

s64 ept_hc_dirty(struct vcpu *v, u64 gpa, u64 nr_pages, u64 clear, u64 bitmap_gpa)
{
	u64 bitmap[HV_DIRTY_MAX_PAGES / 64];
	struct guest_mem_result res;
	u64 bitmap_len = ALIGN_UP(nr_pages, 64) / 8;

	if (!vmx_caps.ept_ad)
		return -HV_EOPNOTSUPP;
	/* The bitmap's place first: a failed call must not have cleared anything. */
	if (!nr_pages || nr_pages > HV_DIRTY_MAX_PAGES || clear > 1 ||
	    guest_mem_check_gpa(ept_of(v), bitmap_gpa, bitmap_len, GUEST_ACCESS_WRITE, &res) ||
	    ept_dirty_log(ept_of(v), gpa, nr_pages, bitmap, clear))
		return -HV_EINVAL;
	return guest_mem_write_gpa(ept_of(v), bitmap_gpa, bitmap, bitmap_len) ? -HV_EINVAL : 0;
}

s64 ept_hc_check(struct vcpu *v, u64 a0, u64 a1, u64 a2, u64 a3)
{
	return (s64)ept_check(ept_of(v));
}
