/* SPDX-License-Identifier: GPL-2.0 */
/* The EPT exits, owned by hv/ept. */
#ifndef HV_EPT_EPT_EXIT_H
#define HV_EPT_EPT_EXIT_H

#include <hv/vmx/vmx.h>

enum exit_action ept_handle_violation(struct vcpu *v);
enum exit_action ept_handle_misconfig(struct vcpu *v);

#endif /* HV_EPT_EPT_EXIT_H */
