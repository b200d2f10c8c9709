// SPDX-License-Identifier: GPL-2.0
/* The service's one way to hv: host tests link a model instead of this file. */
#include "libguest.h"
#include "service.h"

long svc_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return hypercall(nr, a0, a1, a2, a3);
}
