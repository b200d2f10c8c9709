/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv as the service partition sees it, for host tests of service/: the
 * channel area in host memory, and svc_hypercall() recording each call,
 * answering with a preset result and running a test's hook meanwhile.
 */
#ifndef TESTS_MODEL_SERVICE_HV_H
#define TESTS_MODEL_SERVICE_HV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ioreq.h>

#define MODEL_MAX_CALLS 4096U
#define MODEL_CONSOLE_SIZE 262144U
#define MODEL_MAX_HYPERCALL 32U

struct model_call {
	uint64_t nr, a0, a1, a2, a3;
	/* HV_HC_IOREQ_COMPLETE: the slot as it was when the call came. */
	uint8_t slot_state;
	uint64_t slot_data;
};

struct service_hv_model {
	void *area; /* HV_IOREQ_MAX_CHANNELS channels, page-aligned */
	struct model_call calls[MODEL_MAX_CALLS];
	unsigned int nr_calls;
	long result[MODEL_MAX_HYPERCALL]; /* what each hypercall returns; 0 after model_reset() */
	unsigned int crashes; /* service_crash() calls */
	/* Everything HV_HC_CONSOLE_WRITE wrote, NUL-terminated. */
	char console[MODEL_CONSOLE_SIZE];
	size_t console_len;
	uint64_t now; /* the TSC svc_now() reads */
	/* Runs inside every hypercall, after it was recorded. */
	void (*hook)(const struct model_call *call);
};

extern struct service_hv_model model;

/* A fresh area (zeroed: no guest on any channel), no calls, every result 0, no hook. */
void model_reset(void);
struct hv_ioreq_page *model_page(unsigned int channel);
struct hv_ioreq_ring *model_ring(unsigned int channel);
/* Writes the header as hv does when a guest starts (@generation odd) or ends (even). */
void model_set_guest(unsigned int channel, uint32_t generation, const char *name,
		     uint32_t nr_vcpus);
/* Posts a request into a slot as hv does: fields, then state READY. */
void model_post(unsigned int channel, unsigned int vcpu, uint8_t kind, uint8_t dir, uint64_t addr,
		uint8_t size, uint32_t count, uint64_t data);
/* Appends a buffered write as hv does: the entry, then write_pointer. */
void model_push(unsigned int channel, uint8_t kind, uint64_t addr, uint8_t size, uint64_t data);
/* How many calls of @nr were made; the @i-th of them (from 0), or NULL. */
unsigned int model_count(uint64_t nr);
const struct model_call *model_call(uint64_t nr, unsigned int i);

#endif /* TESTS_MODEL_SERVICE_HV_H */
