// SPDX-License-Identifier: GPL-2.0
/*
 * hv's side of an ioreq channel (include/public/ioreq.h): posting a request
 * into a slot, judging the service's response, appending to the ring.
 *
 * The service partition writes the slot and the ring whenever it likes, also
 * while hv looks at them. So every shared field is read exactly once and the
 * local copy is judged: a check and a use never see two different values.
 * The owner of a state writes the state last, with release; the other side
 * reads it first, with acquire (on x86 plain moves, the compiler kept in order).
 */
#include <hv/ioreq/channel.h>

#define MAX_ITEM_SIZE 8U
#define MAX_ITEMS 8U
#define ONE_ITEM BIT(1)
/* Counts 1..8 / size: string port I/O packs up to 8 bytes of items. */
#define ITEMS_IN_8_BYTES(size) GENMASK(8U / (size), 1)
#define PORT_SHAPES                                                                             \
	{                                                                                       \
		[1] = ITEMS_IN_8_BYTES(1), [2] = ITEMS_IN_8_BYTES(2), [4] = ITEMS_IN_8_BYTES(4) \
	}
#define SINGLE_ACCESS_SHAPES                                                   \
	{                                                                      \
		[1] = ONE_ITEM, [2] = ONE_ITEM, [4] = ONE_ITEM, [8] = ONE_ITEM \
	}

/*
 * The request shapes include/public/ioreq.h allows, by kind, direction and
 * item size: bit n is set when n items are allowed. IN and OUT move at most
 * 4 bytes; only string port I/O packs several items; guests read
 * ioreq-server pages in place, so only their writes are forwarded.
 */
static const u16 allowed_counts[HV_IOREQ_WP + 1][HV_IOREQ_DIR_READ + 1][MAX_ITEM_SIZE + 1] = {
	[HV_IOREQ_PIO] = { [HV_IOREQ_DIR_WRITE] = PORT_SHAPES, [HV_IOREQ_DIR_READ] = PORT_SHAPES },
	[HV_IOREQ_MMIO] = { [HV_IOREQ_DIR_WRITE] = SINGLE_ACCESS_SHAPES,
			    [HV_IOREQ_DIR_READ] = SINGLE_ACCESS_SHAPES },
	[HV_IOREQ_WP] = { [HV_IOREQ_DIR_WRITE] = SINGLE_ACCESS_SHAPES },
};

bool ioreq_request_valid(const struct ioreq_sent *req)
{
	if (req->kind > HV_IOREQ_WP || req->dir > HV_IOREQ_DIR_READ || req->size > MAX_ITEM_SIZE ||
	    req->count > MAX_ITEMS ||
	    !(allowed_counts[req->kind][req->dir][req->size] & BIT(req->count)))
		return false;
	/* A write's data has no bits above its items. */
	return req->dir == HV_IOREQ_DIR_READ || !(req->data & ~bytes_mask(req->count * req->size));
}

int ioreq_post(struct hv_ioreq *slot, const struct ioreq_sent *req)
{
	if (!ioreq_request_valid(req))
		return -1;
	/* Acquire: none of the writes below may be done before the slot is seen NONE. */
	if (__atomic_load_n(&slot->state, __ATOMIC_ACQUIRE) != HV_IOREQ_STATE_NONE)
		return -1;

	WRITE_ONCE(slot->addr, req->addr);
	/* A read sends no data: nothing hv happened to hold reaches the service. */
	WRITE_ONCE(slot->data, req->dir == HV_IOREQ_DIR_WRITE ? req->data : 0);
	WRITE_ONCE(slot->count, req->count);
	WRITE_ONCE(slot->size, req->size);
	WRITE_ONCE(slot->dir, req->dir);
	WRITE_ONCE(slot->kind, req->kind);
	WRITE_ONCE(slot->seq, req->seq);
	WRITE_ONCE(slot->reserved, 0);
	/* Release: the service that sees READY sees every field above. */
	__atomic_store_n(&slot->state, HV_IOREQ_STATE_READY, __ATOMIC_RELEASE);
	return 0;
}

static int refuse(u64 value, const char *what, u64 *result, const char **why)
{
	*result = value;
	*why = what;
	return -1;
}

/*
 * The first field of @slot the service changed although only hv writes it,
 * or NULL; then *value is that field as the slot holds it. Each field is
 * read once, in this order.
 */
static const char *changed_field(const struct hv_ioreq *slot, const struct ioreq_sent *req,
				 u64 *value)
{
#define CHECK_FIELD(field, sent, what)                 \
	do {                                           \
		u64 in_slot_ = READ_ONCE(slot->field); \
		if (in_slot_ != (u64)(sent)) {         \
			*value = in_slot_;             \
			return what;                   \
		}                                      \
	} while (0)

	CHECK_FIELD(addr, req->addr, "the response changed the request's addr");
	CHECK_FIELD(count, req->count, "the response changed the request's count");
	CHECK_FIELD(size, req->size, "the response changed the request's size");
	CHECK_FIELD(dir, req->dir, "the response changed the request's dir");
	CHECK_FIELD(kind, req->kind, "the response changed the request's kind");
	CHECK_FIELD(seq, req->seq, "the response changed the request's seq");
	CHECK_FIELD(reserved, 0, "the response set the reserved field");
	return NULL;
#undef CHECK_FIELD
}

/* Indexed by the slot's state; RESPONSE_READY and above are not in it. */
static const char *const completion_in_state[] = {
	[HV_IOREQ_STATE_NONE] = "completion of a slot in state NONE",
	[HV_IOREQ_STATE_READY] = "completion of a slot in state READY",
	[HV_IOREQ_STATE_IN_PROCESS] = "completion of a slot in state IN_PROCESS",
};

/* Indexed by the bytes a read returns; 8 bytes hold any value. */
static const char *const read_does_not_fit[] = {
	[1] = "read response does not fit 1 byte",  [2] = "read response does not fit 2 bytes",
	[3] = "read response does not fit 3 bytes", [4] = "read response does not fit 4 bytes",
	[5] = "read response does not fit 5 bytes", [6] = "read response does not fit 6 bytes",
	[7] = "read response does not fit 7 bytes",
};

int ioreq_take_response(struct hv_ioreq *slot, const struct ioreq_sent *req, u64 *result,
			const char **why)
{
	/* Acquire: the fields read below are the ones written before RESPONSE_READY. */
	u8 state = __atomic_load_n(&slot->state, __ATOMIC_ACQUIRE);
	u32 bytes = req->count * req->size;
	const char *what;
	u64 value, data;

	if (state != HV_IOREQ_STATE_RESPONSE_READY) {
		what = state < ARRAY_SIZE(completion_in_state) ?
			       completion_in_state[state] :
			       "completion of a slot in an unknown state";
		return refuse(state, what, result, why);
	}
	what = changed_field(slot, req, &value);
	if (what)
		return refuse(value, what, result, why);

	data = READ_ONCE(slot->data);
	if (req->kind == HV_IOREQ_WP) {
		if (data != HV_IOREQ_WP_DROP && data != HV_IOREQ_WP_APPLY)
			return refuse(data, "write-protect decision is neither DROP nor APPLY",
				      result, why);
	} else if (req->dir == HV_IOREQ_DIR_WRITE) {
		if (data != req->data)
			return refuse(data, "write response changed the data", result, why);
		data = 0;
	} else if (data & ~bytes_mask(bytes)) {
		return refuse(data, read_does_not_fit[bytes], result, why);
	}

	/* hv owns the slot again: NONE is its to write, and nothing of it is read after. */
	__atomic_store_n(&slot->state, HV_IOREQ_STATE_NONE, __ATOMIC_RELEASE);
	*result = data;
	return 0;
}

/* Counts down @count unless it is 0: whether it did. */
static bool count_down(u32 *count)
{
	u32 old = __atomic_load_n(count, __ATOMIC_ACQUIRE);

	while (old)
		if (__atomic_compare_exchange_n(count, &old, old - 1, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return true;
	return false;
}

/* The one caller that moves taken_seq from @seq - 1 to @seq takes @seq's response. */
static bool claim(struct ioreq_taker *t, u32 seq)
{
	u32 previous = seq - 1; /* modulo 2^32, like seq */

	return __atomic_compare_exchange_n(&t->taken_seq, &previous, seq, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

bool ioreq_take_early(struct ioreq_taker *t, u32 seq)
{
	__atomic_fetch_add(&t->early_takes, 1, __ATOMIC_ACQ_REL);
	if (claim(t, seq))
		return true;
	/* Only a completion that claimed can have beaten this: it acknowledged nothing. */
	count_down(&t->early_takes);
	return false;
}

enum ioreq_completion_claim ioreq_claim_completion(struct ioreq_taker *t, u32 seq, bool waiting)
{
	/* First: a late completion of an early take must not claim the next request. */
	if (count_down(&t->early_takes))
		return IOREQ_COMPLETION_ACKNOWLEDGES;
	if (waiting && claim(t, seq))
		return IOREQ_COMPLETION_TAKES;
	/*
	 * The vCPU's CPU claimed it after the first look: it counted its take
	 * before it claimed, so the count is there now.
	 */
	if (count_down(&t->early_takes))
		return IOREQ_COMPLETION_ACKNOWLEDGES;
	return IOREQ_COMPLETION_REFUSED;
}

enum ioreq_ring_result ioreq_ring_push(struct hv_ioreq_ring *ring,
				       const struct hv_ioreq_ring_entry *entry)
{
	/*
	 * write_pointer is hv's, but in the service's memory: a service that
	 * changes it only reorders its own guest's writes; the index below is
	 * reduced modulo the ring size whatever it holds.
	 */
	u32 write = READ_ONCE(ring->write_pointer);
	/* Acquire: the service has read the entries it freed before hv reuses them. */
	u32 read = __atomic_load_n(&ring->read_pointer, __ATOMIC_ACQUIRE);
	u32 used = write - read; /* modulo 2^32, like the pointers */
	struct hv_ioreq_ring_entry *e;

	if (used > HV_IOREQ_RING_ENTRIES)
		return IOREQ_RING_BROKEN;
	if (used == HV_IOREQ_RING_ENTRIES)
		return IOREQ_RING_FULL;

	e = &ring->entries[write % HV_IOREQ_RING_ENTRIES];
	WRITE_ONCE(e->addr, entry->addr);
	WRITE_ONCE(e->data, entry->data);
	WRITE_ONCE(e->size, entry->size);
	WRITE_ONCE(e->kind, entry->kind);
	WRITE_ONCE(e->vcpu, entry->vcpu);
	WRITE_ONCE(e->reserved, 0);
	/* Release: the service that sees the new write_pointer sees the entry. */
	__atomic_store_n(&ring->write_pointer, write + 1, __ATOMIC_RELEASE);
	return IOREQ_RING_PUSHED;
}
