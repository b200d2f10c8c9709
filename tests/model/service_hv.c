// SPDX-License-Identifier: GPL-2.0
/* The model of hv for the service partition's host tests (service_hv.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>
#include <hypercall.h>
#include <tests/model/service_hv.h>

struct service_hv_model model;
uint64_t svc_tsc_hz = 10000000; /* Bochs's TSC at ips=10000000 */

uint64_t svc_now(void)
{
	return model.now;
}

static uint8_t area[HV_IOREQ_MAX_CHANNELS * HV_IOREQ_CHANNEL_SIZE]
	__attribute__((aligned(HV_IOREQ_PAGE_SIZE)));

void model_reset(void)
{
	memset(area, 0, sizeof(area));
	memset(&model, 0, sizeof(model));
	model.area = area;
}

struct hv_ioreq_page *model_page(unsigned int channel)
{
	return (struct hv_ioreq_page *)(area + channel * HV_IOREQ_CHANNEL_SIZE);
}

struct hv_ioreq_ring *model_ring(unsigned int channel)
{
	return (struct hv_ioreq_ring *)(area + channel * HV_IOREQ_CHANNEL_SIZE +
					HV_IOREQ_PAGE_SIZE);
}

void model_set_guest(unsigned int channel, uint32_t generation, const char *name, uint32_t nr_vcpus)
{
	struct hv_ioreq_page *page = model_page(channel);

	memset(page->name, 0, sizeof(page->name));
	strncpy(page->name, name, sizeof(page->name) - 1);
	page->nr_vcpus = nr_vcpus;
	page->partition_id = channel + 1;
	__atomic_store_n(&page->generation, generation, __ATOMIC_RELEASE);
}

void model_post(unsigned int channel, unsigned int vcpu, uint8_t kind, uint8_t dir, uint64_t addr,
		uint8_t size, uint32_t count, uint64_t data)
{
	struct hv_ioreq *slot = &model_page(channel)->slots[vcpu];

	slot->addr = addr;
	slot->data = data;
	slot->count = count;
	slot->size = size;
	slot->dir = dir;
	slot->kind = kind;
	slot->seq++;
	__atomic_store_n(&slot->state, HV_IOREQ_STATE_READY, __ATOMIC_RELEASE);
}

void model_push(unsigned int channel, uint8_t kind, uint64_t addr, uint8_t size, uint64_t data)
{
	struct hv_ioreq_ring *ring = model_ring(channel);
	uint32_t write = ring->write_pointer;

	ring->entries[write % HV_IOREQ_RING_ENTRIES] = (struct hv_ioreq_ring_entry){
		.addr = addr,
		.data = data,
		.size = size,
		.kind = kind,
	};
	__atomic_store_n(&ring->write_pointer, write + 1, __ATOMIC_RELEASE);
}

unsigned int model_count(uint64_t nr)
{
	unsigned int i, n = 0;

	for (i = 0; i < model.nr_calls; i++)
		n += model.calls[i].nr == nr;
	return n;
}

const struct model_call *model_call(uint64_t nr, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < model.nr_calls; j++)
		if (model.calls[j].nr == nr && !i--)
			return &model.calls[j];
	return NULL;
}

static void console_write(const struct model_call *call)
{
	if (call->a1 > HV_CONSOLE_WRITE_MAX)
		fail_msg("HV_HC_CONSOLE_WRITE of %llu bytes", (unsigned long long)call->a1);
	if (model.console_len + call->a1 >= sizeof(model.console))
		fail_msg("the model's console is full");
	memcpy(model.console + model.console_len, (const void *)(uintptr_t)call->a0, call->a1);
	model.console_len += call->a1;
	model.console[model.console_len] = '\0';
}

/* As hv: a slot in RESPONSE_READY is taken back (NONE); any other completion is refused. */
static long complete(struct model_call *call)
{
	struct hv_ioreq *slot;

	if (call->a0 >= HV_IOREQ_MAX_CHANNELS || call->a1 >= HV_IOREQ_MAX_VCPUS)
		fail_msg("HV_HC_IOREQ_COMPLETE(%llu, %llu): no such slot",
			 (unsigned long long)call->a0, (unsigned long long)call->a1);
	slot = &model_page(call->a0)->slots[call->a1];
	call->slot_state = __atomic_load_n(&slot->state, __ATOMIC_ACQUIRE);
	call->slot_data = slot->data;
	if (call->slot_state != HV_IOREQ_STATE_RESPONSE_READY)
		return -HV_EINVAL;
	slot->state = HV_IOREQ_STATE_NONE;
	return 0;
}

long svc_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct model_call *call;
	long ret = nr < MODEL_MAX_HYPERCALL ? model.result[nr] : -HV_ENOSYS;

	if (model.nr_calls == MODEL_MAX_CALLS)
		fail_msg("more than %u hypercalls", MODEL_MAX_CALLS);
	call = &model.calls[model.nr_calls++];
	*call = (struct model_call){ .nr = nr, .a0 = a0, .a1 = a1, .a2 = a2, .a3 = a3 };
	if (nr == HV_HC_CONSOLE_WRITE)
		console_write(call);
	if (nr == HV_HC_IOREQ_COMPLETE && complete(call) < 0)
		ret = -HV_EINVAL;
	if (model.hook)
		model.hook(call);
	return ret;
}

/* The kernel triple faults; here the crash is only counted. */
void service_crash(void)
{
	model.crashes++;
}
