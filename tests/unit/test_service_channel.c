// SPDX-License-Identifier: GPL-2.0
/*
 * The service's channel scan (service/channel.c) against a model of hv:
 * generations, the buffered ring and its ordering rule, slot state
 * transitions, string port I/O, the debug-exit port and accesses no device
 * takes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>
#include <hv.h>
#include <hypercall.h>
#include <service/service.h>
#include <tests/model/service_hv.h>

#define UNCLAIMED_PORT 0x80U

static struct service svc;

static int setup(void **state)
{
	model_reset();
	service_init(&svc, model.area, true);
	return 0;
}

static void scan_until_idle(void)
{
	unsigned int scans = 0;

	while (service_scan(&svc))
		if (++scans > 100)
			fail_msg("the scan keeps finding work");
}

static void attach(unsigned int channel, uint32_t generation, const char *name, uint32_t nr_vcpus)
{
	model_set_guest(channel, generation, name, nr_vcpus);
	scan_until_idle();
}

static void push_text(unsigned int channel, const char *s)
{
	for (; *s; s++)
		model_push(channel, HV_IOREQ_PIO, HV_CONSOLE_PORT, 1, (uint8_t)*s);
}

static void push_scratch(unsigned int channel, uint8_t value)
{
	model_push(channel, HV_IOREQ_PIO, HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH, 1, value);
}

static void post_scratch_read(unsigned int channel, unsigned int vcpu)
{
	model_post(channel, vcpu, HV_IOREQ_PIO, HV_IOREQ_DIR_READ,
		   HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH, 1, 1, 0);
}

/* The index in model.calls of the @i-th call of @nr. */
static unsigned int call_index(uint64_t nr, unsigned int i)
{
	const struct model_call *call = model_call(nr, i);

	assert_non_null(call);
	return call - model.calls;
}

static const struct model_call *only_completion(void)
{
	assert_int_equal(model_count(HV_HC_IOREQ_COMPLETE), 1);
	return model_call(HV_HC_IOREQ_COMPLETE, 0);
}

static void no_guest_means_no_work_and_no_hypercalls(void **state)
{
	assert_false(service_scan(&svc));
	/* Work in an even generation's slot is not a guest's. */
	post_scratch_read(0, 0);
	assert_false(service_scan(&svc));
	assert_int_equal(model.nr_calls, 0);
	assert_int_equal(model_page(0)->slots[0].state, HV_IOREQ_STATE_READY);
}

static void attach_takes_name_and_vcpus_from_the_header(void **state)
{
	model_set_guest(2, 5, "t-attach", 3);
	assert_true(service_scan(&svc));
	assert_false(service_scan(&svc));
	assert_string_equal(svc.channels[2].name, "t-attach");
	assert_int_equal(svc.channels[2].nr_vcpus, 3);
	assert_int_equal(svc.channels[2].generation, 5);
}

static void unterminated_name_and_too_many_vcpus_are_cut(void **state)
{
	struct hv_ioreq_page *page = model_page(0);

	memset(page->name, 'n', sizeof(page->name));
	page->nr_vcpus = HV_IOREQ_MAX_VCPUS + 5;
	page->generation = 1;
	scan_until_idle();
	assert_int_equal(strlen(svc.channels[0].name), sizeof(page->name) - 1);
	assert_int_equal(svc.channels[0].nr_vcpus, HV_IOREQ_MAX_VCPUS);
}

/* Observes the slot while a device works: the testdev's command makes a hypercall. */
static uint8_t state_during_dispatch;

static void note_slot_state(const struct model_call *call)
{
	if (call->nr == HV_HC_IOREQ_CLAIM_PAGE_TYPE)
		state_during_dispatch = model_page(0)->slots[0].state;
}

static void slot_goes_in_process_then_response_ready_with_data_then_complete(void **state)
{
	const struct model_call *call;

	attach(0, 1, "t-slot", 1);
	model.hook = note_slot_state;
	model_push(0, HV_IOREQ_PIO, HV_TESTDEV_PORT + HV_TESTDEV_CMD, 4, HV_TESTDEV_CMD_WP_CLAIM);
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE, HV_TESTDEV_PORT + HV_TESTDEV_CMD, 4, 1,
		   HV_TESTDEV_CMD_WP_CLAIM);
	scan_until_idle();
	assert_int_equal(state_during_dispatch, HV_IOREQ_STATE_IN_PROCESS);
	call = only_completion();
	assert_int_equal(call->a0, 0);
	assert_int_equal(call->a1, 0);
	assert_int_equal(call->slot_state, HV_IOREQ_STATE_RESPONSE_READY);
	/* A write is answered with its data unchanged; the model took the slot back. */
	assert_int_equal(call->slot_data, HV_TESTDEV_CMD_WP_CLAIM);
	assert_int_equal(model_page(0)->slots[0].state, HV_IOREQ_STATE_NONE);
}

static void read_data_is_in_the_slot_when_complete_is_called(void **state)
{
	const struct model_call *call;

	attach(0, 1, "t-slot", 1);
	push_scratch(0, 0x5c);
	post_scratch_read(0, 0);
	scan_until_idle();
	call = only_completion();
	assert_int_equal(call->slot_state, HV_IOREQ_STATE_RESPONSE_READY);
	assert_int_equal(call->slot_data, 0x5c);
	/* Nothing but data and state was written. */
	assert_int_equal(model_page(0)->slots[0].addr, HV_TESTDEV_PORT);
	assert_int_equal(model_page(0)->slots[0].count, 1);
	assert_int_equal(model_page(0)->slots[0].seq, 1);
}

static void ring_entries_are_handled_in_order_before_a_ready_slot(void **state)
{
	attach(0, 1, "t-ring", 1);
	push_scratch(0, 1);
	push_scratch(0, 2);
	push_scratch(0, 3);
	post_scratch_read(0, 0);
	scan_until_idle();
	assert_int_equal(only_completion()->slot_data, 3);
	assert_int_equal(model_ring(0)->read_pointer, 3);
}

/*
 * hv's view of the ordering rule: while the service drains the ring, the
 * vCPU makes another buffered write and then a synchronous request.
 */
static bool posted_during_drain;

static void write_then_request_during_drain(const struct model_call *call)
{
	if (call->nr != HV_HC_CONSOLE_WRITE || posted_during_drain)
		return;
	posted_during_drain = true;
	push_scratch(0, 0x77);
	post_scratch_read(0, 0);
}

static void ring_is_drained_again_after_a_slot_is_seen_ready(void **state)
{
	attach(0, 1, "t-order", 1);
	posted_during_drain = false;
	model.hook = write_then_request_during_drain;
	push_scratch(0, 0x11);
	push_text(0, "\n");
	scan_until_idle();
	assert_true(posted_during_drain);
	assert_int_equal(only_completion()->slot_data, 0x77);
}

static uint32_t read_pointer_at_console_write;

static void note_read_pointer(const struct model_call *call)
{
	if (call->nr == HV_HC_CONSOLE_WRITE)
		read_pointer_at_console_write = model_ring(0)->read_pointer;
}

static void read_pointer_is_published_after_the_entries_are_handled(void **state)
{
	attach(0, 1, "t-ring", 1);
	model.hook = note_read_pointer;
	push_text(0, "ok\n");
	scan_until_idle();
	assert_string_equal(model.console, "[t-ring] ok\n");
	assert_int_equal(read_pointer_at_console_write, 0);
	assert_int_equal(model_ring(0)->read_pointer, 3);
}

static void ring_wraps_around_its_entries(void **state)
{
	struct hv_ioreq_ring *ring = model_ring(0);

	attach(0, 1, "t-wrap", 1);
	ring->read_pointer = ring->write_pointer = HV_IOREQ_RING_ENTRIES - 2;
	push_text(0, "wrap\n");
	scan_until_idle();
	assert_string_equal(model.console, "[t-wrap] wrap\n");
	assert_int_equal(ring->read_pointer, HV_IOREQ_RING_ENTRIES + 3);
}

static void ring_pointers_wrap_modulo_2_32(void **state)
{
	struct hv_ioreq_ring *ring = model_ring(0);

	attach(0, 1, "t-wrap", 1);
	ring->read_pointer = ring->write_pointer = 0xfffffffeU;
	push_text(0, "u32\n");
	scan_until_idle();
	assert_string_equal(model.console, "[t-wrap] u32\n");
	assert_int_equal(ring->read_pointer, 2);
}

static void full_ring_is_drained_whole(void **state)
{
	unsigned int i;

	attach(0, 1, "t-full", 1);
	for (i = 0; i < HV_IOREQ_RING_ENTRIES; i++)
		push_scratch(0, i);
	post_scratch_read(0, 0);
	scan_until_idle();
	assert_int_equal(only_completion()->slot_data, HV_IOREQ_RING_ENTRIES - 1);
}

static void broken_ring_leaves_the_channel_alone(void **state)
{
	struct hv_ioreq_ring *ring = model_ring(0);

	attach(0, 1, "t-broken", 1);
	attach(1, 1, "t-fine", 1);
	ring->write_pointer = ring->read_pointer + HV_IOREQ_RING_ENTRIES + 1;
	post_scratch_read(0, 0);
	post_scratch_read(1, 0);
	/* No work done on it: the scan does not spin on the broken channel. */
	assert_true(service_scan(&svc));
	assert_false(service_scan(&svc));
	assert_int_equal(ring->read_pointer, 0);
	assert_int_equal(model_page(0)->slots[0].state, HV_IOREQ_STATE_READY);
	assert_true(svc.channels[0].ring_broken_reported);
	/* The other channel is served. */
	assert_int_equal(only_completion()->a0, 1);
}

static void generation_change_flushes_the_line_and_resets_the_devices(void **state)
{
	attach(0, 1, "t-old", 1);
	push_scratch(0, 0x42);
	push_text(0, "partial");
	scan_until_idle();
	assert_int_equal(model.console_len, 0);

	/* The guest ends: its partial line goes out with its own name. */
	attach(0, 2, "", 0);
	assert_string_equal(model.console, "[t-old] partial\n");

	/* The next guest finds fresh devices. */
	attach(0, 3, "t-new", 1);
	post_scratch_read(0, 0);
	scan_until_idle();
	assert_int_equal(only_completion()->slot_data, 0);
	push_text(0, "hi\n");
	scan_until_idle();
	assert_string_equal(model.console, "[t-old] partial\n[t-new] hi\n");
}

static void generation_change_clears_a_pending_misbehave(void **state)
{
	attach(0, 1, "t-old", 1);
	model_push(0, HV_IOREQ_PIO, HV_TESTDEV_PORT + HV_TESTDEV_ARG, 4, HV_TESTDEV_BAD_SILENT);
	model_push(0, HV_IOREQ_PIO, HV_TESTDEV_PORT + HV_TESTDEV_CMD, 4, HV_TESTDEV_CMD_MISBEHAVE);
	scan_until_idle();
	attach(0, 3, "t-new", 1);
	post_scratch_read(0, 0);
	scan_until_idle();
	assert_int_equal(only_completion()->slot_state, HV_IOREQ_STATE_RESPONSE_READY);
}

static void departed_guests_leftover_ring_entries_are_handled_at_detach(void **state)
{
	attach(0, 1, "t-gone", 1);
	push_text(0, "last words");
	model_set_guest(0, 2, "", 0);
	scan_until_idle();
	assert_string_equal(model.console, "[t-gone] last words\n");
	assert_int_equal(model_ring(0)->read_pointer, model_ring(0)->write_pointer);
}

static void ring_of_a_guest_that_replaced_another_is_the_new_guests(void **state)
{
	attach(0, 1, "t-a", 1);
	push_text(0, "a");
	scan_until_idle();
	/* hv went from guest A to guest B before the service looked again. */
	model_set_guest(0, 3, "t-b", 1);
	push_text(0, "b\n");
	scan_until_idle();
	assert_string_equal(model.console, "[t-a] a\n[t-b] b\n");
}

static void slots_of_every_vcpu_are_answered_and_none_beyond(void **state)
{
	unsigned int vcpu;

	attach(0, 1, "t-smp", 3);
	for (vcpu = 0; vcpu < HV_IOREQ_MAX_VCPUS; vcpu++)
		post_scratch_read(0, vcpu);
	scan_until_idle();
	assert_int_equal(model_count(HV_HC_IOREQ_COMPLETE), 3);
	for (vcpu = 0; vcpu < 3; vcpu++)
		assert_int_equal(model_call(HV_HC_IOREQ_COMPLETE, vcpu)->a1, vcpu);
	assert_int_equal(model_page(0)->slots[3].state, HV_IOREQ_STATE_READY);
}

static void channels_keep_their_own_device_state(void **state)
{
	attach(0, 1, "t-zero", 1);
	attach(5, 1, "t-five", 1);
	push_scratch(0, 0xa0);
	push_scratch(5, 0xa5);
	push_text(5, "five\n");
	push_text(0, "zero\n");
	post_scratch_read(5, 0);
	scan_until_idle();
	assert_int_equal(only_completion()->a0, 5);
	assert_int_equal(only_completion()->slot_data, 0xa5);
	assert_string_equal(model.console, "[t-zero] zero\n[t-five] five\n");
}

static void string_out_sends_each_packed_item_to_the_port(void **state)
{
	attach(0, 1, "t-outs", 1);
	/* REP OUTSB of "ab\r\n": 4 items of 1 byte, item 0 lowest. */
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE, HV_CONSOLE_PORT, 1, 4, 0x0a0d6261);
	scan_until_idle();
	assert_string_equal(model.console, "[t-outs] ab\n");
	assert_int_equal(only_completion()->slot_data, 0x0a0d6261);
}

static void string_in_packs_each_item_read(void **state)
{
	attach(0, 1, "t-ins", 1);
	model_push(0, HV_IOREQ_PIO, HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH, 2, 0xbeef);
	/* REP INSW: 4 items of 2 bytes, all from the same port. */
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_READ, HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH, 2,
		   4, 0);
	scan_until_idle();
	assert_int_equal(only_completion()->slot_data, 0xbeefbeefbeefbeefULL);
}

static void string_out_to_scratch_leaves_the_last_item(void **state)
{
	attach(0, 1, "t-outs", 1);
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE, HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH, 4,
		   2, 0x2222222211111111ULL);
	scan_until_idle();
	post_scratch_read(0, 0);
	scan_until_idle();
	assert_int_equal(model_call(HV_HC_IOREQ_COMPLETE, 1)->slot_data, 0x22);
}

static void debug_exit_flushes_the_line_then_exits_then_completes(void **state)
{
	const struct model_call *exit_call;

	attach(0, 1, "t-exit", 1);
	push_text(0, "SUMMARY");
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE, HV_DEBUG_EXIT_PORT, 4, 1, 0x1234);
	scan_until_idle();
	assert_string_equal(model.console, "[t-exit] SUMMARY\n");
	exit_call = model_call(HV_HC_PARTITION_EXIT, 0);
	assert_non_null(exit_call);
	assert_int_equal(exit_call->a0, 0);
	assert_int_equal(exit_call->a1, 0x34);
	assert_true(call_index(HV_HC_CONSOLE_WRITE, 0) < call_index(HV_HC_PARTITION_EXIT, 0));
	assert_true(call_index(HV_HC_PARTITION_EXIT, 0) < call_index(HV_HC_IOREQ_COMPLETE, 0));
	assert_int_equal(only_completion()->slot_state, HV_IOREQ_STATE_RESPONSE_READY);
}

static void debug_exit_reads_all_ones_and_other_ports_do_not_exit(void **state)
{
	attach(0, 1, "t-exit", 1);
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_READ, HV_DEBUG_EXIT_PORT, 2, 1, 0);
	scan_until_idle();
	assert_int_equal(only_completion()->slot_data, 0xffff);
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE, HV_DEBUG_EXIT_PORT + 1, 1, 1, 0);
	scan_until_idle();
	assert_int_equal(model_count(HV_HC_PARTITION_EXIT), 0);
}

/* hv ends the guest inside the exit call and hands the channel to the next one. */
static void next_guest_during_exit(const struct model_call *call)
{
	struct hv_ioreq *slot = &model_page(0)->slots[0];

	if (call->nr != HV_HC_PARTITION_EXIT)
		return;
	slot->state = HV_IOREQ_STATE_NONE;
	model_set_guest(0, 3, "t-next", 1);
	push_scratch(0, 0x99);
	post_scratch_read(0, 0);
}

static void debug_exit_leaves_the_slot_alone_once_the_channel_is_another_guests(void **state)
{
	const struct model_call *call;

	attach(0, 1, "t-exit", 1);
	model.hook = next_guest_during_exit;
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE, HV_DEBUG_EXIT_PORT, 1, 1, 0);
	scan_until_idle();
	/* One completion: the next guest's read, after its own buffered write. */
	call = only_completion();
	assert_int_equal(call->slot_state, HV_IOREQ_STATE_RESPONSE_READY);
	assert_int_equal(call->slot_data, 0x99);
}

/* hv takes the slot back inside the exit call; the guest's end is not yet in the header. */
static void slot_taken_back_during_exit(const struct model_call *call)
{
	if (call->nr == HV_HC_PARTITION_EXIT)
		model_page(0)->slots[0].state = HV_IOREQ_STATE_NONE;
}

static void debug_exit_leaves_a_slot_hv_took_back_alone(void **state)
{
	attach(0, 1, "t-exit", 1);
	model.hook = slot_taken_back_during_exit;
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE, HV_DEBUG_EXIT_PORT, 1, 1, 0);
	scan_until_idle();
	assert_int_equal(model_count(HV_HC_IOREQ_COMPLETE), 0);
	assert_int_equal(model_page(0)->slots[0].state, HV_IOREQ_STATE_NONE);
}

/*
 * hv ends the guest inside the exit call and starts the next one, which
 * writes buffered and makes a request on its vCPU 1 before the service
 * looked at the header again.
 */
static void next_guest_on_two_vcpus_during_exit(const struct model_call *call)
{
	struct hv_ioreq_ring *ring = model_ring(0);

	if (call->nr != HV_HC_PARTITION_EXIT)
		return;
	model_set_guest(0, 3, "t-next", 2);
	ring->read_pointer = ring->write_pointer = 0;
	push_text(0, "new\n");
	post_scratch_read(0, 1);
}

static void next_guests_work_is_not_done_with_the_old_guests_state(void **state)
{
	const struct model_call *call;

	attach(0, 1, "t-exit", 2);
	model.hook = next_guest_on_two_vcpus_during_exit;
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE, HV_DEBUG_EXIT_PORT, 1, 1, 0);
	scan_until_idle();
	assert_string_equal(model.console, "[t-next] new\n");
	/* The old slot, left IN_PROCESS by hv, is not completed; the new request is. */
	call = only_completion();
	assert_int_equal(call->a1, 1);
	assert_int_equal(model_page(0)->slots[0].state, HV_IOREQ_STATE_IN_PROCESS);
}

/* hv hands the channel to the next guest, with a fresh ring, while the service drains. */
static void next_guest_during_drain(const struct model_call *call)
{
	struct hv_ioreq_ring *ring = model_ring(0);

	if (call->nr != HV_HC_CONSOLE_WRITE || model_page(0)->generation == 3)
		return;
	model_set_guest(0, 3, "t-next", 1);
	ring->read_pointer = ring->write_pointer = 0;
	push_text(0, "new\n");
}

static void drain_does_not_hand_back_entries_of_a_ring_that_changed_hands(void **state)
{
	attach(0, 1, "t-old", 1);
	model.hook = next_guest_during_drain;
	push_text(0, "old\n");
	scan_until_idle();
	assert_string_equal(model.console, "[t-old] old\n[t-next] new\n");
	assert_int_equal(model_ring(0)->read_pointer, 4);
}

static void debug_exit_refused_by_hv_still_completes_the_write(void **state)
{
	attach(0, 1, "t-exit", 1);
	model.result[HV_HC_PARTITION_EXIT] = -HV_ENOENT;
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE, HV_DEBUG_EXIT_PORT, 1, 1, 1);
	scan_until_idle();
	assert_int_equal(only_completion()->slot_state, HV_IOREQ_STATE_RESPONSE_READY);
	assert_false(svc.channels[0].exit_requested);
}

static void unclaimed_accesses_read_all_ones_and_are_counted(void **state)
{
	attach(0, 1, "t-stray", 1);
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_READ, UNCLAIMED_PORT, 4, 1, 0);
	scan_until_idle();
	assert_int_equal(only_completion()->slot_data, 0xffffffff);
	model_push(0, HV_IOREQ_MMIO, 0xfee00000, 4, 1);
	/* Across the end of the UART: in no device's range. */
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE, HV_CONSOLE_PORT + 7, 2, 1, 0x0a41);
	scan_until_idle();
	assert_int_equal(svc.channels[0].stray_accesses, 3);
	assert_int_equal(model.console_len, 0);
}

static void malformed_requests_and_entries_are_not_performed(void **state)
{
	const struct model_call *call;

	attach(0, 1, "t-bad", 1);
	/* An 8-byte port write: no instruction does that. */
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE, HV_CONSOLE_PORT, 8, 1, 0x0a41);
	scan_until_idle();
	/* More items than data holds. */
	model_post(0, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_READ, HV_TESTDEV_PORT, 4, 3, 0);
	scan_until_idle();
	call = model_call(HV_HC_IOREQ_COMPLETE, 1);
	assert_non_null(call);
	assert_int_equal(call->slot_data, 0);
	/* A page write that reads. */
	model_post(0, 0, HV_IOREQ_WP, HV_IOREQ_DIR_READ, 0x1000, 4, 1, 0);
	scan_until_idle();
	/* Ring entries: a page write, and a 3-byte one. */
	model_push(0, HV_IOREQ_WP, 0x1000, 4, 0x0a);
	model_push(0, HV_IOREQ_PIO, HV_CONSOLE_PORT, 3, 0x0a);
	scan_until_idle();
	assert_int_equal(svc.channels[0].testdev.wp_count, 0);
	assert_int_equal(svc.channels[0].stray_accesses, 5);
	assert_int_equal(model.console_len, 0);
}

#define CHANNEL_TEST(f) cmocka_unit_test_setup(f, setup)

/* hv answers channel 0's completion as its guest would: the next request at once. */
static unsigned int busy_requests;

static void channel0_asks_again(const struct model_call *call)
{
	if (call->nr != HV_HC_IOREQ_COMPLETE || call->a0 != 0 || busy_requests >= 100)
		return;
	busy_requests++;
	model_page(0)->slots[0].state = HV_IOREQ_STATE_NONE;
	post_scratch_read(0, 0);
}

static void a_busy_channel_does_not_starve_the_others(void **state)
{
	unsigned int i, first_of_channel_1 = ~0U;

	attach(0, 1, "t-busy", 1);
	attach(1, 1, "t-other", 1);
	busy_requests = 0;
	model.hook = channel0_asks_again;
	post_scratch_read(0, 0);
	post_scratch_read(1, 0);
	scan_until_idle();
	for (i = 0; i < model_count(HV_HC_IOREQ_COMPLETE); i++) {
		if (model_call(HV_HC_IOREQ_COMPLETE, i)->a0 == 1) {
			first_of_channel_1 = i;
			break;
		}
	}
	assert_int_equal(busy_requests, 100);
	assert_true(first_of_channel_1 <= 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CHANNEL_TEST(no_guest_means_no_work_and_no_hypercalls),
		CHANNEL_TEST(attach_takes_name_and_vcpus_from_the_header),
		CHANNEL_TEST(unterminated_name_and_too_many_vcpus_are_cut),
		CHANNEL_TEST(slot_goes_in_process_then_response_ready_with_data_then_complete),
		CHANNEL_TEST(read_data_is_in_the_slot_when_complete_is_called),
		CHANNEL_TEST(ring_entries_are_handled_in_order_before_a_ready_slot),
		CHANNEL_TEST(ring_is_drained_again_after_a_slot_is_seen_ready),
		CHANNEL_TEST(read_pointer_is_published_after_the_entries_are_handled),
		CHANNEL_TEST(ring_wraps_around_its_entries),
		CHANNEL_TEST(ring_pointers_wrap_modulo_2_32),
		CHANNEL_TEST(full_ring_is_drained_whole),
		CHANNEL_TEST(broken_ring_leaves_the_channel_alone),
		CHANNEL_TEST(generation_change_flushes_the_line_and_resets_the_devices),
		CHANNEL_TEST(generation_change_clears_a_pending_misbehave),
		CHANNEL_TEST(departed_guests_leftover_ring_entries_are_handled_at_detach),
		CHANNEL_TEST(ring_of_a_guest_that_replaced_another_is_the_new_guests),
		CHANNEL_TEST(slots_of_every_vcpu_are_answered_and_none_beyond),
		CHANNEL_TEST(channels_keep_their_own_device_state),
		CHANNEL_TEST(string_out_sends_each_packed_item_to_the_port),
		CHANNEL_TEST(string_in_packs_each_item_read),
		CHANNEL_TEST(string_out_to_scratch_leaves_the_last_item),
		CHANNEL_TEST(debug_exit_flushes_the_line_then_exits_then_completes),
		CHANNEL_TEST(debug_exit_reads_all_ones_and_other_ports_do_not_exit),
		CHANNEL_TEST(debug_exit_leaves_the_slot_alone_once_the_channel_is_another_guests),
		CHANNEL_TEST(debug_exit_leaves_a_slot_hv_took_back_alone),
		CHANNEL_TEST(next_guests_work_is_not_done_with_the_old_guests_state),
		CHANNEL_TEST(drain_does_not_hand_back_entries_of_a_ring_that_changed_hands),
		CHANNEL_TEST(debug_exit_refused_by_hv_still_completes_the_write),
		CHANNEL_TEST(unclaimed_accesses_read_all_ones_and_are_counted),
		CHANNEL_TEST(malformed_requests_and_entries_are_not_performed),
		CHANNEL_TEST(a_busy_channel_does_not_starve_the_others),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
