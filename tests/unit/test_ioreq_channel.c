// SPDX-License-Identifier: GPL-2.0
/*
 * hv's side of the ioreq channel (hv/ioreq/channel.c): the slot's state
 * machine, the checks of the service's responses, and the buffered ring,
 * against the rules of include/public/ioreq.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <hv/ioreq/channel.h>

#define PORT 0x4000U
#define GPA 0xfe000010ULL
#define SEQ 0x1234U
#define WRITE_PATTERN 0x8877665544332211ULL
#define GARBAGE 0xa5

static u64 mask_of(u32 bytes)
{
	return bytes >= 8 ? ~0ULL : (1ULL << (8 * bytes)) - 1;
}

static struct ioreq_sent request(u8 kind, u8 dir, u8 size, u32 count)
{
	struct ioreq_sent req = {
		.addr = kind == HV_IOREQ_PIO ? PORT : GPA,
		.count = count,
		.size = size,
		.dir = dir,
		.kind = kind,
		.seq = SEQ,
	};

	if (dir == HV_IOREQ_DIR_WRITE)
		req.data = kind == HV_IOREQ_WP ? 0x42 : WRITE_PATTERN & mask_of(count * size);
	return req;
}

/* Every request shape the ABI allows: string port I/O packs up to 8 / size items. */
static size_t legal_requests(struct ioreq_sent *out)
{
	static const u8 pio_sizes[] = { 1, 2, 4 }, mem_sizes[] = { 1, 2, 4, 8 };
	static const u8 dirs[] = { HV_IOREQ_DIR_WRITE, HV_IOREQ_DIR_READ };
	size_t n = 0, d, s;
	u32 count;

	for (d = 0; d < ARRAY_SIZE(dirs); d++) {
		for (s = 0; s < ARRAY_SIZE(pio_sizes); s++) {
			for (count = 1; count <= 8U / pio_sizes[s]; count++)
				out[n++] = request(HV_IOREQ_PIO, dirs[d], pio_sizes[s], count);
		}
		for (s = 0; s < ARRAY_SIZE(mem_sizes); s++)
			out[n++] = request(HV_IOREQ_MMIO, dirs[d], mem_sizes[s], 1);
	}
	for (s = 0; s < ARRAY_SIZE(mem_sizes); s++)
		out[n++] = request(HV_IOREQ_WP, HV_IOREQ_DIR_WRITE, mem_sizes[s], 1);
	return n;
}

#define NR_LEGAL 40U /* PIO: 2 dirs * (8 + 4 + 2 counts); MMIO: 2 * 4 sizes; WP: 4 */

static bool same_shape(const struct ioreq_sent *a, const struct ioreq_sent *b)
{
	return a->kind == b->kind && a->dir == b->dir && a->size == b->size && a->count == b->count;
}

/* A slot full of junk in state @state, as a service may leave it. */
static void garbage_slot(struct hv_ioreq *slot, u8 state)
{
	memset(slot, GARBAGE, sizeof(*slot));
	slot->state = state;
}

/* A posted request, answered with @data as a well-behaved service answers. */
static void post_and_respond(struct hv_ioreq *slot, const struct ioreq_sent *req, u64 data)
{
	memset(slot, 0, sizeof(*slot));
	assert_int_equal(ioreq_post(slot, req), 0);
	slot->data = data;
	slot->state = HV_IOREQ_STATE_RESPONSE_READY;
}

/* Completes @slot expecting a refusal with @why_expected and @value; the slot stays as it was. */
static void assert_refused(struct hv_ioreq *slot, const struct ioreq_sent *req,
			   const char *why_expected, u64 value)
{
	struct hv_ioreq before = *slot;
	const char *why = NULL;
	u64 result = ~value;

	assert_int_equal(ioreq_take_response(slot, req, &result, &why), -1);
	assert_non_null(why);
	assert_string_equal(why, why_expected);
	assert_int_equal(result, value);
	assert_memory_equal(slot, &before, sizeof(before));
}

static void post_into_none_holds_exactly_the_request_then_ready(void **state)
{
	struct ioreq_sent reqs[NR_LEGAL];
	size_t i, n = legal_requests(reqs);

	for (i = 0; i < n; i++) {
		struct hv_ioreq slot;
		const struct ioreq_sent *req = &reqs[i];

		garbage_slot(&slot, HV_IOREQ_STATE_NONE);
		assert_int_equal(ioreq_post(&slot, req), 0);
		assert_int_equal(slot.state, HV_IOREQ_STATE_READY);
		assert_int_equal(slot.addr, req->addr);
		assert_int_equal(slot.data, req->data);
		assert_int_equal(slot.count, req->count);
		assert_int_equal(slot.size, req->size);
		assert_int_equal(slot.dir, req->dir);
		assert_int_equal(slot.kind, req->kind);
		assert_int_equal(slot.seq, req->seq);
		assert_int_equal(slot.reserved, 0);
	}
}

static void post_of_a_read_sends_no_data(void **state)
{
	struct ioreq_sent req = request(HV_IOREQ_MMIO, HV_IOREQ_DIR_READ, 4, 1);
	struct hv_ioreq slot;

	req.data = 0xdeadbeefcafef00dULL; /* whatever hv's variable held */
	garbage_slot(&slot, HV_IOREQ_STATE_NONE);
	assert_int_equal(ioreq_post(&slot, &req), 0);
	assert_int_equal(slot.data, 0);
}

static void post_into_a_slot_not_none_fails_and_leaves_it(void **state)
{
	static const u8 states[] = { HV_IOREQ_STATE_READY,
				     HV_IOREQ_STATE_IN_PROCESS,
				     HV_IOREQ_STATE_RESPONSE_READY,
				     4,
				     0x80,
				     0xff };
	struct ioreq_sent req = request(HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE, 1, 1);
	struct hv_ioreq slot, before;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(states); i++) {
		garbage_slot(&slot, states[i]);
		before = slot;
		assert_int_equal(ioreq_post(&slot, &req), -1);
		assert_memory_equal(&slot, &before, sizeof(slot));
	}
}

static void post_of_an_invalid_request_fails_and_leaves_the_slot(void **state)
{
	struct ioreq_sent req = request(HV_IOREQ_PIO, HV_IOREQ_DIR_READ, 8, 1);
	struct hv_ioreq slot, before;

	garbage_slot(&slot, HV_IOREQ_STATE_NONE);
	before = slot;
	assert_int_equal(ioreq_post(&slot, &req), -1);
	assert_memory_equal(&slot, &before, sizeof(slot));
}

static void request_valid_accepts_exactly_the_abi_shapes(void **state)
{
	/* Counts whose product with the size wraps to something small. */
	static const u32 counts[] = { 0, 1, 2, 3,  4,		5,	     6,
				      7, 8, 9, 16, 0x40000001U, 0x80000000U, 0xffffffffU };
	struct ioreq_sent legal[NR_LEGAL];
	size_t n = legal_requests(legal), nr_valid = 0, i, c;
	u32 kind, dir, size;

	assert_int_equal(n, NR_LEGAL);
	for (i = 0; i < n; i++)
		assert_true(ioreq_request_valid(&legal[i]));

	for (kind = 0; kind <= 4; kind++) {
		for (dir = 0; dir <= 3; dir++) {
			for (size = 0; size <= 16; size++) {
				for (c = 0; c < ARRAY_SIZE(counts); c++) {
					struct ioreq_sent req = request(kind, dir, size, counts[c]);
					bool listed = false;

					req.data = 0;
					if (!ioreq_request_valid(&req))
						continue;
					nr_valid++;
					for (i = 0; i < n; i++)
						listed |= same_shape(&req, &legal[i]);
					assert_true(listed);
				}
			}
		}
	}
	assert_int_equal(nr_valid, NR_LEGAL);
}

static void request_valid_refuses_write_data_wider_than_the_access(void **state)
{
	struct ioreq_sent reqs[NR_LEGAL];
	size_t i, n = legal_requests(reqs);

	for (i = 0; i < n; i++) {
		struct ioreq_sent req = reqs[i];
		u32 bytes = req.count * req.size;

		req.data = mask_of(bytes);
		assert_true(ioreq_request_valid(&req));
		if (bytes == 8)
			continue;
		req.data = 1ULL << (8 * bytes);
		/* A read's data is not sent: only a write's must fit. */
		assert_int_equal(ioreq_request_valid(&req), req.dir == HV_IOREQ_DIR_READ);
		req.data = ~0ULL;
		assert_int_equal(ioreq_request_valid(&req), req.dir == HV_IOREQ_DIR_READ);
	}
}

static void completion_outside_response_ready_fails_and_leaves_the_slot(void **state)
{
	static const struct {
		u8 state;
		const char *why;
	} cases[] = {
		{ HV_IOREQ_STATE_NONE, "completion of a slot in state NONE" },
		{ HV_IOREQ_STATE_READY, "completion of a slot in state READY" },
		{ HV_IOREQ_STATE_IN_PROCESS, "completion of a slot in state IN_PROCESS" },
		{ 4, "completion of a slot in an unknown state" },
		{ 0x80, "completion of a slot in an unknown state" },
		{ 0xff, "completion of a slot in an unknown state" },
	};
	struct ioreq_sent req = request(HV_IOREQ_MMIO, HV_IOREQ_DIR_READ, 4, 1);
	struct hv_ioreq slot;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* Even a slot that holds a legal answer: the state decides. */
		post_and_respond(&slot, &req, 0x12345678);
		slot.state = cases[i].state;
		assert_refused(&slot, &req, cases[i].why, cases[i].state);
	}
}

static void legal_response_completes_every_request_shape(void **state)
{
	struct ioreq_sent reqs[NR_LEGAL];
	size_t i, n = legal_requests(reqs);

	for (i = 0; i < n; i++) {
		const struct ioreq_sent *req = &reqs[i];
		u32 bytes = req->count * req->size;
		u64 answers[2], expected[2];
		size_t a;

		if (req->kind == HV_IOREQ_WP) {
			answers[0] = expected[0] = HV_IOREQ_WP_DROP;
			answers[1] = expected[1] = HV_IOREQ_WP_APPLY;
		} else if (req->dir == HV_IOREQ_DIR_WRITE) {
			answers[0] = answers[1] = req->data;
			expected[0] = expected[1] = 0;
		} else {
			/* The widest and the smallest value the read can return. */
			answers[0] = expected[0] = mask_of(bytes);
			answers[1] = expected[1] = 0;
		}
		for (a = 0; a < ARRAY_SIZE(answers); a++) {
			struct hv_ioreq slot, before;
			const char *why = NULL;
			u64 result = 0xbad;

			post_and_respond(&slot, req, answers[a]);
			before = slot;
			assert_int_equal(ioreq_take_response(&slot, req, &result, &why), 0);
			assert_int_equal(result, expected[a]);
			assert_int_equal(slot.state, HV_IOREQ_STATE_NONE);
			/* Nothing but the state changes. */
			before.state = HV_IOREQ_STATE_NONE;
			assert_memory_equal(&slot, &before, sizeof(slot));
		}
	}
}

static void string_pio_read_returns_the_packed_items(void **state)
{
	struct ioreq_sent req = request(HV_IOREQ_PIO, HV_IOREQ_DIR_READ, 2, 3);
	struct hv_ioreq slot;
	const char *why;
	u64 result;

	/* Item 0 in the low bytes: 0x1111, 0x2222, 0x3333. */
	post_and_respond(&slot, &req, 0x333322221111ULL);
	assert_int_equal(ioreq_take_response(&slot, &req, &result, &why), 0);
	assert_int_equal(result, 0x333322221111ULL);
}

static void completed_slot_cannot_be_completed_again(void **state)
{
	struct ioreq_sent req = request(HV_IOREQ_PIO, HV_IOREQ_DIR_READ, 1, 1);
	struct hv_ioreq slot;
	const char *why;
	u64 result;

	post_and_respond(&slot, &req, 0x7f);
	assert_int_equal(ioreq_take_response(&slot, &req, &result, &why), 0);
	assert_refused(&slot, &req, "completion of a slot in state NONE", HV_IOREQ_STATE_NONE);

	/* ... and the slot takes the next request. */
	req.seq++;
	assert_int_equal(ioreq_post(&slot, &req), 0);
	assert_int_equal(slot.seq, SEQ + 1);
	assert_int_equal(slot.state, HV_IOREQ_STATE_READY);
}

static void response_that_changed_the_request_fails(void **state)
{
	const struct ioreq_sent bases[] = {
		request(HV_IOREQ_PIO, HV_IOREQ_DIR_READ, 2, 4),
		request(HV_IOREQ_MMIO, HV_IOREQ_DIR_WRITE, 8, 1),
		request(HV_IOREQ_WP, HV_IOREQ_DIR_WRITE, 4, 1),
	};
	size_t b;

	for (b = 0; b < ARRAY_SIZE(bases); b++) {
		const struct ioreq_sent *req = &bases[b];
		/* An answer that would be legal had the service changed nothing else. */
		u64 answer = req->kind == HV_IOREQ_WP ? HV_IOREQ_WP_APPLY : req->data;
		struct hv_ioreq slot;

		post_and_respond(&slot, req, answer);
		slot.addr ^= 0x1000;
		assert_refused(&slot, req, "the response changed the request's addr", slot.addr);

		post_and_respond(&slot, req, answer);
		slot.count = 1 + (req->count == 1);
		assert_refused(&slot, req, "the response changed the request's count", slot.count);

		post_and_respond(&slot, req, answer);
		slot.size = req->size == 1 ? 2 : 1;
		assert_refused(&slot, req, "the response changed the request's size", slot.size);

		post_and_respond(&slot, req, answer);
		slot.dir ^= 1;
		assert_refused(&slot, req, "the response changed the request's dir", slot.dir);

		post_and_respond(&slot, req, answer);
		slot.kind = req->kind == HV_IOREQ_PIO ? HV_IOREQ_MMIO : HV_IOREQ_PIO;
		assert_refused(&slot, req, "the response changed the request's kind", slot.kind);

		post_and_respond(&slot, req, answer);
		slot.seq = SEQ - 1;
		assert_refused(&slot, req, "the response changed the request's seq", SEQ - 1);

		post_and_respond(&slot, req, answer);
		slot.reserved = 1;
		assert_refused(&slot, req, "the response set the reserved field", 1);
	}
}

static void read_response_too_wide_fails_for_every_width(void **state)
{
	struct ioreq_sent reqs[NR_LEGAL];
	size_t i, n = legal_requests(reqs);
	unsigned int checked = 0;

	for (i = 0; i < n; i++) {
		const struct ioreq_sent *req = &reqs[i];
		u32 bytes = req->count * req->size;
		char why[64];
		struct hv_ioreq slot;

		if (req->dir != HV_IOREQ_DIR_READ || bytes == 8)
			continue;
		snprintf(why, sizeof(why), "read response does not fit %u byte%s", bytes,
			 bytes == 1 ? "" : "s");
		/* The lowest bit too high, and every bit. */
		post_and_respond(&slot, req, 1ULL << (8 * bytes));
		assert_refused(&slot, req, why, 1ULL << (8 * bytes));
		post_and_respond(&slot, req, ~0ULL);
		assert_refused(&slot, req, why, ~0ULL);
		checked++;
	}
	/* PIO: sizes 1 (counts 1..7), 2 (1..3), 4 (1); MMIO: sizes 1, 2, 4. */
	assert_int_equal(checked, 14);
}

static void write_response_that_changed_the_data_fails(void **state)
{
	struct ioreq_sent reqs[NR_LEGAL];
	size_t i, n = legal_requests(reqs);

	for (i = 0; i < n; i++) {
		const struct ioreq_sent *req = &reqs[i];
		struct hv_ioreq slot;

		if (req->dir != HV_IOREQ_DIR_WRITE || req->kind == HV_IOREQ_WP)
			continue;
		post_and_respond(&slot, req, req->data ^ 1);
		assert_refused(&slot, req, "write response changed the data", req->data ^ 1);
		/* For a narrow write also a bit above the access. */
		post_and_respond(&slot, req, req->data ^ 1ULL << 63);
		assert_refused(&slot, req, "write response changed the data",
			       req->data ^ 1ULL << 63);
	}
}

static void write_protect_response_is_drop_or_apply(void **state)
{
	static const u64 bad[] = { 2, 3, 0x100, 1ULL << 32, ~0ULL };
	struct ioreq_sent req = request(HV_IOREQ_WP, HV_IOREQ_DIR_WRITE, 8, 1);
	struct hv_ioreq slot;
	const char *why;
	u64 result;
	size_t i;

	post_and_respond(&slot, &req, HV_IOREQ_WP_DROP);
	assert_int_equal(ioreq_take_response(&slot, &req, &result, &why), 0);
	assert_int_equal(result, HV_IOREQ_WP_DROP);

	post_and_respond(&slot, &req, HV_IOREQ_WP_APPLY);
	assert_int_equal(ioreq_take_response(&slot, &req, &result, &why), 0);
	assert_int_equal(result, HV_IOREQ_WP_APPLY);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		post_and_respond(&slot, &req, bad[i]);
		assert_refused(&slot, &req, "write-protect decision is neither DROP nor APPLY",
			       bad[i]);
	}
}

/* The ring */

static struct hv_ioreq_ring ring, ring_before;

static struct hv_ioreq_ring_entry ring_entry(u64 data)
{
	return (struct hv_ioreq_ring_entry){
		.addr = PORT, .data = data, .size = 1, .kind = HV_IOREQ_PIO, .vcpu = 3
	};
}

static void ring_with_pointers(u32 read, u32 write)
{
	memset(&ring, GARBAGE, sizeof(ring));
	ring.read_pointer = read;
	ring.write_pointer = write;
	ring_before = ring;
}

static void ring_push_writes_the_entry_then_the_pointer_only(void **state)
{
	struct hv_ioreq_ring_entry e = ring_entry(0x77);
	u32 write = 0xfffffffeU;

	e.reserved = 0xffffffffU; /* hv's caller does not decide the ABI's zeroes */
	ring_with_pointers(write, write);
	assert_int_equal(ioreq_ring_push(&ring, &e), IOREQ_RING_PUSHED);
	assert_int_equal(ring.write_pointer, write + 1);

	ring_before.write_pointer = write + 1;
	e.reserved = 0;
	ring_before.entries[write % HV_IOREQ_RING_ENTRIES] = e;
	assert_memory_equal(&ring, &ring_before, sizeof(ring));
}

static void ring_keeps_order_through_pointer_wrap(void **state)
{
	const u32 start = 0xffffff00U, total = 1000;
	u32 pushed = 0, taken = 0, batch = 1;

	ring_with_pointers(start, start);
	while (taken < total) {
		/* Batches of 1, 2, 3, ... entries, at most what the ring holds. */
		u32 i, n = MIN(batch, MIN(HV_IOREQ_RING_ENTRIES, total - pushed));
		struct hv_ioreq_ring_entry e;

		for (i = 0; i < n; i++) {
			e = ring_entry(pushed++);
			assert_int_equal(ioreq_ring_push(&ring, &e), IOREQ_RING_PUSHED);
		}
		/* The service drains the ring in order. */
		while (ring.read_pointer != ring.write_pointer) {
			assert_int_equal(
				ring.entries[ring.read_pointer % HV_IOREQ_RING_ENTRIES].data,
				taken++);
			ring.read_pointer++;
		}
		batch = batch % HV_IOREQ_RING_ENTRIES + 1;
	}
	assert_int_equal(ring.write_pointer, (u32)(start + total));
	assert_true(ring.write_pointer < start); /* it wrapped */
}

static void ring_full_with_entries_outstanding(void **state)
{
	struct hv_ioreq_ring_entry e = ring_entry(1);
	u32 i;

	ring_with_pointers(0, 0);
	for (i = 0; i < HV_IOREQ_RING_ENTRIES; i++)
		assert_int_equal(ioreq_ring_push(&ring, &e), IOREQ_RING_PUSHED);
	ring_before = ring;
	assert_int_equal(ioreq_ring_push(&ring, &e), IOREQ_RING_FULL);
	assert_memory_equal(&ring, &ring_before, sizeof(ring));

	/* Full across the wrap of the pointers. */
	ring_with_pointers(0xffffffc0U, 0x40);
	assert_int_equal(ioreq_ring_push(&ring, &e), IOREQ_RING_FULL);
	assert_memory_equal(&ring, &ring_before, sizeof(ring));

	/* One entry read: one free. */
	ring.read_pointer++;
	assert_int_equal(ioreq_ring_push(&ring, &e), IOREQ_RING_PUSHED);
	assert_int_equal(ring.write_pointer, 0x41);
}

static void ring_broken_read_pointer_is_refused_and_left_alone(void **state)
{
	static const struct {
		u32 read, write;
	} broken[] = {
		{ 1, 0 }, /* ahead of write */
		{ 0x80000000U, 0x10 }, /* far ahead */
		{ 0xffffffffU, 0xfffffffeU }, /* ahead, next to the wrap */
		{ 0, HV_IOREQ_RING_ENTRIES + 1 }, /* one further behind than the ring holds */
		{ 0xfffffff0U, HV_IOREQ_RING_ENTRIES - 0xf }, /* the same across the wrap */
		{ 0, 0x80000000U },
	};
	struct hv_ioreq_ring_entry e = ring_entry(1);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(broken); i++) {
		ring_with_pointers(broken[i].read, broken[i].write);
		assert_int_equal(ioreq_ring_push(&ring, &e), IOREQ_RING_BROKEN);
		assert_memory_equal(&ring, &ring_before, sizeof(ring));
	}

	/* The edges of [write - ENTRIES, write] are not broken. */
	ring_with_pointers(0xfffffff0U, HV_IOREQ_RING_ENTRIES - 0x10);
	assert_int_equal(ioreq_ring_push(&ring, &e), IOREQ_RING_FULL);
	ring_with_pointers(0xfffffff0U, 0xfffffff0U);
	assert_int_equal(ioreq_ring_push(&ring, &e), IOREQ_RING_PUSHED);
}

/* --- who takes a response: the vCPU's CPU early, or the completion --- */

static void completion_alone_takes_each_response_once(void **state)
{
	struct ioreq_taker t = { 0 };
	u32 seq;

	(void)state;
	for (seq = 1; seq <= 3; seq++) {
		assert_int_equal(ioreq_claim_completion(&t, seq, true), IOREQ_COMPLETION_TAKES);
		/* The vCPU is resumed: a second completion has nothing to take. */
		assert_int_equal(ioreq_claim_completion(&t, seq, false), IOREQ_COMPLETION_REFUSED);
	}
	/* Nor does one while the vCPU waits for a response it already has. */
	assert_int_equal(ioreq_claim_completion(&t, 3, true), IOREQ_COMPLETION_REFUSED);
}

static void completion_after_an_early_take_acknowledges_it_once(void **state)
{
	struct ioreq_taker t = { 0 };

	(void)state;
	assert_true(ioreq_take_early(&t, 1));
	assert_int_equal(ioreq_claim_completion(&t, 1, false), IOREQ_COMPLETION_ACKNOWLEDGES);
	assert_int_equal(t.early_takes, 0);
	assert_int_equal(ioreq_claim_completion(&t, 1, false), IOREQ_COMPLETION_REFUSED);
}

static void early_take_after_the_completion_took_it_fails_and_counts_nothing(void **state)
{
	struct ioreq_taker t = { 0 };

	(void)state;
	assert_int_equal(ioreq_claim_completion(&t, 1, true), IOREQ_COMPLETION_TAKES);
	assert_false(ioreq_take_early(&t, 1));
	assert_int_equal(t.early_takes, 0);
	/* The next request's completion takes it: nothing is left to acknowledge. */
	assert_int_equal(ioreq_claim_completion(&t, 2, true), IOREQ_COMPLETION_TAKES);
}

/*
 * An early take, the guest resumed and sent its next request: the late
 * completion of the first must not take the second's (still READY) slot.
 */
static void late_completion_does_not_claim_the_next_request(void **state)
{
	struct ioreq_taker t = { 0 };

	(void)state;
	assert_true(ioreq_take_early(&t, 1));
	assert_int_equal(ioreq_claim_completion(&t, 2, true), IOREQ_COMPLETION_ACKNOWLEDGES);
	assert_int_equal(t.taken_seq, 1);
	assert_int_equal(ioreq_claim_completion(&t, 2, true), IOREQ_COMPLETION_TAKES);
}

/* The early take counts itself before it claims: a completion in between acknowledges it. */
static void completion_between_the_count_and_the_claim_acknowledges(void **state)
{
	struct ioreq_taker t = { .taken_seq = 4, .early_takes = 1 }; /* counted, not claimed */

	(void)state;
	assert_int_equal(ioreq_claim_completion(&t, 5, true), IOREQ_COMPLETION_ACKNOWLEDGES);
	assert_int_equal(t.taken_seq, 4); /* the early take's claim is still to come */
}

static void takes_work_across_the_wrap_of_seq(void **state)
{
	struct ioreq_taker t = { .taken_seq = 0xfffffffeU };

	(void)state;
	assert_int_equal(ioreq_claim_completion(&t, 0xffffffffU, true), IOREQ_COMPLETION_TAKES);
	assert_true(ioreq_take_early(&t, 0));
	assert_int_equal(ioreq_claim_completion(&t, 0, false), IOREQ_COMPLETION_ACKNOWLEDGES);
	assert_int_equal(ioreq_claim_completion(&t, 1, true), IOREQ_COMPLETION_TAKES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(post_into_none_holds_exactly_the_request_then_ready),
		cmocka_unit_test(post_of_a_read_sends_no_data),
		cmocka_unit_test(post_into_a_slot_not_none_fails_and_leaves_it),
		cmocka_unit_test(post_of_an_invalid_request_fails_and_leaves_the_slot),
		cmocka_unit_test(request_valid_accepts_exactly_the_abi_shapes),
		cmocka_unit_test(request_valid_refuses_write_data_wider_than_the_access),
		cmocka_unit_test(completion_outside_response_ready_fails_and_leaves_the_slot),
		cmocka_unit_test(legal_response_completes_every_request_shape),
		cmocka_unit_test(string_pio_read_returns_the_packed_items),
		cmocka_unit_test(completed_slot_cannot_be_completed_again),
		cmocka_unit_test(response_that_changed_the_request_fails),
		cmocka_unit_test(read_response_too_wide_fails_for_every_width),
		cmocka_unit_test(write_response_that_changed_the_data_fails),
		cmocka_unit_test(write_protect_response_is_drop_or_apply),
		cmocka_unit_test(ring_push_writes_the_entry_then_the_pointer_only),
		cmocka_unit_test(ring_keeps_order_through_pointer_wrap),
		cmocka_unit_test(ring_full_with_entries_outstanding),
		cmocka_unit_test(ring_broken_read_pointer_is_refused_and_left_alone),
		cmocka_unit_test(completion_alone_takes_each_response_once),
		cmocka_unit_test(completion_after_an_early_take_acknowledges_it_once),
		cmocka_unit_test(early_take_after_the_completion_took_it_fails_and_counts_nothing),
		cmocka_unit_test(late_completion_does_not_claim_the_next_request),
		cmocka_unit_test(completion_between_the_count_and_the_claim_acknowledges),
		cmocka_unit_test(takes_work_across_the_wrap_of_seq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
