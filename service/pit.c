// SPDX-License-Identifier: GPL-2.0
/*
 * The 8254 interval timer (Intel 8254 datasheet) at 1.193182 MHz, and port
 * 0x61's gate and output of counter 2. Counts are computed from the TSC
 * when read; counter 0 raises IRQ 0 when its output goes high: once in mode
 * 0 (interrupt on terminal count), every period in modes 2 and 3 (rate and
 * square wave), which is what kernels use. Modes 1 and 5 need a gate
 * trigger counter 0 does not have; BCD counting is taken as binary.
 */
#include "service.h"

#define PIT_HZ 1193182U
#define PIT_CONTROL 3
#define CTRL_CHANNEL_SHIFT 6
#define CTRL_READ_BACK 3
#define CTRL_ACCESS_SHIFT 4
#define CTRL_ACCESS_LATCH 0
#define CTRL_ACCESS_LSB 1
#define CTRL_ACCESS_MSB 2
#define CTRL_MODE_SHIFT 1
#define READ_BACK_NO_COUNT 0x20 /* bit 5 clear: latch the counts */
#define READ_BACK_NO_STATUS 0x10
#define STATUS_OUTPUT 0x80
#define STATUS_NULL_COUNT 0x40
#define GATE2 0x01
#define SPEAKER 0x02
#define REFRESH 0x10
#define OUT2 0x20

void pit_reset(struct pit *pit)
{
	*pit = (struct pit){ 0 };
}

static uint64_t period(const struct pit_channel *c)
{
	return c->reload ? c->reload : 65536;
}

/* Input clock ticks since the count was loaded. */
static uint64_t elapsed(const struct pit_channel *c, uint64_t now)
{
	return now > c->start ? svc_tsc_to_ticks(now - c->start, PIT_HZ) : 0;
}

/* Modes 6 and 7 are modes 2 and 3. */
static unsigned int mode(const struct pit_channel *c)
{
	return c->mode > 5 ? c->mode - 4 : c->mode;
}

static uint16_t current_count(const struct pit_channel *c, uint64_t now)
{
	uint64_t t = elapsed(c, now), p = period(c);

	if (!c->counting)
		return c->reload;
	switch (mode(c)) {
	case 2:
		return p - t % p;
	case 3: /* counts down by 2, twice per period */
		return (p - (2 * t) % p) & ~1U;
	default: /* 0, 1, 4, 5: once, then it wraps */
		return (uint16_t)(p - t);
	}
}

static bool output(const struct pit_channel *c, uint64_t now)
{
	uint64_t t = elapsed(c, now), p = period(c);

	if (!c->counting)
		return mode(c) != 0;
	switch (mode(c)) {
	case 2:
		return t % p != p - 1;
	case 3:
		return t % p < (p + 1) / 2;
	case 0:
		return t >= p;
	default:
		return true;
	}
}

static void load_count(struct channel *ch, unsigned int i, uint64_t now)
{
	struct pit_channel *c = &ch->pit.ch[i];

	c->counting = i != 2 || ch->pit.gate2;
	c->start = now;
	c->next_irq = i == 0 && c->counting ? now + svc_ticks_to_tsc(period(c), PIT_HZ) : 0;
}

uint64_t pit_run(struct channel *ch, uint64_t now)
{
	struct pit_channel *c = &ch->pit.ch[0];

	if (!c->next_irq || now < c->next_irq)
		return c->next_irq;
	/* Periods that passed while nobody looked make one interrupt, as a late tick would. */
	irq_set_isa_line(ch, HV_IRQ_PIT, true);
	irq_set_isa_line(ch, HV_IRQ_PIT, false);
	if (mode(c) == 2 || mode(c) == 3) {
		uint64_t p = period(c), next = (elapsed(c, now) / p + 1) * p;

		c->next_irq = c->start + svc_ticks_to_tsc(next, PIT_HZ);
	} else {
		c->next_irq = 0;
	}
	return c->next_irq;
}

static void control_write(struct channel *ch, uint8_t value, uint64_t now)
{
	unsigned int i = value >> CTRL_CHANNEL_SHIFT, access = (value >> CTRL_ACCESS_SHIFT) & 3;
	struct pit_channel *c;

	if (i == CTRL_READ_BACK) {
		for (i = 0; i < 3; i++) {
			c = &ch->pit.ch[i];
			if (!(value & (2U << i)))
				continue;
			if (!(value & READ_BACK_NO_COUNT) && !c->latched) {
				c->latch = current_count(c, now);
				c->latched = true;
			}
			if (!(value & READ_BACK_NO_STATUS) && !c->status_latched) {
				c->status = (output(c, now) ? STATUS_OUTPUT : 0) |
					    (c->counting ? 0 : STATUS_NULL_COUNT) |
					    c->access << CTRL_ACCESS_SHIFT |
					    c->mode << CTRL_MODE_SHIFT;
				c->status_latched = true;
			}
		}
		return;
	}
	c = &ch->pit.ch[i];
	if (access == CTRL_ACCESS_LATCH) {
		if (!c->latched) {
			c->latch = current_count(c, now);
			c->latched = true;
		}
		return;
	}
	*c = (struct pit_channel){ .mode = (value >> CTRL_MODE_SHIFT) & 7, .access = access };
}

static uint8_t counter_read(struct pit_channel *c, uint64_t now)
{
	uint16_t count;
	bool msb;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	count = c->latched ? c->latch : current_count(c, now);
	msb = c->access == CTRL_ACCESS_MSB || (c->access == 3 && c->read_msb_next);
	if (c->access == 3)
		c->read_msb_next = !c->read_msb_next;
	if (c->latched && (c->access != 3 || !c->read_msb_next))
		c->latched = false;
	return msb ? count >> 8 : count & 0xff;
}

static void counter_write(struct channel *ch, unsigned int i, uint8_t value, uint64_t now)
{
	struct pit_channel *c = &ch->pit.ch[i];

	switch (c->access) {
	case CTRL_ACCESS_LSB:
		c->reload = value;
		break;
	case CTRL_ACCESS_MSB:
		c->reload = (uint16_t)value << 8;
		break;
	default:
		if (!c->write_msb_next) {
			c->reload = (c->reload & 0xff00) | value;
			c->write_msb_next = true;
			c->counting = false;
			c->next_irq = 0;
			return;
		}
		c->reload = (c->reload & 0xff) | (uint16_t)value << 8;
		c->write_msb_next = false;
		break;
	}
	load_count(ch, i, now);
}

uint64_t pit_read(struct channel *ch, uint64_t offset, unsigned int size)
{
	(void)size;
	return offset == PIT_CONTROL ? 0xff : counter_read(&ch->pit.ch[offset], svc_now());
}

void pit_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	(void)size;
	uint64_t now = svc_now();

	if (offset == PIT_CONTROL)
		control_write(ch, (uint8_t)value, now);
	else
		counter_write(ch, offset, (uint8_t)value, now);
}

/* Port 0x61: gate and speaker (read/write), refresh toggle and counter 2's output (read). */
uint64_t pit_gate_read(struct channel *ch, uint64_t offset, unsigned int size)
{
	struct pit *pit = &ch->pit;
	(void)offset;
	(void)size;

	pit->refresh = !pit->refresh;
	return (pit->gate2 ? GATE2 : 0) | (pit->speaker ? SPEAKER : 0) |
	       (pit->refresh ? REFRESH : 0) | (output(&pit->ch[2], svc_now()) ? OUT2 : 0);
}

void pit_gate_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	struct pit *pit = &ch->pit;
	bool gate = value & GATE2;
	(void)offset;
	(void)size;

	pit->speaker = value & SPEAKER;
	/* A rising gate (re)starts counter 2 with its count. */
	if (gate && !pit->gate2) {
		pit->gate2 = true;
		load_count(ch, 2, svc_now());
	}
	pit->gate2 = gate;
}
