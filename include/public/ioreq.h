/* SPDX-License-Identifier: MIT */
/*
 * The ioreq channel: how hv hands guest device accesses to the service
 * partition, which emulates the devices, and gets the results back.
 * docs/ioreq-abi.md tells the whole protocol; this header is its contract.
 *
 * hv keeps one channel per guest partition, numbered like the partitions'
 * slots in hv (0 .. HV_IOREQ_MAX_CHANNELS - 1). A channel is two pages in
 * the service partition's guest-physical memory, at
 *     HV_IOREQ_AREA_GPA + channel * HV_IOREQ_CHANNEL_SIZE
 * (HV_HC_IOREQ_REGISTER returns HV_IOREQ_AREA_GPA): the slot page (struct
 * hv_ioreq_page) and the buffered page (struct hv_ioreq_ring). Guests
 * never see them. Every field is little-endian; offsets are in bytes.
 */
#ifndef HV_PUBLIC_IOREQ_H
#define HV_PUBLIC_IOREQ_H

#include <stdint.h>

#define HV_IOREQ_AREA_GPA 0xf0000000ULL
#define HV_IOREQ_MAX_CHANNELS 8U
#define HV_IOREQ_MAX_VCPUS 4U /* slots per channel: one per guest vCPU */
#define HV_IOREQ_PAGE_SIZE 4096U
#define HV_IOREQ_CHANNEL_SIZE (2U * HV_IOREQ_PAGE_SIZE)

/*
 * Slot states. Each state has one owner, the only side that may write the
 * slot in it; the owner's last write, after every other field it writes,
 * is the new state, with release semantics (on x86: a plain store after
 * the others, compiler barrier in between), and the other side reads the
 * state with acquire semantics before the other fields.
 *
 *   NONE            hv owns it; no request.
 *   READY           the server owns it: hv wrote a request and notified.
 *   IN_PROCESS      the server owns it: it took the request (optional step).
 *   RESPONSE_READY  hv owns it: the server wrote the result, then calls
 *                   HV_HC_IOREQ_COMPLETE. hv checks it and sets NONE, at
 *                   the completion or before it (the waiting vCPU's CPU
 *                   may watch the slot; the completion then only
 *                   acknowledges: docs/ioreq-abi.md).
 *
 * Legal transitions: NONE -> READY (hv), READY -> IN_PROCESS (server),
 * READY or IN_PROCESS -> RESPONSE_READY (server), RESPONSE_READY -> NONE
 * (hv). Anything else, a completion of a slot not in RESPONSE_READY, or a
 * response the request cannot have (see struct hv_ioreq) makes hv log it
 * and stop the guest partition concerned; hv and other guests go on.
 */
#define HV_IOREQ_STATE_NONE 0U
#define HV_IOREQ_STATE_READY 1U
#define HV_IOREQ_STATE_IN_PROCESS 2U
#define HV_IOREQ_STATE_RESPONSE_READY 3U

/* Request kinds. */
#define HV_IOREQ_PIO 0U /* port I/O: addr is the port */
#define HV_IOREQ_MMIO 1U /* an access to a claimed MMIO range: addr is guest-physical */
#define HV_IOREQ_WP 2U /* a write to an ioreq-server page: addr is guest-physical */

#define HV_IOREQ_DIR_WRITE 0U
#define HV_IOREQ_DIR_READ 1U

/* HV_IOREQ_WP responses, in data: */
#define HV_IOREQ_WP_DROP 0U /* the write does not happen */
#define HV_IOREQ_WP_APPLY 1U /* hv stores the value into the guest's page */

/*
 * One request (32 bytes). hv fills every field but state, then state =
 * READY. The server may write only data and state.
 *
 * count: 1 for a single access. For string port I/O (INS/OUTS, with or
 * without REP) hv passes up to 8 / size items at a time: count items of
 * size bytes packed in data, item 0 in the low bytes, in the order the
 * guest accesses them. A read response fills count items the same way.
 *
 * A legal response: data has no bits set above count * size bytes (reads),
 * is unchanged (PIO and MMIO writes), or is DROP or APPLY (WP).
 */
struct hv_ioreq {
	uint64_t addr; /* 0: port or guest-physical address of the (first) access */
	uint64_t data; /* 8: written value(s); for reads the server's result */
	uint32_t count; /* 16: items, 1 .. 8 / size */
	uint8_t size; /* 20: bytes per item: 1, 2, 4 or 8 (8: MMIO and WP only) */
	uint8_t dir; /* 21: HV_IOREQ_DIR_* */
	uint8_t kind; /* 22: HV_IOREQ_PIO, _MMIO or _WP */
	uint8_t state; /* 23: HV_IOREQ_STATE_*, written last by the owner */
	uint32_t seq; /* 24: hv counts the slot's requests; for logs and checks */
	uint32_t reserved; /* 28: 0 */
};

/*
 * The slot page. hv writes the header when the guest partition starts
 * (generation odd while it runs) and when it ends (generation even). The
 * server only reads it.
 */
struct hv_ioreq_page {
	uint32_t generation; /* 0: odd: a guest is attached; changes with each guest */
	uint32_t nr_vcpus; /* 4: slots in use: the guest's vCPUs */
	uint32_t partition_id; /* 8: hv's partition id, for logs */
	/*
	 * 12: 1 when a vCPU of the guest lives on the service partition's
	 * CPU, so a service that polls this page takes that vCPU's time; 0
	 * when none does (a service alone on its CPU may poll and answer
	 * sooner than HV_HC_IOREQ_WAIT wakes it).
	 */
	uint32_t shares_service_cpu;
	char name[32]; /* 16: the guest's name, NUL-terminated: console prefixes */
	uint8_t pad[16]; /* 48: 0 */
	struct hv_ioreq slots[HV_IOREQ_MAX_VCPUS]; /* 64: slot i is vCPU i's */
	/*
	 * 192: level-triggered interrupts the service raised
	 * (HV_HC_IOREQ_RAISE_IRQ with HV_IRQ_LEVEL) that a vCPU of the guest
	 * ended since: bit v (of word v / 64) for vector v. hv sets bits
	 * with an atomic OR and counts new work for HV_HC_IOREQ_WAIT; the
	 * service clears the bits it handled with an atomic AND.
	 */
	uint64_t eoi_pending[4];
};

/*
 * Writes that need no answer, in the order the guest made them. hv writes
 * entries and then write_pointer; the server reads write_pointer, then the
 * entries, then writes read_pointer. Both pointers count entries modulo
 * 2^32; entry i lives in entries[i % HV_IOREQ_RING_ENTRIES]; the ring is
 * full when write_pointer - read_pointer == HV_IOREQ_RING_ENTRIES (hv then
 * sends the write as a synchronous request). A read_pointer that is not in
 * [write_pointer - ENTRIES, write_pointer] is a broken ring: hv stops the
 * guest.
 *
 * Ordering: before the server takes a READY slot it drains the ring up to
 * a write_pointer it read after it saw READY: a vCPU's buffered writes are
 * then always handled before its later synchronous request.
 */
#define HV_IOREQ_RING_ENTRIES 128U

struct hv_ioreq_ring_entry {
	uint64_t addr; /* 0: port or guest-physical address */
	uint64_t data; /* 8: the value */
	uint8_t size; /* 16: 1, 2, 4 or 8 */
	uint8_t kind; /* 17: HV_IOREQ_PIO or _MMIO; always a write */
	uint16_t vcpu; /* 18: the writing vCPU */
	uint32_t reserved; /* 20: 0 */
};

struct hv_ioreq_ring {
	uint32_t read_pointer; /* 0: the server's */
	uint32_t write_pointer; /* 4: hv's */
	uint8_t pad[56]; /* 8: 0 (keeps the pointers off the entries' cache lines) */
	struct hv_ioreq_ring_entry entries[HV_IOREQ_RING_ENTRIES]; /* 64 */
};

_Static_assert(sizeof(struct hv_ioreq) == 32, "ABI");
_Static_assert(__builtin_offsetof(struct hv_ioreq_page, eoi_pending) == 192, "ABI");
_Static_assert(sizeof(struct hv_ioreq_page) <= HV_IOREQ_PAGE_SIZE, "ABI");
_Static_assert(sizeof(struct hv_ioreq_ring_entry) == 24, "ABI");
_Static_assert(sizeof(struct hv_ioreq_ring) <= HV_IOREQ_PAGE_SIZE, "ABI");

/* HV_HC_IOREQ_CLAIM_RANGE flags */
#define HV_IOREQ_CLAIM_BUFFERED (1U << 0) /* writes may go through the ring */

/* HV_HC_IOREQ_CLAIM_PAGE_TYPE flags: which accesses to ioreq-server pages are forwarded */
#define HV_IOREQ_FORWARD_WRITES (1U << 0)

/* HV_HC_IOREQ_SET_PAGE_TYPE types */
#define HV_IOREQ_PAGE_RAM 0U /* plain RAM again */
#define HV_IOREQ_PAGE_SERVER 1U /* ioreq-server page: reads in place, writes forwarded */

#endif /* HV_PUBLIC_IOREQ_H */
