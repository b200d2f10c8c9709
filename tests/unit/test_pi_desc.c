// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of hv/apic/pi_desc.c, the posted-interrupt descriptor and the
 * PID-pointer table every interrupt for a vCPU goes through, against a
 * model of the CPU written here from the SDM apart from hv's code:
 *  - posted-interrupt processing (SDM Vol. 3C 30.6): ON cleared, PIR moved
 *    into VIRR, nothing lost;
 *  - IPI virtualization (30.1.6): vector below 16, an APIC ID beyond the
 *    last PID-pointer index, an entry not valid, with bits 5:1 set or
 *    beyond the physical-address width: an APIC-write VM exit; otherwise
 *    PIR[V] := 1 and, if ON and SN are both 0, ON := 1 and the notification
 *    NV goes to NDST.
 * hv's sender (pid_table_lookup() then pi_desc_post()) must decide as the
 * model does for every case; senders racing a receiver lose no vector and
 * leave no posted vector without an outstanding notification.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <hv/apic/pi_desc.h>

/* ---- The model: a descriptor as 64 bytes of memory, read as the SDM lays it out ---- */

#define MODEL_ON 0x1ULL /* bit 256 of the descriptor */
#define MODEL_SN 0x2ULL /* bit 257 */
#define MODEL_NV(ctl) ((uint8_t)((ctl) >> 16)) /* bits 279:272 */
#define MODEL_NDST(ctl) ((uint32_t)((ctl) >> 32)) /* bits 319:288 */

static uint64_t model_control(const struct pi_desc *d)
{
	uint64_t words[8];

	memcpy(words, d, sizeof(words));
	return words[4];
}

/* SN as the CPU reads it, set behind hv's back: hv never suppresses notifications itself. */
static void model_set_sn(struct pi_desc *d)
{
	uint64_t words[8];

	memcpy(words, d, sizeof(words));
	words[4] |= MODEL_SN;
	memcpy(d, words, sizeof(words));
}

static int model_pir_bit(const struct pi_desc *d, unsigned int v)
{
	uint64_t words[8];

	memcpy(words, d, sizeof(words));
	return (words[v / 64] >> (v % 64)) & 1;
}

enum model_outcome { MODEL_APIC_WRITE_EXIT, MODEL_POSTED, MODEL_POSTED_AND_NOTIFIED };

/* 30.1.6, the entry check only: is the PID-pointer entry usable? */
static int model_entry_usable(uint64_t entry, unsigned int pa_bits)
{
	if (!(entry & 1))
		return 0;
	if (entry & 0x3eULL)
		return 0;
	if (pa_bits < 64 && (entry >> pa_bits))
		return 0;
	return 1;
}

/* ---- Descriptor semantics ---- */

static void a_new_descriptor_has_nothing_posted_and_names_its_notification(void **state)
{
	static struct pi_desc d;

	memset(&d, 0xa5, sizeof(d));
	pi_desc_init(&d, 0xe0, pi_desc_ndst(3, false));
	assert_false(pi_desc_pending(&d));
	assert_int_equal(model_control(&d) & (MODEL_ON | MODEL_SN), 0);
	assert_int_equal(MODEL_NV(model_control(&d)), 0xe0);
	/* xAPIC mode: NDST bits 15:8 hold the APIC ID (30.6). */
	assert_int_equal(MODEL_NDST(model_control(&d)), 3 << 8);
	assert_int_equal(pi_desc_ndst(3, true), 3);
	assert_int_equal(offsetof(struct pi_desc, control), 32);
	assert_int_equal(_Alignof(struct pi_desc), 64);
}

static void the_first_post_notifies_later_ones_do_not_until_taken(void **state)
{
	static struct pi_desc d;
	struct vector_set irr = { 0 };
	uint8_t nv = 0;

	pi_desc_init(&d, 0xe0, 0);
	assert_true(pi_desc_post(&d, 0x41, &nv));
	assert_int_equal(nv, 0xe0);
	assert_true(model_control(&d) & MODEL_ON);
	assert_int_equal(model_pir_bit(&d, 0x41), 1);
	nv = 0;
	assert_false(pi_desc_post(&d, 0xf0, &nv));
	assert_int_equal(nv, 0);
	assert_int_equal(model_pir_bit(&d, 0xf0), 1);

	/* 30.6: ON cleared, PIR moved into VIRR, the highest vector found. */
	assert_int_equal(pi_desc_take(&d, &irr), 0xf0);
	assert_false(model_control(&d) & MODEL_ON);
	assert_false(pi_desc_pending(&d));
	assert_true(vector_set_test(&irr, 0x41));
	assert_true(vector_set_test(&irr, 0xf0));
	assert_int_equal(vector_set_highest(&irr), 0xf0);
	assert_int_equal(pi_desc_take(&d, &irr), -1);
	/* Taken, the next post notifies again. */
	assert_true(pi_desc_post(&d, 0x20, &nv));
}

static void suppressed_notification_posts_without_notifying(void **state)
{
	static struct pi_desc d;
	struct vector_set irr = { 0 };
	uint8_t nv = 0;
	uint64_t old;

	pi_desc_init(&d, 0xe0, 7);
	model_set_sn(&d);
	assert_false(pi_desc_post(&d, 0x30, &nv));
	assert_int_equal(model_pir_bit(&d, 0x30), 1);
	assert_false(model_control(&d) & MODEL_ON);
	/* Switching to the wakeup vector keeps NDST and ON, clears SN. */
	old = pi_desc_set_notification(&d, 0xe1);
	assert_true(old & MODEL_SN);
	assert_int_equal(MODEL_NV(model_control(&d)), 0xe1);
	assert_int_equal(MODEL_NDST(model_control(&d)), 7);
	assert_true(pi_desc_post(&d, 0x31, &nv));
	assert_int_equal(nv, 0xe1);
	assert_int_equal(pi_desc_take(&d, &irr), 0x31);
	assert_true(vector_set_test(&irr, 0x30));
}

/* ---- The PID-pointer table against the model of 30.1.6 ---- */

static void pid_table_lookup_refuses_what_the_cpu_refuses(void **state)
{
	static const uint64_t entries[] = {
		0x1000 | 1, /* valid */
		0x1000, /* not valid */
		0x1040 | 1, /* 64-byte aligned, valid */
		0x1000 | 1 | 0x2, /* bit 1 */
		0x1000 | 1 | 0x20, /* bit 5 */
		(1ULL << 46) | 0x1000 | 1, /* beyond a 46-bit width */
		(1ULL << 45) | 0x1000 | 1, /* within it */
		0xffffffffffffffc1ULL, /* all address bits */
	};
	static const unsigned int widths[] = { 36, 46, 52, 64 };
	unsigned int e, w, last;

	for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
		for (e = 0; e < sizeof(entries) / sizeof(entries[0]); e++)
			for (last = 0; last < 3; last++) {
				u64 table[4] = { 0 };
				u64 got;

				table[1] = entries[e];
				got = pid_table_lookup(table, last, 1, widths[w]);
				if (last < 1 || !model_entry_usable(entries[e], widths[w]))
					assert_int_equal(got, 0);
				else
					assert_int_equal(got, entries[e] & ~0x3fULL);
			}
	/* An ID far beyond the table is never read. */
	assert_int_equal(pid_table_lookup(NULL, 3, 0xffffffffU, 46), 0);
}

/* The whole sender against the model: same exit, same PIR, same notification. */
static void the_sender_decides_as_ipi_virtualization_does(void **state)
{
	static struct pi_desc hv_d, model_d;
	unsigned int vector, flags;

	for (flags = 0; flags < 4; flags++)
		for (vector = 16; vector < 256; vector += 7) {
			uint64_t ctl;
			enum model_outcome want, got;
			uint8_t nv = 0;

			pi_desc_init(&hv_d, 0xe0, 2);
			if (flags & 1)
				pi_desc_post(&hv_d, 0x22, &nv); /* ON outstanding */
			if (flags & 2)
				model_set_sn(&hv_d);
			memcpy(&model_d, &hv_d, sizeof(model_d));

			/* The model: PIR[V] := 1; if ON = SN = 0, ON := 1 and notify. */
			ctl = model_control(&model_d);
			want = (ctl & (MODEL_ON | MODEL_SN)) ? MODEL_POSTED :
							       MODEL_POSTED_AND_NOTIFIED;

			nv = 0;
			got = pi_desc_post(&hv_d, (uint8_t)vector, &nv) ?
				      MODEL_POSTED_AND_NOTIFIED :
				      MODEL_POSTED;
			assert_int_equal(got, want);
			assert_int_equal(model_pir_bit(&hv_d, vector), 1);
			if (want == MODEL_POSTED_AND_NOTIFIED) {
				assert_int_equal(nv, MODEL_NV(ctl));
				assert_true(model_control(&hv_d) & MODEL_ON);
			} else {
				assert_int_equal(model_control(&hv_d), ctl);
			}
		}
}

/* ---- Senders racing a receiver ---- */

#define SENDERS 3
#define ROUNDS 20000

static struct pi_desc race_d;
static unsigned int notifications, taken_count[256];
static volatile int stop_receiver;

static void *sender(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg, i;

	for (i = 0; i < ROUNDS; i++) {
		uint8_t nv;
		u8 vector = (u8)(32 + id * 64 + i % 64);

		if (pi_desc_post(&race_d, vector, &nv))
			__atomic_fetch_add(&notifications, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void *receiver(void *unused)
{
	while (!__atomic_load_n(&stop_receiver, __ATOMIC_SEQ_CST)) {
		struct vector_set irr = { 0 };
		unsigned int v;

		if (!(__atomic_load_n(&race_d.control, __ATOMIC_SEQ_CST) & PI_DESC_ON))
			continue;
		pi_desc_take(&race_d, &irr);
		for (v = 0; v < 256; v++)
			if (vector_set_test(&irr, (u8)v))
				taken_count[v]++;
	}
	return NULL;
}

static void racing_senders_lose_no_vector_and_leave_none_unnotified(void **state)
{
	pthread_t s[SENDERS], r;
	struct vector_set rest = { 0 };
	unsigned int i, v;

	pi_desc_init(&race_d, 0xe0, 0);
	pthread_create(&r, NULL, receiver, NULL);
	for (i = 0; i < SENDERS; i++)
		pthread_create(&s[i], NULL, sender, (void *)(uintptr_t)i);
	for (i = 0; i < SENDERS; i++)
		pthread_join(s[i], NULL);
	/* Quiescent senders: whatever is still posted has its notification outstanding. */
	if (pi_desc_pending(&race_d))
		assert_true(__atomic_load_n(&race_d.control, __ATOMIC_SEQ_CST) & PI_DESC_ON);
	__atomic_store_n(&stop_receiver, 1, __ATOMIC_SEQ_CST);
	pthread_join(r, NULL);
	pi_desc_take(&race_d, &rest);
	for (v = 0; v < 256; v++) {
		bool sent = v >= 32 && v < 32 + SENDERS * 64;

		if (vector_set_test(&rest, (u8)v))
			taken_count[v]++;
		/* Every vector sent arrived at least once, and none was invented. */
		if (sent)
			assert_true(taken_count[v] >= 1);
		else
			assert_int_equal(taken_count[v], 0);
	}
	assert_true(notifications >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_new_descriptor_has_nothing_posted_and_names_its_notification),
		cmocka_unit_test(the_first_post_notifies_later_ones_do_not_until_taken),
		cmocka_unit_test(suppressed_notification_posts_without_notifying),
		cmocka_unit_test(pid_table_lookup_refuses_what_the_cpu_refuses),
		cmocka_unit_test(the_sender_decides_as_ipi_virtualization_does),
		cmocka_unit_test(racing_senders_lose_no_vector_and_leave_none_unnotified),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
