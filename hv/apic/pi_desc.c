// SPDX-License-Identifier: GPL-2.0
/* Posted-interrupt descriptors and the PID-pointer table (pi_desc.h). */
#include <hv/apic/pi_desc.h>

void pi_desc_init(struct pi_desc *d, u8 nv, u32 ndst)
{
	u32 i;

	for (i = 0; i < VECTOR_WORDS; i++)
		WRITE_ONCE(d->pir.w[i], 0);
	d->software[0] = d->software[1] = d->software[2] = 0;
	__atomic_store_n(&d->control,
			 ((u64)ndst << PI_DESC_NDST_SHIFT) | ((u64)nv << PI_DESC_NV_SHIFT),
			 __ATOMIC_SEQ_CST);
}

bool pi_desc_post(struct pi_desc *d, u8 vector, u8 *nv)
{
	u64 old;

	/* Locked RMWs, as the CPU's (30.1.6): the receiver may be taking PIR now. */
	__atomic_fetch_or(&d->pir.w[vector / 64], BIT(vector % 64), __ATOMIC_SEQ_CST);
	old = __atomic_load_n(&d->control, __ATOMIC_SEQ_CST);
	do {
		if (old & (PI_DESC_ON | PI_DESC_SN))
			return false;
	} while (!__atomic_compare_exchange_n(&d->control, &old, old | PI_DESC_ON, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	*nv = pi_desc_nv(old);
	return true;
}

int pi_desc_take(struct pi_desc *d, struct vector_set *irr)
{
	int highest = -1;
	u32 i;

	/* ON first: a sender that posts after this notifies again. */
	__atomic_fetch_and(&d->control, ~PI_DESC_ON, __ATOMIC_SEQ_CST);
	for (i = 0; i < VECTOR_WORDS; i++) {
		u64 bits;

		if (!READ_ONCE(d->pir.w[i]))
			continue;
		bits = __atomic_exchange_n(&d->pir.w[i], 0, __ATOMIC_SEQ_CST);
		irr->w[i] |= bits;
		if (bits)
			highest = (int)(i * 64 + 63 - __builtin_clzll(bits));
	}
	return highest;
}

bool pi_desc_pending(const struct pi_desc *d)
{
	u32 i;

	for (i = 0; i < VECTOR_WORDS; i++)
		if (__atomic_load_n(&d->pir.w[i], __ATOMIC_SEQ_CST))
			return true;
	return false;
}

u64 pi_desc_set_notification(struct pi_desc *d, u8 nv)
{
	u64 old = __atomic_load_n(&d->control, __ATOMIC_SEQ_CST), new;

	do {
		new = (old & ~(PI_DESC_NV_MASK | PI_DESC_SN)) | ((u64)nv << PI_DESC_NV_SHIFT);
	} while (!__atomic_compare_exchange_n(&d->control, &old, new, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	return old;
}

u64 pid_table_lookup(const u64 *table, u32 last_index, u32 id, u32 pa_bits)
{
	u64 entry;

	if (id > last_index)
		return 0;
	entry = READ_ONCE(table[id]);
	if (!(entry & PID_TABLE_ENTRY_VALID) || (entry & PID_TABLE_ENTRY_RESERVED) ||
	    (pa_bits < 64 && (entry >> pa_bits)))
		return 0;
	return entry & ~(u64)(PID_TABLE_ENTRY_VALID | PID_TABLE_ENTRY_RESERVED);
}

int vector_set_highest(const struct vector_set *s)
{
	int i;

	for (i = VECTOR_WORDS - 1; i >= 0; i--)
		if (s->w[i])
			return i * 64 + 63 - __builtin_clzll(s->w[i]);
	return -1;
}
