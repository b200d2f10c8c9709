// SPDX-License-Identifier: GPL-2.0
/*
 * The test device (include/public/testdev.h, service/testdev.c), driven the
 * way a guest drives it: each access is a request hv posts into a slot and
 * the service answers, with a model of hv behind svc_hypercall().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>
#include <hypercall.h>
#include <service/service.h>
#include <tests/model/service_hv.h>

#define CHANNEL 3U /* not 0: the channel number must reach the hypercalls */
#define WP_PAGE 0x1234U

static struct service svc;

static int setup(void **state)
{
	model_reset();
	service_init(&svc, model.area, true);
	model_set_guest(CHANNEL, 1, "t-testdev", 1);
	service_scan(&svc);
	return 0;
}

/* hv without "testing": the guest has no test device. */
static int setup_without_testing(void **state)
{
	model_reset();
	service_init(&svc, model.area, false);
	model_set_guest(CHANNEL, 1, "t-testdev", 1);
	service_scan(&svc);
	return 0;
}

static void scan_until_idle(void)
{
	while (service_scan(&svc))
		;
}

/* One request from vCPU 0; returns what hv found in the slot at HV_HC_IOREQ_COMPLETE. */
static uint64_t request(uint8_t kind, uint8_t dir, uint64_t addr, uint8_t size, uint64_t data)
{
	unsigned int completions = model_count(HV_HC_IOREQ_COMPLETE);
	const struct model_call *call;

	model_post(CHANNEL, 0, kind, dir, addr, size, 1, dir == HV_IOREQ_DIR_READ ? 0 : data);
	scan_until_idle();
	call = model_call(HV_HC_IOREQ_COMPLETE, completions);
	assert_non_null(call);
	assert_int_equal(call->a0, CHANNEL);
	assert_int_equal(call->a1, 0);
	assert_int_equal(call->slot_state, HV_IOREQ_STATE_RESPONSE_READY);
	return call->slot_data;
}

static uint64_t port_in(unsigned int offset, uint8_t size)
{
	return request(HV_IOREQ_PIO, HV_IOREQ_DIR_READ, HV_TESTDEV_PORT + offset, size, 0);
}

static void port_out(unsigned int offset, uint8_t size, uint64_t value)
{
	uint64_t data =
		request(HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE, HV_TESTDEV_PORT + offset, size, value);

	assert_int_equal(data, value); /* a write's data comes back unchanged */
}

static uint64_t mmio_read(unsigned int offset, uint8_t size)
{
	return request(HV_IOREQ_MMIO, HV_IOREQ_DIR_READ, HV_TESTDEV_MMIO + offset, size, 0);
}

static void mmio_write(unsigned int offset, uint8_t size, uint64_t value)
{
	uint64_t data =
		request(HV_IOREQ_MMIO, HV_IOREQ_DIR_WRITE, HV_TESTDEV_MMIO + offset, size, value);

	assert_int_equal(data, value);
}

static uint32_t command(uint32_t cmd, uint32_t arg)
{
	port_out(HV_TESTDEV_ARG, 4, arg);
	port_out(HV_TESTDEV_CMD, 4, cmd);
	return port_in(HV_TESTDEV_ARG, 4);
}

static uint64_t wp_write(uint64_t gpa, uint8_t size, uint64_t value)
{
	return request(HV_IOREQ_WP, HV_IOREQ_DIR_WRITE, gpa, size, value);
}

/* The byte an access of @size at @offset sees at position @i, scratch byte j being 0x10 + j. */
static uint8_t expected_scratch_byte(unsigned int offset, unsigned int i)
{
	return offset + i < 8 ? 0x10 + offset + i : 0xff;
}

static void fill_port_scratch(void)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		port_out(HV_TESTDEV_SCRATCH + i, 1, 0x10 + i);
}

static void port_scratch_reads_of_every_size_and_offset(void **state)
{
	static const uint8_t sizes[] = { 1, 2, 4 };
	unsigned int s, offset, i;

	fill_port_scratch();
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (offset = 0; offset < 8; offset++) {
			uint64_t expect = 0;

			for (i = 0; i < sizes[s]; i++)
				expect |= (uint64_t)expected_scratch_byte(offset, i) << (8 * i);
			if (port_in(offset, sizes[s]) != expect)
				fail_msg("%u-byte read at +%u: %#llx, expected %#llx", sizes[s],
					 offset, (unsigned long long)port_in(offset, sizes[s]),
					 (unsigned long long)expect);
		}
	}
}

static void port_scratch_writes_of_every_size_and_offset_touch_only_their_bytes(void **state)
{
	static const uint8_t sizes[] = { 1, 2, 4 };
	unsigned int s, offset, i;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (offset = 0; offset < 8; offset++) {
			fill_port_scratch();
			port_out(HV_TESTDEV_ARG, 4, 0x55667788);
			port_out(offset, sizes[s], 0xa4a3a2a1 & size_mask(sizes[s]));
			for (i = 0; i < 8; i++) {
				bool written = i >= offset && i < offset + sizes[s];
				uint8_t expect = written ? 0xa1 + i - offset : 0x10 + i;

				if (port_in(i, 1) != expect)
					fail_msg(
						"%u-byte write at +%u: byte %u is %#llx, expected %#x",
						sizes[s], offset, i,
						(unsigned long long)port_in(i, 1), expect);
			}
			/* Bytes past +7 are dropped, not written into the command or argument. */
			assert_int_equal(port_in(HV_TESTDEV_ARG, 4), 0x55667788);
			assert_int_equal(port_in(HV_TESTDEV_CMD, 4), 0);
		}
	}
}

static void port_command_and_argument_are_32_bit_registers(void **state)
{
	port_out(HV_TESTDEV_ARG, 4, 0xdeadbeef);
	assert_int_equal(port_in(HV_TESTDEV_ARG, 4), 0xdeadbeef);
	/* Other sizes and offsets: all-ones, writes ignored. */
	assert_int_equal(port_in(HV_TESTDEV_ARG, 2), 0xffff);
	assert_int_equal(port_in(HV_TESTDEV_ARG + 1, 1), 0xff);
	assert_int_equal(port_in(HV_TESTDEV_CMD + 2, 2), 0xffff);
	port_out(HV_TESTDEV_ARG, 1, 0x11);
	port_out(HV_TESTDEV_ARG + 2, 2, 0x2222);
	assert_int_equal(port_in(HV_TESTDEV_ARG, 4), 0xdeadbeef);
	port_out(HV_TESTDEV_CMD, 2, HV_TESTDEV_CMD_WP_CLAIM);
	assert_int_equal(model_count(HV_HC_IOREQ_CLAIM_PAGE_TYPE), 0);
}

static void reading_command_returns_the_last_one(void **state)
{
	command(HV_TESTDEV_CMD_WP_APPLY, 1);
	assert_int_equal(port_in(HV_TESTDEV_CMD, 4), HV_TESTDEV_CMD_WP_APPLY);
	command(0x777, 0);
	assert_int_equal(port_in(HV_TESTDEV_CMD, 4), 0x777);
}

static void wp_claim_and_disclaim_put_hvs_result_in_arg(void **state)
{
	const struct model_call *call;

	assert_int_equal(command(HV_TESTDEV_CMD_WP_CLAIM, 0), 0);
	call = model_call(HV_HC_IOREQ_CLAIM_PAGE_TYPE, 0);
	assert_non_null(call);
	assert_int_equal(call->a0, HV_IOREQ_FORWARD_WRITES);

	model.result[HV_HC_IOREQ_CLAIM_PAGE_TYPE] = -HV_EBUSY;
	assert_int_equal(command(HV_TESTDEV_CMD_WP_CLAIM, 0), (uint32_t)-HV_EBUSY);

	model.result[HV_HC_IOREQ_CLAIM_PAGE_TYPE] = -HV_EINVAL;
	assert_int_equal(command(HV_TESTDEV_CMD_WP_DISCLAIM, 0), (uint32_t)-HV_EINVAL);
	call = model_call(HV_HC_IOREQ_CLAIM_PAGE_TYPE, 2);
	assert_non_null(call);
	assert_int_equal(call->a0, 0);
}

static void wp_mark_and_unmark_set_one_page_of_this_channel(void **state)
{
	const struct model_call *call;

	model.result[HV_HC_IOREQ_SET_PAGE_TYPE] = -HV_EPERM;
	assert_int_equal(command(HV_TESTDEV_CMD_WP_MARK, WP_PAGE), (uint32_t)-HV_EPERM);
	call = model_call(HV_HC_IOREQ_SET_PAGE_TYPE, 0);
	assert_non_null(call);
	assert_int_equal(call->a0, CHANNEL);
	assert_int_equal(call->a1, (uint64_t)WP_PAGE << 12);
	assert_int_equal(call->a2, 1);
	assert_int_equal(call->a3, HV_IOREQ_PAGE_SERVER);

	model.result[HV_HC_IOREQ_SET_PAGE_TYPE] = 0;
	assert_int_equal(command(HV_TESTDEV_CMD_WP_UNMARK, 0xfffff), 0);
	call = model_call(HV_HC_IOREQ_SET_PAGE_TYPE, 1);
	assert_non_null(call);
	assert_int_equal(call->a1, 0xfffffULL << 12);
	assert_int_equal(call->a3, HV_IOREQ_PAGE_RAM);
}

static void raise_irq_asks_hv_for_the_vector_destination_and_trigger(void **state)
{
	const struct model_call *call;

	model.result[HV_HC_IOREQ_RAISE_IRQ] = -HV_ENOENT;
	assert_int_equal(
		command(HV_TESTDEV_CMD_RAISE_IRQ,
			0x41 | (3U << HV_TESTDEV_IRQ_APIC_ID_SHIFT) | HV_TESTDEV_IRQ_LEVEL),
		(uint32_t)-HV_ENOENT);
	call = model_call(HV_HC_IOREQ_RAISE_IRQ, 0);
	assert_non_null(call);
	assert_int_equal(call->a0, CHANNEL);
	assert_int_equal(call->a1, 0x41);
	assert_int_equal(call->a2, 3);
	assert_int_equal(call->a3, HV_IRQ_LEVEL);

	model.result[HV_HC_IOREQ_RAISE_IRQ] = 0;
	assert_int_equal(command(HV_TESTDEV_CMD_RAISE_IRQ, 0xfe), 0);
	call = model_call(HV_HC_IOREQ_RAISE_IRQ, 1);
	assert_non_null(call);
	assert_int_equal(call->a1, 0xfe);
	assert_int_equal(call->a2, 0);
	assert_int_equal(call->a3, 0);
	/* Bits the command does not define: no call at all. */
	assert_int_equal(command(HV_TESTDEV_CMD_RAISE_IRQ, 1U << 17), (uint32_t)-HV_EINVAL);
	assert_int_equal(model_count(HV_HC_IOREQ_RAISE_IRQ), 2);
}

static void take_eoi_reports_and_clears_only_its_vector(void **state)
{
	struct hv_ioreq_page *page = model_page(CHANNEL);

	page->eoi_pending[1] = (1ULL << (0x41 % 64)) | (1ULL << (0x42 % 64));
	assert_int_equal(command(HV_TESTDEV_CMD_TAKE_EOI, 0x41), 1);
	assert_int_equal(page->eoi_pending[1], 1ULL << (0x42 % 64));
	assert_int_equal(command(HV_TESTDEV_CMD_TAKE_EOI, 0x41), 0);
	assert_int_equal(command(HV_TESTDEV_CMD_TAKE_EOI, 0x42), 1);
	assert_int_equal(page->eoi_pending[1], 0);
	assert_int_equal(command(HV_TESTDEV_CMD_TAKE_EOI, 0x100), (uint32_t)-HV_EINVAL);
}

static void unknown_command_and_bad_arguments_are_einval(void **state)
{
	assert_int_equal(command(0, 0), (uint32_t)-HV_EINVAL);
	assert_int_equal(command(HV_TESTDEV_CMD_TAKE_EOI + 1, 0), (uint32_t)-HV_EINVAL);
	assert_int_equal(command(HV_TESTDEV_CMD_WP_APPLY, 2), (uint32_t)-HV_EINVAL);
	assert_int_equal(command(HV_TESTDEV_CMD_MISBEHAVE, 0), (uint32_t)-HV_EINVAL);
	assert_int_equal(command(HV_TESTDEV_CMD_MISBEHAVE, HV_TESTDEV_BAD_TWICE + 1),
			 (uint32_t)-HV_EINVAL);
	/* None of them changed how the next request is answered. */
	assert_int_equal(port_in(HV_TESTDEV_SCRATCH, 1), 0);
}

static void mmio_scratch_of_every_size_at_aligned_and_unaligned_offsets(void **state)
{
	static const uint8_t sizes[] = { 1, 2, 4, 8 };
	static const unsigned int offsets[] = { 0, 1, 3, 7, 8, 0x3fd, 0x7f8, 0x7fc, 0x7ff };
	unsigned int s, o;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (o = 0; o < ARRAY_SIZE(offsets); o++) {
			uint64_t value = 0x8877665544332211ULL & size_mask(sizes[s]);

			if (offsets[o] + sizes[s] > HV_TESTDEV_MMIO_SCRATCH_SIZE)
				continue;
			mmio_write(offsets[o], sizes[s], value);
			if (mmio_read(offsets[o], sizes[s]) != value)
				fail_msg("%u-byte MMIO scratch at +%#x did not keep %#llx",
					 sizes[s], offsets[o], (unsigned long long)value);
		}
	}
	/* Bytes keep what the last write covering them wrote. */
	mmio_write(0x100, 8, 0x0807060504030201ULL);
	mmio_write(0x103, 2, 0xbbaa);
	assert_int_equal(mmio_read(0x100, 8), 0x080706bbaa030201ULL);
	assert_int_equal(mmio_read(0x104, 1), 0xbb);
}

static void mmio_request_counter_counts_every_mmio_request_and_is_read_only(void **state)
{
	mmio_write(0, 4, 1);
	mmio_read(0, 1);
	/* The read of the counter is the third request. */
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_REQUESTS, 8), 3);
	mmio_write(HV_TESTDEV_MMIO_REQUESTS, 8, 0);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_REQUESTS, 4), 5);
	/* Port requests are not MMIO requests. */
	port_in(0, 1);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_REQUESTS + 1, 1), 0);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_REQUESTS, 2), 7);
}

static void mmio_write_across_the_scratch_end_keeps_only_scratch_bytes(void **state)
{
	mmio_write(0x7fc, 8, 0x1111111122222222ULL);
	assert_int_equal(mmio_read(0x7fc, 4), 0x22222222);
	/* The counter: 2 requests before this one, 3 with it. */
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_REQUESTS, 8), 3);
}

static void mmio_top_reads_all_ones_and_ignores_writes(void **state)
{
	mmio_write(0xff0, 8, 0);
	assert_int_equal(mmio_read(0xff0, 8), ~0ULL);
	assert_int_equal(mmio_read(0xfff, 1), 0xff);
	/* Past the log, before the top: all-ones too. */
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_LOG + 16 * HV_TESTDEV_WP_LOG, 4), 0xffffffff);
}

static void wp_writes_are_logged_and_applied_by_default(void **state)
{
	assert_int_equal(wp_write(0x1234008, 4, 0xcafe), HV_IOREQ_WP_APPLY);
	assert_int_equal(wp_write(0x1234ff8, 8, 0x0123456789abcdefULL), HV_IOREQ_WP_APPLY);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_COUNT, 8), 2);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_LOG, 8), 0x1234008);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_LOG + 8, 8), 0xcafe);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_LOG + 16, 8), 0x1234ff8);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_LOG + 24, 8), 0x0123456789abcdefULL);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_LOG + 28, 4), 0x01234567);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_LOG + 32, 8), 0);
}

static void wp_apply_zero_drops_and_one_applies_again(void **state)
{
	assert_int_equal(command(HV_TESTDEV_CMD_WP_APPLY, 0), 0);
	assert_int_equal(wp_write(0x5000, 1, 1), HV_IOREQ_WP_DROP);
	assert_int_equal(command(HV_TESTDEV_CMD_WP_APPLY, 1), 0);
	assert_int_equal(wp_write(0x5000, 1, 2), HV_IOREQ_WP_APPLY);
	/* Dropped or applied, each write is logged. */
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_COUNT, 8), 2);
}

static void wp_log_keeps_the_first_entries_and_counting_goes_on(void **state)
{
	unsigned int i;

	for (i = 0; i < HV_TESTDEV_WP_LOG + 5; i++)
		wp_write(0x10000 + 8 * i, 8, i);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_COUNT, 8), HV_TESTDEV_WP_LOG + 5);
	i = HV_TESTDEV_WP_LOG - 1;
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_LOG + 16 * i, 8), 0x10000 + 8 * i);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_LOG + 16 * i + 8, 8), i);
	/* The log registers are read-only. */
	mmio_write(HV_TESTDEV_MMIO_WP_LOG, 8, 0x99);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_LOG, 8), 0x10000);
}

static void wp_reset_log_forgets_entries_and_count(void **state)
{
	wp_write(0x2000, 4, 7);
	assert_int_equal(command(HV_TESTDEV_CMD_WP_RESET_LOG, 0), 0);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_COUNT, 8), 0);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_LOG, 8), 0);
	wp_write(0x3000, 4, 8);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_WP_LOG, 8), 0x3000);
}

/*
 * MISBEHAVE as a guest's buffered port writes would send it, then the next
 * request: what hv sees when it is completed, or NULL.
 */
static const struct model_call *misbehaved_request(uint32_t bad, uint8_t kind, uint8_t dir,
						   uint64_t addr, uint8_t size, uint64_t data)
{
	unsigned int completions = model_count(HV_HC_IOREQ_COMPLETE);

	model_push(CHANNEL, HV_IOREQ_PIO, HV_TESTDEV_PORT + HV_TESTDEV_ARG, 4, bad);
	model_push(CHANNEL, HV_IOREQ_PIO, HV_TESTDEV_PORT + HV_TESTDEV_CMD, 4,
		   HV_TESTDEV_CMD_MISBEHAVE);
	model_post(CHANNEL, 0, kind, dir, addr, size, 1, data);
	scan_until_idle();
	return model_call(HV_HC_IOREQ_COMPLETE, completions);
}

static void misbehave_bad_data_sets_a_bit_above_the_read_size(void **state)
{
	const struct model_call *call;

	port_out(HV_TESTDEV_SCRATCH, 2, 0x1234);
	call = misbehaved_request(HV_TESTDEV_BAD_DATA, HV_IOREQ_PIO, HV_IOREQ_DIR_READ,
				  HV_TESTDEV_PORT, 2, 0);
	assert_non_null(call);
	assert_int_equal(call->slot_state, HV_IOREQ_STATE_RESPONSE_READY);
	assert_int_equal(call->slot_data, 0x10000 | 0x1234);
	/* Only that one request: the next read is right again. */
	assert_int_equal(port_in(HV_TESTDEV_SCRATCH, 2), 0x1234);
}

static void misbehave_bad_data_on_writes_and_page_writes(void **state)
{
	const struct model_call *call;

	call = misbehaved_request(HV_TESTDEV_BAD_DATA, HV_IOREQ_MMIO, HV_IOREQ_DIR_WRITE,
				  HV_TESTDEV_MMIO, 4, 0x40);
	assert_non_null(call);
	assert_int_not_equal(call->slot_data, 0x40);
	call = misbehaved_request(HV_TESTDEV_BAD_DATA, HV_IOREQ_WP, HV_IOREQ_DIR_WRITE, 0x4000, 4,
				  1);
	assert_non_null(call);
	assert_int_not_equal(call->slot_data, HV_IOREQ_WP_APPLY);
	assert_int_not_equal(call->slot_data, HV_IOREQ_WP_DROP);
}

static void misbehave_bad_state_completes_a_slot_left_in_process(void **state)
{
	const struct model_call *call;

	port_out(HV_TESTDEV_SCRATCH, 1, 0x42);
	call = misbehaved_request(HV_TESTDEV_BAD_STATE, HV_IOREQ_PIO, HV_IOREQ_DIR_READ,
				  HV_TESTDEV_PORT, 1, 0);
	assert_non_null(call);
	assert_int_equal(call->slot_state, HV_IOREQ_STATE_IN_PROCESS);
	assert_int_equal(call->slot_data, 0x42);
}

static void misbehave_bad_silent_takes_the_request_and_never_answers(void **state)
{
	const struct model_call *call;
	unsigned int calls;

	call = misbehaved_request(HV_TESTDEV_BAD_SILENT, HV_IOREQ_PIO, HV_IOREQ_DIR_WRITE,
				  HV_TESTDEV_PORT, 1, 0x99);
	assert_null(call);
	assert_int_equal(model_page(CHANNEL)->slots[0].state, HV_IOREQ_STATE_IN_PROCESS);
	/* Not even done: the write did not reach the scratch byte. */
	assert_int_equal(svc.channels[CHANNEL].testdev.scratch[0], 0);
	calls = model.nr_calls;
	scan_until_idle();
	assert_int_equal(model.nr_calls, calls);
}

static void misbehave_bad_crash_crashes_the_service_at_the_next_request(void **state)
{
	misbehaved_request(HV_TESTDEV_BAD_CRASH, HV_IOREQ_PIO, HV_IOREQ_DIR_READ, HV_TESTDEV_PORT,
			   1, 0);
	assert_int_equal(model.crashes, 1);
	/* The model survives the crash: nothing else crashes afterwards. */
	assert_int_equal(port_in(HV_TESTDEV_SCRATCH, 1), 0);
	assert_int_equal(model.crashes, 1);
}

static void misbehave_sent_in_a_slot_applies_to_the_request_after_it(void **state)
{
	const struct model_call *call;

	port_out(HV_TESTDEV_ARG, 4, HV_TESTDEV_BAD_STATE);
	/* The command's own request is answered right (port_out() checks). */
	port_out(HV_TESTDEV_CMD, 4, HV_TESTDEV_CMD_MISBEHAVE);
	model_post(CHANNEL, 0, HV_IOREQ_PIO, HV_IOREQ_DIR_READ, HV_TESTDEV_PORT + HV_TESTDEV_ARG, 4,
		   1, 0);
	scan_until_idle();
	call = model_call(HV_HC_IOREQ_COMPLETE, model_count(HV_HC_IOREQ_COMPLETE) - 1);
	assert_int_equal(call->slot_state, HV_IOREQ_STATE_IN_PROCESS);
	assert_int_equal(call->slot_data, 0); /* the command's result */
}

/*
 * Without "testing", a guest's MISBEHAVE (crash) reaches no device: the
 * service answers the next request correctly and keeps running.
 */
static void without_testing_misbehave_reaches_no_device_and_the_service_survives(void **state)
{
	const struct model_call *call;

	call = misbehaved_request(HV_TESTDEV_BAD_CRASH, HV_IOREQ_PIO, HV_IOREQ_DIR_READ,
				  HV_TESTDEV_PORT + HV_TESTDEV_ARG, 4, 0);
	assert_int_equal(model.crashes, 0);
	assert_non_null(call);
	assert_int_equal(call->slot_state, HV_IOREQ_STATE_RESPONSE_READY);
	assert_int_equal(call->slot_data, 0xffffffff); /* an empty bus, not the command's result */
	assert_int_equal(svc.channels[CHANNEL].testdev.misbehave, 0);
	assert_int_equal(svc.channels[CHANNEL].stray_accesses, 3);
}

static void without_testing_the_test_device_mmio_reads_all_ones(void **state)
{
	mmio_write(HV_TESTDEV_MMIO_SCRATCH, 8, 0x1122334455667788ULL);
	assert_int_equal(mmio_read(HV_TESTDEV_MMIO_SCRATCH, 8), ~0ULL);
	assert_int_equal(svc.channels[CHANNEL].testdev.mmio_requests, 0);
}

#define TESTDEV_TEST(f) cmocka_unit_test_setup(f, setup)
#define NO_TESTING_TEST(f) cmocka_unit_test_setup(f, setup_without_testing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TESTDEV_TEST(port_scratch_reads_of_every_size_and_offset),
		TESTDEV_TEST(port_scratch_writes_of_every_size_and_offset_touch_only_their_bytes),
		TESTDEV_TEST(port_command_and_argument_are_32_bit_registers),
		TESTDEV_TEST(reading_command_returns_the_last_one),
		TESTDEV_TEST(wp_claim_and_disclaim_put_hvs_result_in_arg),
		TESTDEV_TEST(wp_mark_and_unmark_set_one_page_of_this_channel),
		TESTDEV_TEST(raise_irq_asks_hv_for_the_vector_destination_and_trigger),
		TESTDEV_TEST(take_eoi_reports_and_clears_only_its_vector),
		TESTDEV_TEST(unknown_command_and_bad_arguments_are_einval),
		TESTDEV_TEST(mmio_scratch_of_every_size_at_aligned_and_unaligned_offsets),
		TESTDEV_TEST(mmio_request_counter_counts_every_mmio_request_and_is_read_only),
		TESTDEV_TEST(mmio_write_across_the_scratch_end_keeps_only_scratch_bytes),
		TESTDEV_TEST(mmio_top_reads_all_ones_and_ignores_writes),
		TESTDEV_TEST(wp_writes_are_logged_and_applied_by_default),
		TESTDEV_TEST(wp_apply_zero_drops_and_one_applies_again),
		TESTDEV_TEST(wp_log_keeps_the_first_entries_and_counting_goes_on),
		TESTDEV_TEST(wp_reset_log_forgets_entries_and_count),
		TESTDEV_TEST(misbehave_bad_data_sets_a_bit_above_the_read_size),
		TESTDEV_TEST(misbehave_bad_data_on_writes_and_page_writes),
		TESTDEV_TEST(misbehave_bad_state_completes_a_slot_left_in_process),
		TESTDEV_TEST(misbehave_bad_silent_takes_the_request_and_never_answers),
		TESTDEV_TEST(misbehave_bad_crash_crashes_the_service_at_the_next_request),
		TESTDEV_TEST(misbehave_sent_in_a_slot_applies_to_the_request_after_it),
		NO_TESTING_TEST(
			without_testing_misbehave_reaches_no_device_and_the_service_survives),
		NO_TESTING_TEST(without_testing_the_test_device_mmio_reads_all_ones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
