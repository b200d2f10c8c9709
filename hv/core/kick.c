// SPDX-License-Identifier: GPL-2.0
#include <hv/core/kick.h>
#include <hv/core/percpu.h>

_Static_assert(offsetof(struct percpu, pending_work) == PERCPU_PENDING_WORK, "hv/core/kick.h");

struct kick_window {
	u64 start, end;
};

extern const struct kick_window __kick_windows_start[], __kick_windows_end[];

void kick_nmi(struct trap_frame *f)
{
	const struct kick_window *w;

	for (w = __kick_windows_start; w < __kick_windows_end; w++)
		if (f->rip >= w->start && f->rip < w->end)
			f->rip = w->start;
}
