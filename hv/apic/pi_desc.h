/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Posted-interrupt descriptors and the PID-pointer table (SDM Vol. 3C
 * 30.6, 30.1.6): the data structures every interrupt sent to a vCPU goes
 * through, on every CPU. A sender sets the vector's bit in the target's
 * posted-interrupt requests (PIR) and, unless a notification is
 * outstanding (ON) or suppressed (SN), sets ON and notifies: the CPU's
 * IPI virtualization does exactly this for the ICR writes it virtualizes,
 * hv's own sender path the same for everything else (hv/apic/apic.c
 * says how it notifies). The target's CPU moves PIR into the virtual
 * APIC's IRR: posted-interrupt processing in the CPU, or hv before the
 * vCPU's next entry.
 *
 * Pure logic on memory: builds into hv and into the host tests.
 */
#ifndef HV_APIC_PI_DESC_H
#define HV_APIC_PI_DESC_H

#include <types.h>

#define NR_VECTORS 256U
#define VECTOR_WORDS (NR_VECTORS / 64) /* 256 bits as u64 words */

/* A 256-bit set of vectors, bit v for vector v, as PIR, IRR and the EOI-exit bitmap hold them. */
struct vector_set {
	u64 w[VECTOR_WORDS];
};

/*
 * A posted-interrupt descriptor (SDM Vol. 3C 30.6, Table 30-1): 64 bytes,
 * 64-byte aligned (27.2.1.1). The notification information is one 64-bit
 * word so that ON, SN, NV and NDST change together with one
 * compare-and-exchange, as the CPU's own update does (30.1.6).
 */
struct pi_desc {
	struct vector_set pir; /* bits 255:0: posted-interrupt requests */
	u64 control; /* bits 319:256: PI_DESC_ON, PI_DESC_SN, NV, NDST */
	u64 software[3]; /* bits 511:320: available to software; hv leaves them 0 */
} __aligned(64);

_Static_assert(sizeof(struct pi_desc) == 64, "SDM Vol. 3C 30.6: 64 bytes");

#define PI_DESC_ON BIT(0) /* outstanding notification */
#define PI_DESC_SN BIT(1) /* suppress notification */
#define PI_DESC_NV_SHIFT 16 /* bits 23:16: notification vector */
#define PI_DESC_NV_MASK GENMASK(23, 16)
#define PI_DESC_NDST_SHIFT 32 /* bits 63:32: notification destination, a physical APIC ID */

static inline u8 pi_desc_nv(u64 control)
{
	return (u8)((control & PI_DESC_NV_MASK) >> PI_DESC_NV_SHIFT);
}

/* A notification destination as NDST holds it: bits 15:8 in xAPIC mode (30.6). */
static inline u32 pi_desc_ndst(u32 physical_apic_id, bool x2apic)
{
	return x2apic ? physical_apic_id : physical_apic_id << 8;
}

/* A descriptor nobody has posted to: notifications go to @ndst with vector @nv. */
void pi_desc_init(struct pi_desc *d, u8 nv, u32 ndst);

/*
 * The sender's half (30.1.6's pseudocode, as IPI virtualization does it):
 * PIR[@vector] := 1, then, if ON and SN are both 0, ON := 1. Returns true
 * when the caller must send the notification, with its vector in *@nv
 * (read in the same update that set ON). Any CPU.
 */
bool pi_desc_post(struct pi_desc *d, u8 vector, u8 *nv);

/*
 * The receiver's half: clears ON, then takes every PIR bit (each 64-bit
 * word exchanged with 0, as posted-interrupt processing does, 30.6) and
 * ORs them into @irr. Returns the highest vector taken, or -1 if none.
 */
int pi_desc_take(struct pi_desc *d, struct vector_set *irr);

/* Whether anything is posted (a PIR bit is set). */
bool pi_desc_pending(const struct pi_desc *d);

/*
 * Sets the notification vector (the running vector or the wakeup vector)
 * and clears SN (hv never suppresses notifications: hv/apic/apic.c,
 * apic_switch_in()); returns the control word as it was. Any CPU:
 * senders may be updating ON at the same time.
 */
u64 pi_desc_set_notification(struct pi_desc *d, u8 nv);

/*
 * The PID-pointer table (30.1.6): entry i, for virtual APIC ID i, is the
 * physical address of that vCPU's descriptor with bit 0 set (valid).
 */
#define PID_TABLE_ENTRY_VALID BIT(0)
/* Bits 5:1 of an entry must be 0 (a 64-byte aligned address, 30.1.6). */
#define PID_TABLE_ENTRY_RESERVED GENMASK(5, 1)

static inline u64 pid_table_entry(u64 desc_pa)
{
	return desc_pa | PID_TABLE_ENTRY_VALID;
}

/*
 * The descriptor's physical address for virtual APIC ID @id, as the CPU's
 * IPI virtualization finds it in @table with @last_index (the VMCS's
 * LAST_PID_POINTER_INDEX), or 0 when it would not post (an ID beyond the
 * table, an entry that is not valid, with reserved bits set, or beyond
 * the physical-address width @pa_bits): the CPU then makes the ICR write
 * an APIC-write VM exit, hv's sender drops the IPI (no such processor).
 */
u64 pid_table_lookup(const u64 *table, u32 last_index, u32 id, u32 pa_bits);

/* The highest vector in @s, or -1 if it is empty. */
int vector_set_highest(const struct vector_set *s);

static inline bool vector_set_test(const struct vector_set *s, u8 vector)
{
	return s->w[vector / 64] & BIT(vector % 64);
}

#endif /* HV_APIC_PI_DESC_H */
