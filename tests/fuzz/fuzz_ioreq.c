// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for hv/ioreq's channel and claims. The input is struct
 * fuzz_head (little-endian, packed): a request hv sends, which fields of
 * the slot the service left as hv posted them, the slot's bytes, and the
 * ring's pointers; then operations of struct fuzz_op on the ring and the
 * claims, as a service partition may issue them or leave them behind.
 *
 * Slot and ring are heap blocks of exactly their size, so ASan sees any
 * access outside them. Beyond the sanitizers, it checks:
 *  - ioreq_post() succeeds exactly for a valid request into a NONE slot,
 *    and then the slot holds the request; otherwise the slot is unchanged;
 *  - ioreq_take_response() succeeds exactly when the slot is
 *    RESPONSE_READY, the fields only hv writes are hv's, and the data is a
 *    legal answer; the result then has no bit above count * size bytes and
 *    only the state changed (to NONE); a failure names why and changes
 *    nothing;
 *  - ioreq_ring_push() pushes only while write - read < ENTRIES, writes
 *    exactly entry (write % ENTRIES) and write_pointer, and otherwise
 *    nothing;
 *  - every claim, lookup and page-type call returns what a model computed
 *    with 128-bit ends says, and leaves the claims as the model does: they
 *    never overlap and stay inside their space.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/ioreq/channel.h>
#include <hv/ioreq/claims.h>
#include <public/hypercall.h>
#include "fuzz_check.h"

#define WIN_START 0xc0000000ULL
#define WIN_END 0xfec00000ULL
#define MAX_OPS 256U

typedef unsigned __int128 u128;

/* Bits of fuzz_head.as_posted: which slot fields the service left as hv posted them. */
#define AS_POSTED_ADDR BIT(0)
#define AS_POSTED_DATA BIT(1)
#define AS_POSTED_COUNT BIT(2)
#define AS_POSTED_SIZE BIT(3)
#define AS_POSTED_DIR BIT(4)
#define AS_POSTED_KIND BIT(5)
#define AS_POSTED_SEQ BIT(6)
#define AS_POSTED_RESERVED BIT(7)
#define AS_POSTED_STATE BIT(8) /* the service's own step: RESPONSE_READY */

struct fuzz_head {
	u64 addr, data; /* the request: struct ioreq_sent */
	u32 count, seq;
	u8 size, dir, kind;
	u16 as_posted;
	struct hv_ioreq slot;
	u32 read_pointer, write_pointer;
} __packed;

enum fuzz_op_code {
	OP_PUSH, /* hv pushes { a, b } with size, kind and vCPU from the op's high bits */
	OP_CONSUME, /* the service reads a % (ENTRIES + 2) entries, sanely or not */
	OP_SET_READ, /* the service writes read_pointer = a */
	OP_SET_WRITE, /* the service scribbles over hv's write_pointer = a */
	OP_CLAIM_RANGE, /* kind a & 3, flags (a >> 2) & 3, size a >> 8, start b */
	OP_FIND_RANGE, /* kind a & 3, len a >> 8, addr b */
	OP_CLAIM_PAGE_TYPE, /* flags a */
	OP_PAGE_TYPE_CHANGE, /* from a % 8, to b % 8 */
};

struct fuzz_op {
	u8 code; /* bits 2:0 enum fuzz_op_code, the rest its argument */
	u64 a, b;
} __packed;

static u64 mask_of(u32 bytes)
{
	return bytes >= 8 ? ~0ULL : BIT(8 * bytes) - 1;
}

/* What ioreq_take_response() relies on in a request ioreq_post() accepted. */
static void check_valid_request(const struct ioreq_sent *req)
{
	check(req->kind == HV_IOREQ_PIO || req->kind == HV_IOREQ_MMIO || req->kind == HV_IOREQ_WP);
	check(req->dir == HV_IOREQ_DIR_READ || req->dir == HV_IOREQ_DIR_WRITE);
	check(req->size == 1 || req->size == 2 || req->size == 4 || req->size == 8);
	check(req->count >= 1 && (u64)req->count * req->size <= 8);
	check(req->count == 1 || req->kind == HV_IOREQ_PIO);
	check(req->kind != HV_IOREQ_WP || req->dir == HV_IOREQ_DIR_WRITE);
	check(req->dir == HV_IOREQ_DIR_READ || !(req->data & ~mask_of(req->count * req->size)));
}

/* The slot as ioreq_post() leaves it, in state @state. */
static struct hv_ioreq posted(const struct ioreq_sent *req, u8 state)
{
	return (struct hv_ioreq){
		.addr = req->addr,
		.data = req->dir == HV_IOREQ_DIR_WRITE ? req->data : 0,
		.count = req->count,
		.size = req->size,
		.dir = req->dir,
		.kind = req->kind,
		.state = state,
		.seq = req->seq,
	};
}

static void fuzz_post(const struct fuzz_head *h, const struct ioreq_sent *req, bool valid)
{
	struct hv_ioreq *slot = malloc(sizeof(*slot)), expected;
	int ret;

	memcpy(slot, &h->slot, sizeof(*slot));
	ret = ioreq_post(slot, req);
	check(ret == 0 || ret == -1);
	check((ret == 0) == (valid && h->slot.state == HV_IOREQ_STATE_NONE));
	expected = ret ? h->slot : posted(req, HV_IOREQ_STATE_READY);
	check(!memcmp(slot, &expected, sizeof(expected)));
	free(slot);
}

static bool legal_answer(const struct ioreq_sent *req, u64 data)
{
	if (req->kind == HV_IOREQ_WP)
		return data == HV_IOREQ_WP_DROP || data == HV_IOREQ_WP_APPLY;
	if (req->dir == HV_IOREQ_DIR_WRITE)
		return data == req->data;
	return !(data & ~mask_of(req->count * req->size));
}

static void fuzz_take(const struct fuzz_head *h, const struct ioreq_sent *req)
{
	struct hv_ioreq want = posted(req, HV_IOREQ_STATE_RESPONSE_READY), left = h->slot;
	struct hv_ioreq *slot = malloc(sizeof(*slot));
	const char *why = NULL;
	u64 result = 0;
	bool legal;
	int ret;

	/* The service's slot: each field either as hv posted it or the input's bytes. */
	if (h->as_posted & AS_POSTED_ADDR)
		left.addr = want.addr;
	if (h->as_posted & AS_POSTED_DATA)
		left.data = want.data;
	if (h->as_posted & AS_POSTED_COUNT)
		left.count = want.count;
	if (h->as_posted & AS_POSTED_SIZE)
		left.size = want.size;
	if (h->as_posted & AS_POSTED_DIR)
		left.dir = want.dir;
	if (h->as_posted & AS_POSTED_KIND)
		left.kind = want.kind;
	if (h->as_posted & AS_POSTED_SEQ)
		left.seq = want.seq;
	if (h->as_posted & AS_POSTED_RESERVED)
		left.reserved = 0;
	if (h->as_posted & AS_POSTED_STATE)
		left.state = HV_IOREQ_STATE_RESPONSE_READY;

	legal = left.state == HV_IOREQ_STATE_RESPONSE_READY && left.addr == want.addr &&
		left.count == want.count && left.size == want.size && left.dir == want.dir &&
		left.kind == want.kind && left.seq == want.seq && !left.reserved &&
		legal_answer(req, left.data);

	memcpy(slot, &left, sizeof(*slot));
	ret = ioreq_take_response(slot, req, &result, &why);
	check(ret == 0 || ret == -1);
	check((ret == 0) == legal);
	if (ret) {
		check(why && *why);
		check(!memcmp(slot, &left, sizeof(left)));
	} else {
		check(!(result & ~mask_of(req->count * req->size)));
		if (req->kind == HV_IOREQ_WP)
			check(result == left.data);
		else
			check(result == (req->dir == HV_IOREQ_DIR_READ ? left.data : 0));
		left.state = HV_IOREQ_STATE_NONE;
		check(!memcmp(slot, &left, sizeof(left)));
	}
	free(slot);
}

/* The ring and what it must hold, side by side. */
static struct hv_ioreq_ring *ring, model;

static void op_push(u8 arg, u64 a, u64 b)
{
	struct hv_ioreq_ring_entry e = {
		.addr = a,
		.data = b,
		.size = 1U << (arg & 3),
		.kind = (arg >> 2) & 1,
		.vcpu = arg >> 3,
		.reserved = ~0U, /* hv writes 0 whatever the caller's entry holds */
	};
	u32 used = model.write_pointer - model.read_pointer;
	enum ioreq_ring_result ret;

	ret = ioreq_ring_push(ring, &e);
	if (used < HV_IOREQ_RING_ENTRIES) {
		check(ret == IOREQ_RING_PUSHED);
		e.reserved = 0;
		model.entries[model.write_pointer % HV_IOREQ_RING_ENTRIES] = e;
		model.write_pointer++;
	} else {
		check(ret == (used == HV_IOREQ_RING_ENTRIES ? IOREQ_RING_FULL : IOREQ_RING_BROKEN));
	}
	check(!memcmp(ring, &model, sizeof(model)));
}

static struct ioreq_claims claims, claims_model;

static bool claim_args_valid(u32 kind, u64 start, u64 size, u32 flags)
{
	u128 end = (u128)start + size;

	if (flags & ~HV_IOREQ_CLAIM_BUFFERED || !size)
		return false;
	if (kind == HV_IOREQ_PIO)
		return end <= 0x10000;
	if (kind == HV_IOREQ_MMIO)
		return !(start & 0xfff) && !(size & 0xfff) && start >= WIN_START && end <= WIN_END;
	return false;
}

static struct ioreq_range *table_of(struct ioreq_claims *c, u32 kind, u32 **nr)
{
	if (kind == HV_IOREQ_PIO) {
		*nr = &c->nr_pio;
		return c->pio;
	}
	*nr = &c->nr_mmio;
	return c->mmio;
}

static void op_claim_range(u64 a, u64 b)
{
	u32 kind = a & 3, flags = (a >> 2) & 3, *nr, i;
	u64 start = b, size = a >> 8;
	struct ioreq_range *table;
	int ret = ioreq_claim_range(&claims, kind, start, size, flags, WIN_START, WIN_END);
	int expected = 0;

	if (!claim_args_valid(kind, start, size, flags)) {
		expected = -HV_EINVAL;
	} else {
		table = table_of(&claims_model, kind, &nr);
		for (i = 0; i < *nr; i++) {
			if ((u128)start + size > table[i].start && start < table[i].end)
				expected = -HV_EBUSY;
		}
		if (*nr == IOREQ_MAX_RANGES)
			expected = -HV_EBUSY;
		if (!expected) {
			table[*nr] = (struct ioreq_range){ start, start + size, flags };
			(*nr)++;
			/* claims.h: each port of a PIO claim names it, 1 + its index. */
			if (kind == HV_IOREQ_PIO)
				memset(&claims_model.pio_claim[start], (int)*nr, size);
		}
	}
	check(ret == expected);
	check(!memcmp(&claims, &claims_model, sizeof(claims)));
}

static void op_find_range(u64 a, u64 b)
{
	u32 kind = a & 3, *nr, i;
	u64 addr = b, len = a >> 8;
	const struct ioreq_range *r = ioreq_find_range(&claims, kind, addr, len), *holder = NULL;
	struct ioreq_range *table;

	if (kind == HV_IOREQ_PIO || kind == HV_IOREQ_MMIO) {
		table = table_of(&claims, kind, &nr);
		for (i = 0; i < *nr; i++) {
			if (addr >= table[i].start && addr < table[i].end &&
			    (u128)addr + len <= table[i].end)
				holder = &table[i];
		}
	}
	/* Claims never overlap: at most one range holds an access. */
	check(r == holder);
}

static void op_claim_page_type(u64 a)
{
	u32 flags = (u32)a, claimed = claims_model.page_type_flags;
	int ret = ioreq_claim_page_type(&claims, flags), expected;

	if (flags & ~HV_IOREQ_FORWARD_WRITES)
		expected = -HV_EINVAL;
	else if (!flags)
		expected = claimed ? 0 : -HV_EINVAL;
	else
		expected = claimed ? -HV_EBUSY : 0;
	if (!expected)
		claims_model.page_type_flags = flags;
	check(ret == expected);
	check(!memcmp(&claims, &claims_model, sizeof(claims)));
}

static void op_page_type_change(u64 a, u64 b)
{
	enum ept_page_type from = a % 8, to = b % 8;
	int ret = ioreq_page_type_change(&claims, from, to);
	bool from_ok = from == EPT_TYPE_RAM_RW || from == EPT_TYPE_IOREQ;
	bool to_ok = to == EPT_TYPE_RAM_RW || to == EPT_TYPE_IOREQ;

	if (!claims.page_type_flags)
		check(ret == -HV_EPERM);
	else
		check(ret == (from_ok && to_ok ? 0 : -HV_EINVAL));
}

static void run_op(const struct fuzz_op *op)
{
	u8 arg = op->code >> 3;

	switch ((enum fuzz_op_code)(op->code & 7)) {
	case OP_PUSH:
		op_push(arg, op->a, op->b);
		break;
	case OP_CONSUME:
		ring->read_pointer += op->a % (HV_IOREQ_RING_ENTRIES + 2);
		model.read_pointer = ring->read_pointer;
		break;
	case OP_SET_READ:
		ring->read_pointer = model.read_pointer = (u32)op->a;
		break;
	case OP_SET_WRITE:
		ring->write_pointer = model.write_pointer = (u32)op->a;
		break;
	case OP_CLAIM_RANGE:
		op_claim_range(op->a, op->b);
		break;
	case OP_FIND_RANGE:
		op_find_range(op->a, op->b);
		break;
	case OP_CLAIM_PAGE_TYPE:
		op_claim_page_type(op->a);
		break;
	case OP_PAGE_TYPE_CHANGE:
		op_page_type_change(op->a, op->b);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_head h;
	struct ioreq_sent req;
	size_t i, nr_ops;
	bool valid;

	if (size < sizeof(h))
		return 0;
	memcpy(&h, data, sizeof(h));
	req = (struct ioreq_sent){ .addr = h.addr,
				   .data = h.data,
				   .count = h.count,
				   .size = h.size,
				   .dir = h.dir,
				   .kind = h.kind,
				   .seq = h.seq };

	valid = ioreq_request_valid(&req);
	if (valid)
		check_valid_request(&req);
	fuzz_post(&h, &req, valid);
	/* hv judges responses only to requests it could post. */
	if (valid)
		fuzz_take(&h, &req);

	ring = malloc(sizeof(*ring));
	memset(&model, 0x5a, sizeof(model));
	model.read_pointer = h.read_pointer;
	model.write_pointer = h.write_pointer;
	memcpy(ring, &model, sizeof(model));
	memset(&claims, 0, sizeof(claims));
	memset(&claims_model, 0, sizeof(claims_model));

	nr_ops = MIN((size - sizeof(h)) / sizeof(struct fuzz_op), MAX_OPS);
	for (i = 0; i < nr_ops; i++) {
		struct fuzz_op op;

		memcpy(&op, data + sizeof(h) + i * sizeof(op), sizeof(op));
		run_op(&op);
	}
	free(ring);
	return 0;
}
