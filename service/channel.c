// SPDX-License-Identifier: GPL-2.0
/*
 * The server side of the ioreq channels (include/public/ioreq.h): follow
 * each page's generation, drain the buffered ring, answer READY slots.
 *
 * Everything here lies in hv's memory and may change under us: each field
 * is read once into a local copy, which is what gets judged and used; what
 * the service writes back is only a slot's data and state (state last,
 * release) and the ring's read_pointer (release). A hypercall a device makes
 * can end the guest, after which hv may hand the channel to the next one:
 * so before writing back, the channel is checked to be still the same
 * guest's (its generation) and the slot still the service's (IN_PROCESS).
 */
#include <stdio.h>
#include <string.h>
#include <hypercall.h>
#include "service.h"

static bool guest_attached(uint32_t generation)
{
	return generation & 1;
}

static bool same_generation(const struct channel *ch, uint32_t generation)
{
	return READ_ONCE(ch->page->generation) == generation;
}

void service_init(struct service *svc, void *area, bool testing)
{
	unsigned int id;

	memset(svc, 0, sizeof(*svc));
	for (id = 0; id < HV_IOREQ_MAX_CHANNELS; id++) {
		struct channel *ch = &svc->channels[id];
		uint8_t *base = (uint8_t *)area + id * HV_IOREQ_CHANNEL_SIZE;

		ch->id = id;
		ch->testing = testing;
		ch->page = (struct hv_ioreq_page *)base;
		ch->ring = (struct hv_ioreq_ring *)(base + HV_IOREQ_PAGE_SIZE);
	}
}

static bool ring_entry_valid(const struct hv_ioreq_ring_entry *e)
{
	if (e->size != 1 && e->size != 2 && e->size != 4 && e->size != 8)
		return false;
	return (e->kind == HV_IOREQ_PIO && e->size < 8) || e->kind == HV_IOREQ_MMIO;
}

/*
 * Handles the ring's entries from @read up to @write, for the guest of
 * @generation, and hands them back to hv (read_pointer) if the channel is
 * still that guest's then. Returns how many were handled, or -1 when the
 * pointers are impossible (reported once).
 */
static int __attribute__((noinline))
ring_handle(struct channel *ch, uint32_t generation, uint32_t read, uint32_t write)
{
	struct hv_ioreq_ring *ring = ch->ring;
	uint32_t pending = write - read; /* modulo 2^32, like the pointers */

	if (pending > HV_IOREQ_RING_ENTRIES) {
		if (!ch->ring_broken_reported)
			printf("service: [%s] broken ring: read_pointer %u, write_pointer %u; channel %u left alone\n",
			       ch->name, read, write, ch->id);
		ch->ring_broken_reported = true;
		return -1;
	}
	for (; read != write; read++) {
		const struct hv_ioreq_ring_entry *shared =
			&ring->entries[read % HV_IOREQ_RING_ENTRIES];
		struct hv_ioreq_ring_entry e = {
			.addr = READ_ONCE(shared->addr),
			.data = READ_ONCE(shared->data),
			.size = READ_ONCE(shared->size),
			.kind = READ_ONCE(shared->kind),
		};

		if (ring_entry_valid(&e))
			device_write(ch, e.kind, e.addr, e.size, e.data);
		else
			device_stray(ch, "malformed ring entry", e.kind, e.addr, e.size);
	}
	/* Release: hv reuses the entries only after they were read. */
	if (same_generation(ch, generation))
		smp_store_release(&ring->read_pointer, read);
	return pending;
}

/*
 * Handles the ring's entries, up to the write_pointer read now, for the
 * guest of @generation. Returns how many were handled, or -1 when nothing
 * may be: the channel is another guest's by now (a device's hypercall
 * ended this one), or the pointers are impossible. An empty ring, the
 * common case before each request, costs two loads here.
 */
static inline int ring_drain(struct channel *ch, uint32_t generation)
{
	uint32_t read, write;

	if (!same_generation(ch, generation))
		return -1;
	read = READ_ONCE(ch->ring->read_pointer);
	/* Acquire: the entries before write_pointer are all written. */
	write = smp_load_acquire(&ch->ring->write_pointer);
	return read == write ? 0 : ring_handle(ch, generation, read, write);
}

/* Whether hv may have sent @req (ioreq.h): otherwise nothing of it is done. */
static bool request_valid(const struct hv_ioreq *req)
{
	if (req->size != 1 && req->size != 2 && req->size != 4 && req->size != 8)
		return false;
	/* count <= 8 / size, not count * size <= 8: the product may wrap. */
	if (!req->count || req->count > 8U / req->size)
		return false;
	if (req->dir != HV_IOREQ_DIR_WRITE && req->dir != HV_IOREQ_DIR_READ)
		return false;
	switch (req->kind) {
	case HV_IOREQ_PIO:
		return req->size < 8;
	case HV_IOREQ_MMIO:
		return req->count == 1;
	case HV_IOREQ_WP:
		return req->count == 1 && req->dir == HV_IOREQ_DIR_WRITE;
	default:
		return false;
	}
}

/*
 * Does what @req asks; returns the response's data. String port I/O packs
 * count items of size bytes, item 0 lowest, all at the same port.
 */
static uint64_t request_perform(struct channel *ch, const struct hv_ioreq *req)
{
	uint64_t mask = size_mask(req->size), data = 0;
	unsigned int i, shift;

	if (!request_valid(req)) {
		device_stray(ch, "malformed request", req->kind, req->addr, req->size);
		return req->data;
	}
	if (req->kind == HV_IOREQ_WP)
		return testdev_wp_write(ch, req->addr, req->data);
	for (i = 0; i < req->count; i++) {
		shift = 8 * i * req->size;
		if (req->dir == HV_IOREQ_DIR_READ)
			data |= device_read(ch, req->kind, req->addr, req->size) << shift;
		else
			device_write(ch, req->kind, req->addr, req->size,
				     (req->data >> shift) & mask);
	}
	return req->dir == HV_IOREQ_DIR_READ ? data : req->data;
}

/* HV_TESTDEV_BAD_DATA: a response hv must refuse (ioreq.h, "A legal response"). */
static uint64_t bad_response(const struct channel *ch, const struct hv_ioreq *req, uint64_t data)
{
	unsigned int bytes = req->count * req->size;

	if (req->kind == HV_IOREQ_WP)
		return HV_IOREQ_WP_APPLY + 1; /* neither DROP nor APPLY */
	if (req->dir == HV_IOREQ_DIR_WRITE)
		return data ^ 1; /* a write's data must come back unchanged */
	if (bytes < 8)
		return data | 1ULL << (8 * bytes);
	printf("service: [%s] an 8-byte read has no bits above its size: answered correctly\n",
	       ch->name);
	return data;
}

/*
 * Answers the READY slot of @vcpu: IN_PROCESS, the devices, the data, then
 * RESPONSE_READY (release, last) and HV_HC_IOREQ_COMPLETE. The test
 * device's MISBEHAVE changes this for the guest's next request.
 */
static void slot_answer(struct channel *ch, unsigned int vcpu)
{
	struct hv_ioreq *slot = &ch->page->slots[vcpu];
	struct hv_ioreq req = {
		.addr = READ_ONCE(slot->addr),
		.data = READ_ONCE(slot->data),
		.count = READ_ONCE(slot->count),
		.size = READ_ONCE(slot->size),
		.dir = READ_ONCE(slot->dir),
		.kind = READ_ONCE(slot->kind),
	};
	/* Taken before the request runs: a MISBEHAVE command applies to the next one. */
	uint32_t misbehave = ch->testdev.misbehave;
	uint64_t data;
	long ret;

	ch->testdev.misbehave = 0;
	smp_store_release(&slot->state, HV_IOREQ_STATE_IN_PROCESS);
	if (misbehave == HV_TESTDEV_BAD_SILENT)
		return;
	if (misbehave == HV_TESTDEV_BAD_CRASH)
		service_crash();
	data = request_perform(ch, &req);
	if (misbehave == HV_TESTDEV_BAD_DATA)
		data = bad_response(ch, &req, data);
	/* The debug-exit port's hypercall may have ended the guest: is the slot still ours? */
	if (!same_generation(ch, ch->generation) ||
	    READ_ONCE(slot->state) != HV_IOREQ_STATE_IN_PROCESS)
		return;
	if (data != req.data)
		WRITE_ONCE(slot->data, data);
	if (misbehave != HV_TESTDEV_BAD_STATE)
		smp_store_release(&slot->state, HV_IOREQ_STATE_RESPONSE_READY);
	ret = svc_hypercall(HV_HC_IOREQ_COMPLETE, ch->id, vcpu, 0, 0);
	if (misbehave == HV_TESTDEV_BAD_TWICE)
		svc_hypercall(HV_HC_IOREQ_COMPLETE, ch->id, vcpu, 0, 0);
	/* A wrong answer is refused on purpose, and an ending guest's may be. */
	if (ret < 0 && !misbehave && !ch->exit_requested)
		printf("service: [%s] HV_HC_IOREQ_COMPLETE(%u, %u) failed: %ld\n", ch->name, ch->id,
		       vcpu, ret);
}

/* A new guest on the channel: its name and vCPUs from the header, its devices new. */
static void channel_attach(struct channel *ch)
{
	const struct hv_ioreq_page *page = ch->page;
	uint32_t nr_vcpus = READ_ONCE(page->nr_vcpus);
	size_t i;

	for (i = 0; i < GUEST_NAME_SIZE - 1; i++) {
		ch->name[i] = READ_ONCE(page->name[i]);
		if (!ch->name[i])
			break;
	}
	ch->name[i] = '\0';
	if (nr_vcpus > HV_IOREQ_MAX_VCPUS) {
		printf("service: [%s] %u vCPUs in the header, only %u slots: the others are ignored\n",
		       ch->name, nr_vcpus, HV_IOREQ_MAX_VCPUS);
		nr_vcpus = HV_IOREQ_MAX_VCPUS;
	}
	ch->nr_vcpus = nr_vcpus;
	ch->shares_service_cpu = READ_ONCE(page->shares_service_cpu) != 0;
	ch->exit_requested = false;
	ch->ring_broken_reported = false;
	ch->stray_accesses = 0;
	uart_reset(&ch->uart);
	irq_reset(ch);
	pit_reset(&ch->pit);
	rtc_reset(&ch->rtc, svc_now());
	pm_reset(&ch->pm, svc_now());
	testdev_reset(&ch->testdev);
}

/*
 * The guest went away. If no other one came yet, what is left in the ring
 * is still its own; its partial console line goes out.
 */
static void channel_detach(struct channel *ch, uint32_t generation)
{
	if (!guest_attached(generation))
		ring_drain(ch, generation);
	uart_flush(ch);
	if (ch->stray_accesses > 1)
		printf("service: [%s] %llu accesses where no device is\n", ch->name,
		       (unsigned long long)ch->stray_accesses);
}

/* Follows the page's generation; returns whether it changed. */
static bool channel_follow_generation(struct channel *ch)
{
	/* Acquire: the header hv wrote before the generation is seen with it. */
	uint32_t generation = smp_load_acquire(&ch->page->generation);

	if (generation == ch->generation)
		return false;
	if (guest_attached(ch->generation))
		channel_detach(ch, generation);
	ch->generation = generation;
	if (guest_attached(generation))
		channel_attach(ch);
	return true;
}

/*
 * Returns whether the channel had work. A channel that had a request is
 * looked at again before the next one, up to CHANNEL_BURST times: its
 * guest, resumed by the answer, often sends its next request at once; the
 * bound keeps a busy guest from starving the other channels.
 */
#define CHANNEL_BURST 16U

static bool channel_scan(struct channel *ch)
{
	bool work = channel_follow_generation(ch), answered;
	unsigned int vcpu, round = 0;
	int drained;

	if (!guest_attached(ch->generation))
		return work;
	drained = ring_drain(ch, ch->generation);
	if (drained < 0)
		return work;
	work |= drained > 0;
	/* The guest's EOIs and the timers that ran out may raise interrupts. */
	if (eoi_reported(ch->page))
		work |= irq_handle_eois(ch);
	pit_run(ch, svc_now());
	do {
		answered = false;
		for (vcpu = 0; vcpu < ch->nr_vcpus; vcpu++) {
			/* Acquire: the request hv wrote before READY is seen with it. */
			if (smp_load_acquire(&ch->page->slots[vcpu].state) != HV_IOREQ_STATE_READY)
				continue;
			/*
			 * ioreq.h: the vCPU's buffered writes from before its
			 * request are handled first. If the channel changed
			 * hands, the new guest's requests wait for the next
			 * scan, which attaches it.
			 */
			if (ring_drain(ch, ch->generation) < 0)
				return work;
			slot_answer(ch, vcpu);
			answered = work = true;
		}
	} while (answered && ++round < CHANNEL_BURST);
	return work;
}

uint64_t service_deadline(const struct service *svc)
{
	uint64_t earliest = 0;
	unsigned int id;

	for (id = 0; id < HV_IOREQ_MAX_CHANNELS; id++) {
		const struct channel *ch = &svc->channels[id];
		uint64_t d = ch->pit.ch[0].next_irq;

		if (guest_attached(ch->generation) && d && (!earliest || d < earliest))
			earliest = d;
	}
	return earliest;
}

bool service_wants_input(const struct service *svc)
{
	unsigned int id;

	for (id = 0; id < HV_IOREQ_MAX_CHANNELS; id++)
		if (guest_attached(svc->channels[id].generation))
			return svc->channels[id].uart.ier & UART_IER_RDI;
	return false;
}

void service_input(struct service *svc, const char *bytes, size_t len)
{
	unsigned int id;
	size_t i;

	for (id = 0; id < HV_IOREQ_MAX_CHANNELS; id++) {
		struct channel *ch = &svc->channels[id];

		if (!guest_attached(ch->generation) || !same_generation(ch, ch->generation))
			continue;
		for (i = 0; i < len; i++)
			uart_receive(ch, (uint8_t)bytes[i]);
		return;
	}
}

/*
 * Whether hv left the channel anything since it was last scanned: a few
 * loads, the poll's test. A broken ring left alone is no news.
 */
static inline __attribute__((always_inline)) bool channel_has_news(const struct channel *ch)
{
	const struct hv_ioreq_page *page = ch->page;
	unsigned int vcpu;

	if (READ_ONCE(page->generation) != ch->generation)
		return true;
	if (!guest_attached(ch->generation))
		return false;
	for (vcpu = 0; vcpu < ch->nr_vcpus; vcpu++)
		if (READ_ONCE(page->slots[vcpu].state) == HV_IOREQ_STATE_READY)
			return true;
	if (!ch->ring_broken_reported &&
	    READ_ONCE(ch->ring->write_pointer) != READ_ONCE(ch->ring->read_pointer))
		return true;
	return eoi_reported(page) && irq_eois_waiting(ch);
}

bool service_poll(struct service *svc, uint64_t until)
{
	unsigned int id;

	for (id = 0; id < HV_IOREQ_MAX_CHANNELS; id++)
		if (guest_attached(svc->channels[id].generation) &&
		    svc->channels[id].shares_service_cpu)
			return false;
	do {
		for (id = 0; id < HV_IOREQ_MAX_CHANNELS; id++) {
			if (channel_has_news(&svc->channels[id])) {
				channel_scan(&svc->channels[id]);
				return true;
			}
		}
		__builtin_ia32_pause();
	} while (svc_now() < until);
	return false;
}

bool service_scan(struct service *svc)
{
	bool work = false;
	unsigned int id;

	for (id = 0; id < HV_IOREQ_MAX_CHANNELS; id++) {
		struct channel *ch = &svc->channels[id];

		/* No guest, and none coming: one load, not a call. */
		if (!guest_attached(ch->generation) && !channel_has_news(ch))
			continue;
		work |= channel_scan(ch);
	}
	return work;
}
