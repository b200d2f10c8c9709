// SPDX-License-Identifier: GPL-2.0
/*
 * The test device of include/public/testdev.h, one per guest: scratch
 * ports and memory, commands that drive hv's ioreq-server page type, a log
 * of forwarded page writes, and deliberately wrong answers for the tests of
 * hv's checks (applied by channel.c). Registers are modelled byte by byte,
 * so an access of any size at any offset reads and writes exactly the
 * bytes it covers.
 */
#include <string.h>
#include <hypercall.h>
#include "service.h"

#define PAGE_SHIFT 12
#define WP_LOG_ENTRY_SIZE sizeof(struct testdev_wp_entry)
#define WP_LOG_END (HV_TESTDEV_MMIO_WP_LOG + HV_TESTDEV_WP_LOG * WP_LOG_ENTRY_SIZE)
#define REGISTER_SIZE 4U /* command and argument */

_Static_assert(WP_LOG_ENTRY_SIZE == 16, "testdev.h: 16 bytes per log entry");

void testdev_reset(struct testdev *dev)
{
	memset(dev, 0, sizeof(*dev));
	dev->wp_apply = true;
}

/* Byte @i of the little-endian @value. */
static uint8_t byte_of(uint64_t value, unsigned int i)
{
	return value >> (8 * i);
}

/* Whether the guest ended level-triggered @vector since the last look (eoi_pending), cleared. */
static long take_eoi(struct channel *ch, uint32_t vector)
{
	uint64_t bit = 1ULL << (vector % 64);

	if (vector > HV_TESTDEV_IRQ_VECTOR_MASK)
		return -HV_EINVAL;
	return !!(__atomic_fetch_and(&ch->page->eoi_pending[vector / 64], ~bit, __ATOMIC_SEQ_CST) &
		  bit);
}

/* The result goes into ARG: a negative HV_E* code or >= 0. */
static long testdev_command(struct channel *ch, uint32_t command, uint32_t arg)
{
	struct testdev *dev = &ch->testdev;

	switch (command) {
	case HV_TESTDEV_CMD_WP_CLAIM:
		return svc_hypercall(HV_HC_IOREQ_CLAIM_PAGE_TYPE, HV_IOREQ_FORWARD_WRITES, 0, 0, 0);
	case HV_TESTDEV_CMD_WP_DISCLAIM:
		return svc_hypercall(HV_HC_IOREQ_CLAIM_PAGE_TYPE, 0, 0, 0, 0);
	case HV_TESTDEV_CMD_WP_MARK:
		return svc_hypercall(HV_HC_IOREQ_SET_PAGE_TYPE, ch->id, (uint64_t)arg << PAGE_SHIFT,
				     1, HV_IOREQ_PAGE_SERVER);
	case HV_TESTDEV_CMD_WP_UNMARK:
		return svc_hypercall(HV_HC_IOREQ_SET_PAGE_TYPE, ch->id, (uint64_t)arg << PAGE_SHIFT,
				     1, HV_IOREQ_PAGE_RAM);
	case HV_TESTDEV_CMD_WP_APPLY:
		if (arg > 1)
			return -HV_EINVAL;
		dev->wp_apply = arg;
		return 0;
	case HV_TESTDEV_CMD_WP_RESET_LOG:
		dev->wp_count = 0;
		memset(dev->wp_log, 0, sizeof(dev->wp_log));
		return 0;
	case HV_TESTDEV_CMD_WP_RACE:
		dev->wp_race = true;
		return 0;
	case HV_TESTDEV_CMD_MISBEHAVE:
		if (arg < HV_TESTDEV_BAD_DATA || arg > HV_TESTDEV_BAD_TWICE)
			return -HV_EINVAL;
		dev->misbehave = arg;
		return 0;
	case HV_TESTDEV_CMD_RAISE_IRQ:
		if (arg & ~(HV_TESTDEV_IRQ_VECTOR_MASK | HV_TESTDEV_IRQ_APIC_ID_MASK |
			    HV_TESTDEV_IRQ_LEVEL))
			return -HV_EINVAL;
		return svc_hypercall(
			HV_HC_IOREQ_RAISE_IRQ, ch->id, arg & HV_TESTDEV_IRQ_VECTOR_MASK,
			(arg & HV_TESTDEV_IRQ_APIC_ID_MASK) >> HV_TESTDEV_IRQ_APIC_ID_SHIFT,
			arg & HV_TESTDEV_IRQ_LEVEL ? HV_IRQ_LEVEL : 0);
	case HV_TESTDEV_CMD_TAKE_EOI:
		return take_eoi(ch, arg);
	default:
		return -HV_EINVAL;
	}
}

/*
 * Ports: an access starting in the scratch bytes covers only scratch bytes
 * (those past +7 read 0xff and ignore writes); command and argument are
 * 32-bit registers, other accesses to them read all-ones and are ignored.
 */
uint64_t testdev_port_read(struct channel *ch, uint64_t offset, unsigned int size)
{
	struct testdev *dev = &ch->testdev;
	uint64_t value = 0;
	unsigned int i;

	if (offset < HV_TESTDEV_CMD) {
		for (i = 0; i < size; i++) {
			uint8_t byte =
				offset + i < HV_TESTDEV_CMD ? dev->scratch[offset + i] : 0xff;

			value |= (uint64_t)byte << (8 * i);
		}
		return value;
	}
	if (size == REGISTER_SIZE && offset == HV_TESTDEV_CMD)
		return dev->command;
	if (size == REGISTER_SIZE && offset == HV_TESTDEV_ARG)
		return dev->arg;
	return size_mask(size);
}

void testdev_port_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	struct testdev *dev = &ch->testdev;
	unsigned int i;

	if (offset < HV_TESTDEV_CMD) {
		for (i = 0; i < size && offset + i < HV_TESTDEV_CMD; i++)
			dev->scratch[offset + i] = byte_of(value, i);
		return;
	}
	if (size == REGISTER_SIZE && offset == HV_TESTDEV_CMD) {
		dev->command = value;
		dev->arg = testdev_command(ch, dev->command, dev->arg);
	} else if (size == REGISTER_SIZE && offset == HV_TESTDEV_ARG) {
		dev->arg = value;
	}
}

/* Byte @offset of the MMIO registers; the 64-bit ones are 8-byte aligned. */
static uint8_t mmio_byte(const struct testdev *dev, uint64_t offset)
{
	const struct testdev_wp_entry *entry;
	uint64_t entry_offset;

	if (offset < HV_TESTDEV_MMIO_SCRATCH + HV_TESTDEV_MMIO_SCRATCH_SIZE)
		return dev->mmio_scratch[offset - HV_TESTDEV_MMIO_SCRATCH];
	if (offset < HV_TESTDEV_MMIO_WP_COUNT)
		return byte_of(dev->mmio_requests, offset % 8);
	if (offset < HV_TESTDEV_MMIO_WP_LOG)
		return byte_of(dev->wp_count, offset % 8);
	if (offset < WP_LOG_END) {
		entry_offset = offset - HV_TESTDEV_MMIO_WP_LOG;
		entry = &dev->wp_log[entry_offset / WP_LOG_ENTRY_SIZE];
		return byte_of(entry_offset % WP_LOG_ENTRY_SIZE < 8 ? entry->gpa : entry->value,
			       offset % 8);
	}
	/* Past the log, up to and with +0xff0..+0xfff: all-ones. */
	return 0xff;
}

/* Every access is one request (MMIO requests are never strings), and it counts itself. */
uint64_t testdev_mmio_read(struct channel *ch, uint64_t offset, unsigned int size)
{
	uint64_t value = 0;
	unsigned int i;

	ch->testdev.mmio_requests++;
	for (i = 0; i < size; i++)
		value |= (uint64_t)mmio_byte(&ch->testdev, offset + i) << (8 * i);
	return value;
}

/* Only the scratch memory is writable. */
void testdev_mmio_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	struct testdev *dev = &ch->testdev;
	unsigned int i;

	dev->mmio_requests++;
	for (i = 0; i < size; i++) {
		uint64_t byte_offset = offset + i - HV_TESTDEV_MMIO_SCRATCH;

		if (byte_offset < HV_TESTDEV_MMIO_SCRATCH_SIZE)
			dev->mmio_scratch[byte_offset] = byte_of(value, i);
	}
}

uint64_t testdev_wp_write(struct channel *ch, uint64_t gpa, uint64_t value)
{
	struct testdev *dev = &ch->testdev;

	if (dev->wp_count < HV_TESTDEV_WP_LOG)
		dev->wp_log[dev->wp_count] = (struct testdev_wp_entry){ gpa, value };
	dev->wp_count++;
	if (dev->wp_race) {
		dev->wp_race = false;
		svc_hypercall(HV_HC_IOREQ_CLAIM_PAGE_TYPE, 0, 0, 0, 0);
	}
	return dev->wp_apply ? HV_IOREQ_WP_APPLY : HV_IOREQ_WP_DROP;
}
