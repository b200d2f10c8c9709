// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O exits. Every port exits (the I/O bitmaps are all ones). A
 * guest's accesses go to hv/ioreq, which hands claimed ports to the
 * service partition. The service partition itself has no devices: its
 * debug-exit port ends it, other ports read all-ones and ignore writes.
 */
#include <hv/core/partition.h>
#include <hv/ioreq/ioreq.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <public/hv.h>
#include <x86/hw.h>

/* Exit qualification for I/O instructions (SDM Vol. 3C Table 28-5) */
#define IO_QUAL_SIZE_MASK 0x7
#define IO_QUAL_IN BIT(3)
#define IO_QUAL_STRING BIT(4)
#define IO_QUAL_PORT_SHIFT 16

static enum exit_action service_io(struct vcpu *v, u64 q)
{
	unsigned int size = (q & IO_QUAL_SIZE_MASK) + 1;
	u64 mask = bytes_mask(size);

	if (q & IO_QUAL_STRING) {
		partition_stop(v->partition, "string I/O in the service partition", -1);
		return EXIT_RESCHEDULE;
	}
	vmx_skip_instruction();
	if (q & IO_QUAL_IN) {
		/* A 32-bit IN zero-extends into RAX; narrower ones keep the upper bits. */
		v->gpr[GPR_RAX] = size == 4 ? mask : v->gpr[GPR_RAX] | mask;
		return EXIT_RESUME;
	}
	if ((u16)(q >> IO_QUAL_PORT_SHIFT) != HV_DEBUG_EXIT_PORT)
		return EXIT_RESUME;
	partition_stop(v->partition, "debug-exit port", (int)(v->gpr[GPR_RAX] & 0xff));
	return EXIT_RESCHEDULE;
}

enum exit_action vmx_handle_io(struct vcpu *v)
{
	u64 q = vmread(EXIT_QUALIFICATION);

	if (likely(v->partition->kind == PARTITION_GUEST))
		return ioreq_handle_pio(v, q);
	return service_io(v, q);
}
