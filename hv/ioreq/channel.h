/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv's side of the ioreq channel's shared memory (include/public/ioreq.h),
 * as pure logic: it touches only the slot and ring it is given, so host
 * tests and fuzzers run it. The service partition can write that memory
 * at any time: every function reads each shared field once and judges that
 * copy.
 */
#ifndef HV_IOREQ_CHANNEL_H
#define HV_IOREQ_CHANNEL_H

#include <public/ioreq.h>
#include <types.h>

/* What hv asked, kept by hv: the response is checked against this, never against the slot. */
struct ioreq_sent {
	u64 addr;
	u64 data; /* writes: the value(s), packed as in struct hv_ioreq */
	u32 count;
	u8 size;
	u8 dir;
	u8 kind;
	u32 seq;
};

/* Whether @req is one hv may send: size, count, kind and direction agree (ioreq.h). */
bool ioreq_request_valid(const struct ioreq_sent *req);

/*
 * Writes @req into @slot and makes it READY (release); a read's data in
 * the slot is 0. Returns 0, or -1 when the slot is not NONE (the service
 * broke the protocol; the slot is left as it is) or @req is not valid.
 */
int ioreq_post(struct hv_ioreq *slot, const struct ioreq_sent *req);

/*
 * Checks the completion of @slot against @req, a request ioreq_post()
 * accepted: the state must be RESPONSE_READY, the fields only hv writes
 * unchanged and the data legal (ioreq.h). On success returns 0, stores the
 * result in @result (the data read, the WP decision, 0 for other writes)
 * and sets the slot NONE. Otherwise returns -1, leaves the slot alone, and
 * @why says what was wrong while @result holds the value found wrong (the
 * state, the changed field or the data) for the log line.
 */
int ioreq_take_response(struct hv_ioreq *slot, const struct ioreq_sent *req, u64 *result,
			const char **why);

/*
 * Who takes a response. The vCPU's CPU may watch the slot while the vCPU
 * waits and take the response as soon as it is RESPONSE_READY; the
 * service's completion hypercall, which still comes, then only
 * acknowledges it. Otherwise the completion takes it. Exactly one of them
 * takes each request's response.
 */
struct ioreq_taker {
	u32 taken_seq; /* the seq of the last request whose response was taken */
	u32 early_takes; /* responses the vCPU's CPU took whose completion has not come */
};

/*
 * The vCPU's CPU saw RESPONSE_READY for request @seq: whether it takes the
 * response (ioreq_take_response() next). It counts an early take before it
 * tries, so a completion that comes meanwhile finds something to
 * acknowledge; when the completion took the response first, the count goes
 * back.
 */
bool ioreq_take_early(struct ioreq_taker *t, u32 seq);

enum ioreq_completion_claim {
	IOREQ_COMPLETION_TAKES, /* the completion takes request @seq's response */
	IOREQ_COMPLETION_ACKNOWLEDGES, /* of a response the vCPU's CPU took: nothing more */
	IOREQ_COMPLETION_REFUSED, /* nothing to take or acknowledge: a protocol error */
};

/*
 * The service's completion hypercall for a vCPU whose request is @seq,
 * @waiting: whether the vCPU waits for a response. Completions come in the
 * order of the requests (the service answers one at a time, its
 * completion last), so an early take's acknowledgement comes before the
 * next request's completion: acknowledgements are counted, not matched.
 */
enum ioreq_completion_claim ioreq_claim_completion(struct ioreq_taker *t, u32 seq, bool waiting);

/* Results of ioreq_ring_push(). */
enum ioreq_ring_result {
	IOREQ_RING_PUSHED,
	IOREQ_RING_FULL, /* send it as a synchronous request */
	IOREQ_RING_BROKEN, /* the server's read_pointer is impossible */
};

/*
 * Appends a write to @ring (entries first, then write_pointer with release).
 * One producer at a time: the caller serializes a guest's vCPUs.
 */
enum ioreq_ring_result ioreq_ring_push(struct hv_ioreq_ring *ring,
				       const struct hv_ioreq_ring_entry *entry);

#endif /* HV_IOREQ_CHANNEL_H */
