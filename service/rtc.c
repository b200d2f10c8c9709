// SPDX-License-Identifier: GPL-2.0
/*
 * The MC146818 real-time clock and CMOS memory at ports 0x70 (index; bit
 * 7 disables NMIs) and 0x71 (data). The clock starts at HV_RTC_EPOCH when
 * the guest starts (hv gives the service no wall clock) and runs with the
 * TSC; registers 0-9 and the century (0x32) are computed when read, in BCD
 * or binary and 12- or 24-hour form as register B says. Writes to them
 * set the clock. Register A's update-in-progress bit is set for the last
 * 244 us of each second, as the chip's; its interrupts (periodic, alarm,
 * update) are not emulated and say so once.
 */
#include <stdio.h>
#include "service.h"

#define HV_RTC_EPOCH 1767225600ULL /* 2026-01-01 00:00:00 UTC */
#define RTC_INDEX_MASK 0x7f
#define RTC_NMI_DISABLE 0x80
#define REG_SECONDS 0x00
#define REG_MINUTES 0x02
#define REG_HOURS 0x04
#define REG_WEEKDAY 0x06
#define REG_DAY 0x07
#define REG_MONTH 0x08
#define REG_YEAR 0x09
#define REG_A 0x0a
#define REG_B 0x0b
#define REG_C 0x0c
#define REG_D 0x0d
#define REG_CENTURY 0x32
#define A_UIP 0x80
#define A_DEFAULT 0x26 /* 32.768 kHz time base, 1024 Hz rate */
#define B_SET 0x80
#define B_INTERRUPTS 0x70 /* PIE, AIE, UIE */
#define B_BINARY 0x04
#define B_24H 0x02
#define D_VRT 0x80 /* the battery is good */
#define HOUR_PM 0x80
#define UIP_US 244U

struct clock {
	unsigned int sec, min, hour, weekday, day, month, year;
};

void rtc_reset(struct rtc *rtc, uint64_t now)
{
	*rtc = (struct rtc){ .base_seconds = HV_RTC_EPOCH, .base_tsc = now };
	rtc->cmos[REG_A] = A_DEFAULT;
	rtc->cmos[REG_B] = B_24H;
	rtc->cmos[REG_D] = D_VRT;
}

/* Civil date from days since 1970-01-01 (H. Hinnant's algorithm). */
static void civil(uint64_t seconds, struct clock *c)
{
	int64_t z = (int64_t)(seconds / 86400) + 719468, era = z / 146097;
	unsigned int doe = (unsigned int)(z - era * 146097);
	unsigned int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned int doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

	c->sec = seconds % 60;
	c->min = seconds / 60 % 60;
	c->hour = seconds / 3600 % 24;
	c->weekday = (seconds / 86400 + 4) % 7 + 1; /* 1970-01-01 was a Thursday; Sunday is 1 */
	c->day = doy - (153 * mp + 2) / 5 + 1;
	c->month = mp < 10 ? mp + 3 : mp - 9;
	c->year = (unsigned int)(yoe + era * 400) + (c->month <= 2);
}

static uint64_t days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
	int64_t era;
	unsigned int yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = (unsigned int)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)(era * 146097 + doe - 719468);
}

static uint64_t seconds_now(const struct rtc *rtc, uint64_t now)
{
	return rtc->base_seconds + (now - rtc->base_tsc) / svc_tsc_hz;
}

static uint8_t encode(const struct rtc *rtc, unsigned int v)
{
	return rtc->cmos[REG_B] & B_BINARY ? v : (v / 10) << 4 | v % 10;
}

static unsigned int decode(const struct rtc *rtc, uint8_t v)
{
	return rtc->cmos[REG_B] & B_BINARY ? v : (v >> 4) * 10 + (v & 0xf);
}

static uint8_t hour_register(const struct rtc *rtc, unsigned int hour)
{
	unsigned int h12 = hour % 12 ? hour % 12 : 12;

	if (rtc->cmos[REG_B] & B_24H)
		return encode(rtc, hour);
	return encode(rtc, h12) | (hour >= 12 ? HOUR_PM : 0);
}

static uint8_t clock_register(const struct rtc *rtc, unsigned int reg, uint64_t now)
{
	struct clock c;

	civil(seconds_now(rtc, now), &c);
	switch (reg) {
	case REG_SECONDS:
		return encode(rtc, c.sec);
	case REG_MINUTES:
		return encode(rtc, c.min);
	case REG_HOURS:
		return hour_register(rtc, c.hour);
	case REG_WEEKDAY:
		return encode(rtc, c.weekday);
	case REG_DAY:
		return encode(rtc, c.day);
	case REG_MONTH:
		return encode(rtc, c.month);
	case REG_YEAR:
		return encode(rtc, c.year % 100);
	default: /* REG_CENTURY */
		return encode(rtc, c.year / 100);
	}
}

static bool is_clock_register(unsigned int reg)
{
	return reg == REG_SECONDS || reg == REG_MINUTES || reg == REG_HOURS || reg == REG_WEEKDAY ||
	       reg == REG_DAY || reg == REG_MONTH || reg == REG_YEAR || reg == REG_CENTURY;
}

/* A write to a clock register sets that field of the current time. */
static void set_clock_register(struct rtc *rtc, unsigned int reg, uint8_t value, uint64_t now)
{
	uint64_t secs = seconds_now(rtc, now);
	unsigned int v = decode(rtc, value & (reg == REG_HOURS ? ~HOUR_PM : 0xff));
	struct clock c;

	civil(secs, &c);
	switch (reg) {
	case REG_SECONDS:
		c.sec = v % 60;
		break;
	case REG_MINUTES:
		c.min = v % 60;
		break;
	case REG_HOURS:
		if (!(rtc->cmos[REG_B] & B_24H))
			v = v % 12 + (value & HOUR_PM ? 12 : 0);
		c.hour = v % 24;
		break;
	case REG_DAY:
		c.day = v >= 1 && v <= 31 ? v : c.day;
		break;
	case REG_MONTH:
		c.month = v >= 1 && v <= 12 ? v : c.month;
		break;
	case REG_YEAR:
		c.year = c.year / 100 * 100 + v % 100;
		break;
	case REG_CENTURY:
		c.year = v * 100 + c.year % 100;
		break;
	default: /* the weekday follows from the date */
		return;
	}
	rtc->base_seconds = days_from_civil(c.year, c.month, c.day) * 86400 + c.hour * 3600 +
			    c.min * 60 + c.sec;
	rtc->base_tsc = now;
}

static uint8_t register_read(struct channel *ch, unsigned int reg, uint64_t now)
{
	struct rtc *rtc = &ch->rtc;
	uint64_t into_second = (now - rtc->base_tsc) % svc_tsc_hz;

	if (is_clock_register(reg))
		return clock_register(rtc, reg, now);
	if (reg == REG_A)
		return rtc->cmos[REG_A] |
		       (into_second >= svc_tsc_hz - svc_ticks_to_tsc(UIP_US, 1000000) ? A_UIP : 0);
	if (reg == REG_C)
		return 0; /* no interrupt flags: none is raised (and reading clears them) */
	return rtc->cmos[reg];
}

static void register_write(struct channel *ch, unsigned int reg, uint8_t value, uint64_t now)
{
	struct rtc *rtc = &ch->rtc;

	if (is_clock_register(reg)) {
		set_clock_register(rtc, reg, value, now);
		return;
	}
	if (reg == REG_C || reg == REG_D)
		return; /* read-only */
	if (reg == REG_A)
		value &= ~A_UIP;
	if (reg == REG_B && (value & B_INTERRUPTS) && !rtc->unsupported_reported) {
		rtc->unsupported_reported = true;
		printf("service: [%s] RTC interrupts (register B %#x) are not emulated\n", ch->name,
		       value);
	}
	rtc->cmos[reg] = value;
}

uint64_t rtc_read(struct channel *ch, uint64_t offset, unsigned int size)
{
	(void)size;
	if (!offset)
		return 0xff; /* the index port is write-only */
	return register_read(ch, ch->rtc.index, svc_now());
}

void rtc_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	(void)size;
	if (!offset) {
		ch->rtc.index = value & RTC_INDEX_MASK;
		ch->rtc.nmi_disabled = value & RTC_NMI_DISABLE;
		return;
	}
	register_write(ch, ch->rtc.index, (uint8_t)value, svc_now());
}
