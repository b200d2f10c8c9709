// SPDX-License-Identifier: GPL-2.0
/*
 * A guest's interrupt controllers: the I/O APIC (Intel 82093AA datasheet,
 * with the EOI register of the ICH's version 0x20) and the 8259 pair
 * (Intel 8259A), masked until the guest programs them. Devices drive ISA
 * interrupt lines; an interrupt the controllers let through goes to the
 * guest's local APIC with HV_HC_IOREQ_RAISE_IRQ, which hv/apic delivers.
 * A level-triggered one holds the pin's remote IRR until the guest's EOI
 * of its vector comes back through the channel's eoi_pending.
 *
 * A guest that programs nonsense (a vector below 32, which hv does not
 * deliver; SMI, NMI, INIT or ExtINT delivery) gets no interrupt from that
 * pin, and one line on hv's console per pin; nothing else changes.
 */
#include <stdio.h>
#include <hypercall.h>
#include "service.h"

/* I/O APIC: the MMIO window's registers and the indirect ones. */
#define IOAPIC_IOREGSEL 0x00
#define IOAPIC_IOWIN 0x10
#define IOAPIC_EOI 0x40
#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_VERSION 0x01
#define IOAPIC_REG_ARBITRATION 0x02
#define IOAPIC_REG_REDIR 0x10
#define IOAPIC_ID_SHIFT 24
#define IOAPIC_ID_MASK (0xfU << IOAPIC_ID_SHIFT)
#define IOAPIC_MAX_ENTRY_SHIFT 16

/* Redirection table entry bits */
#define RTE_VECTOR_MASK 0xffULL
#define RTE_DELIVERY_SHIFT 8
#define RTE_DELIVERY_MASK (7ULL << RTE_DELIVERY_SHIFT)
#define RTE_DELIVERY_FIXED 0ULL
#define RTE_DELIVERY_LOWEST 1ULL
#define RTE_DEST_LOGICAL (1ULL << 11)
#define RTE_DELIVERY_STATUS (1ULL << 12)
#define RTE_POLARITY_LOW (1ULL << 13)
#define RTE_REMOTE_IRR (1ULL << 14)
#define RTE_LEVEL (1ULL << 15)
#define RTE_MASKED (1ULL << 16)
#define RTE_DEST_SHIFT 56
#define RTE_READ_ONLY (RTE_DELIVERY_STATUS | RTE_REMOTE_IRR)
#define RTE_RESERVED (((1ULL << RTE_DEST_SHIFT) - 1) & ~((1ULL << 17) - 1))
#define FIRST_DELIVERABLE_VECTOR 32U /* HV_HC_IOREQ_RAISE_IRQ's range starts here */

/* 8259A */
#define PIC_ICW1 0x10 /* written to port 0: starts initialization */
#define PIC_ICW1_IC4 0x01
#define PIC_OCW3 0x08 /* bits 4:3 = 01 */
#define PIC_OCW3_SELECT_MASK 0x18
#define PIC_OCW3_RR 0x02
#define PIC_OCW3_RIS 0x01
#define PIC_OCW2_EOI 0x20
#define PIC_OCW2_SPECIFIC 0x40
#define PIC_CASCADE_IRQ 2U
#define PIC_VECTOR_BASE_MASK 0xf8

#define EOI_WORDS 4U

void irq_reset(struct channel *ch)
{
	unsigned int i;

	ch->ioapic = (struct ioapic){ .id = HV_IOAPIC_ID };
	for (i = 0; i < HV_IOAPIC_PINS; i++)
		ch->ioapic.redir[i] = RTE_MASKED;
	for (i = 0; i < 2; i++)
		ch->pic[i] = (struct pic){ .imr = 0xff };
	ch->irq_errors = 0;
}

static void raise_irq(struct channel *ch, unsigned int vector, unsigned int apic_id, bool level)
{
	long ret = svc_hypercall(HV_HC_IOREQ_RAISE_IRQ, ch->id, vector, apic_id,
				 level ? HV_IRQ_LEVEL : 0);

	if (ret < 0 && !ch->irq_errors++)
		printf("service: [%s] hv refused interrupt vector %u for APIC %u: %ld (further "
		       "ones are only counted)\n",
		       ch->name, vector, apic_id, ret);
}

/* ---- I/O APIC ---- */

static void ioapic_nonsense(struct channel *ch, unsigned int pin, const char *what)
{
	if (ch->ioapic.nonsense_reported & (1U << pin))
		return;
	ch->ioapic.nonsense_reported |= 1U << pin;
	printf("service: [%s] I/O APIC pin %u: %s (%#llx): it raises no interrupt\n", ch->name, pin,
	       what, (unsigned long long)ch->ioapic.redir[pin]);
}

/* Whether the pin's input is asserted, as its polarity says. */
static bool pin_asserted(const struct ioapic *io, unsigned int pin)
{
	bool line = io->line & (1U << pin);

	return io->redir[pin] & RTE_POLARITY_LOW ? !line : line;
}

/*
 * Sends the pin's interrupt. A logical destination is taken in the flat
 * model with one bit per APIC, as Linux programs it for up to 8 CPUs:
 * the lowest bit set names the APIC (lowest priority picks one anyway).
 */
static void ioapic_deliver(struct channel *ch, unsigned int pin)
{
	uint64_t rte = ch->ioapic.redir[pin];
	unsigned int vector = rte & RTE_VECTOR_MASK, dest = rte >> RTE_DEST_SHIFT;
	uint64_t mode = (rte & RTE_DELIVERY_MASK) >> RTE_DELIVERY_SHIFT;

	if (vector < FIRST_DELIVERABLE_VECTOR) {
		ioapic_nonsense(ch, pin, "vector below 32");
		return;
	}
	if (mode != RTE_DELIVERY_FIXED && mode != RTE_DELIVERY_LOWEST) {
		ioapic_nonsense(ch, pin, "delivery mode other than fixed or lowest priority");
		return;
	}
	if (rte & RTE_DEST_LOGICAL) {
		if (!dest)
			return; /* no APIC is addressed */
		dest = __builtin_ctz(dest);
	}
	if (rte & RTE_LEVEL)
		ch->ioapic.redir[pin] |= RTE_REMOTE_IRR;
	raise_irq(ch, vector, dest, rte & RTE_LEVEL);
}

/* A level-triggered pin sends again while asserted, once the guest's EOI cleared remote IRR. */
static void ioapic_check_level(struct channel *ch, unsigned int pin)
{
	uint64_t rte = ch->ioapic.redir[pin];

	if ((rte & RTE_LEVEL) && !(rte & (RTE_MASKED | RTE_REMOTE_IRR)) &&
	    pin_asserted(&ch->ioapic, pin))
		ioapic_deliver(ch, pin);
}

static void ioapic_set_line(struct channel *ch, unsigned int pin, bool level)
{
	struct ioapic *io = &ch->ioapic;
	bool was = pin_asserted(io, pin);

	io->line = level ? io->line | 1U << pin : io->line & ~(1U << pin);
	if (io->redir[pin] & RTE_LEVEL)
		ioapic_check_level(ch, pin);
	else if (!was && pin_asserted(io, pin) && !(io->redir[pin] & RTE_MASKED))
		ioapic_deliver(ch, pin);
}

/* The guest's EOI of @vector: the level-triggered pins that sent it may send again. */
static void ioapic_eoi(struct channel *ch, unsigned int vector)
{
	unsigned int pin;

	for (pin = 0; pin < HV_IOAPIC_PINS; pin++) {
		uint64_t *rte = &ch->ioapic.redir[pin];

		if ((*rte & RTE_VECTOR_MASK) != vector || !(*rte & RTE_REMOTE_IRR))
			continue;
		*rte &= ~RTE_REMOTE_IRR;
		ioapic_check_level(ch, pin);
	}
}

/* The vectors of @word (eoi_pending's) that level-triggered pins wait on (remote IRR). */
static uint64_t ioapic_waiting(const struct ioapic *io, unsigned int word)
{
	uint64_t mask = 0;
	unsigned int pin;

	for (pin = 0; pin < HV_IOAPIC_PINS; pin++) {
		uint64_t rte = io->redir[pin];
		unsigned int vector = rte & RTE_VECTOR_MASK;

		if ((rte & RTE_REMOTE_IRR) && vector / 64 == word)
			mask |= 1ULL << (vector % 64);
	}
	return mask;
}

/* The EOIs hv reported in word @i of eoi_pending that the I/O APIC waits for. */
static uint64_t eois_waiting(const struct channel *ch, unsigned int i)
{
	uint64_t bits = READ_ONCE(ch->page->eoi_pending[i]);

	return bits ? bits & ioapic_waiting(&ch->ioapic, i) : 0;
}

bool irq_eois_waiting(const struct channel *ch)
{
	unsigned int i;

	for (i = 0; i < EOI_WORDS; i++)
		if (eois_waiting(ch, i))
			return true;
	return false;
}

/*
 * Only the vectors the I/O APIC waits on are its to clear: other senders
 * (the test device) raise level-triggered vectors of their own. Each bit is
 * cleared before its pins may send again, so a new EOI is never lost.
 */
bool irq_handle_eois(struct channel *ch)
{
	bool any = false;
	unsigned int i;

	for (i = 0; i < EOI_WORDS; i++) {
		uint64_t bits = eois_waiting(ch, i);

		if (!bits)
			continue;
		__atomic_fetch_and(&ch->page->eoi_pending[i], ~bits, __ATOMIC_ACQ_REL);
		any = true;
		while (bits) {
			ioapic_eoi(ch, i * 64 + __builtin_ctzll(bits));
			bits &= bits - 1;
		}
	}
	return any;
}

static uint32_t ioapic_register_read(const struct ioapic *io, uint32_t index)
{
	unsigned int pin = (index - IOAPIC_REG_REDIR) / 2;

	switch (index) {
	case IOAPIC_REG_ID:
		return io->id << IOAPIC_ID_SHIFT;
	case IOAPIC_REG_VERSION:
		return HV_IOAPIC_VERSION | (HV_IOAPIC_PINS - 1) << IOAPIC_MAX_ENTRY_SHIFT;
	case IOAPIC_REG_ARBITRATION:
		return io->id << IOAPIC_ID_SHIFT;
	}
	if (index < IOAPIC_REG_REDIR || pin >= HV_IOAPIC_PINS)
		return 0;
	return index % 2 ? io->redir[pin] >> 32 : (uint32_t)io->redir[pin];
}

static void ioapic_register_write(struct channel *ch, uint32_t index, uint32_t value)
{
	struct ioapic *io = &ch->ioapic;
	unsigned int pin = (index - IOAPIC_REG_REDIR) / 2;
	uint64_t old, new;

	if (index == IOAPIC_REG_ID) {
		io->id = (value & IOAPIC_ID_MASK) >> IOAPIC_ID_SHIFT;
		return;
	}
	if (index < IOAPIC_REG_REDIR || pin >= HV_IOAPIC_PINS)
		return; /* the version and arbitration registers are read-only */
	old = io->redir[pin];
	new = index % 2 ? (old & 0xffffffffULL) | (uint64_t)value << 32 :
			  (old & ~0xffffffffULL) | value;
	new = (new & ~(RTE_READ_ONLY | RTE_RESERVED)) | (old & RTE_READ_ONLY);
	/* Remote IRR means nothing for an edge-triggered pin. */
	if (!(new &RTE_LEVEL))
		new &= ~RTE_REMOTE_IRR;
	io->redir[pin] = new;
	if (new &RTE_LEVEL)
		ioapic_check_level(ch, pin);
}

/* 32-bit accesses to IOREGSEL, IOWIN and the EOI register; others read 0 and do nothing. */
uint64_t ioapic_read(struct channel *ch, uint64_t offset, unsigned int size)
{
	if (size != 4)
		return 0;
	if (offset == IOAPIC_IOREGSEL)
		return ch->ioapic.index;
	if (offset == IOAPIC_IOWIN)
		return ioapic_register_read(&ch->ioapic, ch->ioapic.index);
	return 0;
}

void ioapic_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	if (size != 4)
		return;
	if (offset == IOAPIC_IOREGSEL)
		ch->ioapic.index = value & 0xff;
	else if (offset == IOAPIC_IOWIN)
		ioapic_register_write(ch, ch->ioapic.index, (uint32_t)value);
	else if (offset == IOAPIC_EOI)
		ioapic_eoi(ch, value & RTE_VECTOR_MASK);
}

/* ---- 8259 pair ---- */

/* Sends the highest-priority request the PIC lets through (vCPU 0; edge-triggered). */
static void pic_update(struct channel *ch, unsigned int which)
{
	struct pic *pic = &ch->pic[which];
	uint8_t pending = pic->irr & ~pic->imr & ~pic->isr;
	unsigned int irq;

	if (!pic->initialized || !pending)
		return;
	if (which == 1 && (ch->pic[0].imr & (1U << PIC_CASCADE_IRQ)))
		return;
	irq = __builtin_ctz(pending);
	pic->irr &= ~(1U << irq);
	pic->isr |= 1U << irq;
	if (pic->base + irq >= FIRST_DELIVERABLE_VECTOR)
		raise_irq(ch, pic->base + irq, 0, false);
}

static void pic_set_line(struct channel *ch, unsigned int irq, bool level, bool was)
{
	struct pic *pic = &ch->pic[irq / 8];

	if (level && !was) {
		pic->irr |= 1U << (irq % 8);
		pic_update(ch, irq / 8);
	}
}

static uint64_t pic_access_read(struct channel *ch, unsigned int which, uint64_t offset)
{
	struct pic *pic = &ch->pic[which];

	if (offset)
		return pic->imr;
	return pic->read_isr ? pic->isr : pic->irr;
}

static void pic_access_write(struct channel *ch, unsigned int which, uint64_t offset, uint8_t value)
{
	struct pic *pic = &ch->pic[which];

	if (!offset && (value & PIC_ICW1)) {
		*pic = (struct pic){ .imr = 0,
				     .init_step = 1,
				     .icw4_needed = value & PIC_ICW1_IC4,
				     .elcr = pic->elcr };
		return;
	}
	if (offset && pic->init_step) {
		if (pic->init_step == 1)
			pic->base = value & PIC_VECTOR_BASE_MASK;
		/* ICW3 (cascade wiring) and ICW4 (8086 mode) change nothing here. */
		pic->init_step = pic->init_step == 1			 ? 2 :
				 pic->init_step == 2 && pic->icw4_needed ? 3 :
									   0;
		if (!pic->init_step)
			pic->initialized = true;
		return;
	}
	if (offset) {
		pic->imr = value; /* OCW1 */
		pic_update(ch, which);
	} else if ((value & PIC_OCW3_SELECT_MASK) == PIC_OCW3) {
		if (value & PIC_OCW3_RR)
			pic->read_isr = value & PIC_OCW3_RIS;
	} else if (value & PIC_OCW2_EOI) {
		uint8_t done = value & PIC_OCW2_SPECIFIC ?
				       1U << (value & 7) :
				       pic->isr & -pic->isr; /* the highest priority in service */

		pic->isr &= ~done;
		pic_update(ch, which);
	}
}

/* Port 0 (ICW1, OCW2, OCW3; IRR or ISR) and 1 (IMR, ICW2-4) of the master and the slave. */
uint64_t pic_master_read(struct channel *ch, uint64_t offset, unsigned int size)
{
	(void)size;
	return pic_access_read(ch, 0, offset);
}

void pic_master_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	(void)size;
	pic_access_write(ch, 0, offset, (uint8_t)value);
}

uint64_t pic_slave_read(struct channel *ch, uint64_t offset, unsigned int size)
{
	(void)size;
	return pic_access_read(ch, 1, offset);
}

void pic_slave_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	(void)size;
	pic_access_write(ch, 1, offset, (uint8_t)value);
}

uint64_t elcr_read(struct channel *ch, uint64_t offset, unsigned int size)
{
	uint64_t value = 0;
	unsigned int i;

	for (i = 0; i < size && offset + i < 2; i++)
		value |= (uint64_t)ch->pic[offset + i].elcr << (8 * i);
	return value;
}

void elcr_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	unsigned int i;

	for (i = 0; i < size && offset + i < 2; i++)
		ch->pic[offset + i].elcr = value >> (8 * i);
}

/* ---- ISA lines ---- */

void irq_set_isa_line(struct channel *ch, unsigned int irq, bool level)
{
	unsigned int gsi = irq == HV_IRQ_PIT ? HV_GSI_PIT : irq;
	bool was = ch->ioapic.line & (1U << gsi);

	ioapic_set_line(ch, gsi, level);
	pic_set_line(ch, irq, level, was);
}
