// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for mmio_decode(): the input is instruction bytes,
 * decoded in 16-, 32- and 64-bit mode. Beyond the sanitizers, it checks what
 * hv relies on in a struct mmio_insn (its address form too), that decoding
 * is deterministic and depends only on the instruction's own bytes, that
 * every shorter prefix of an accepted instruction is reported truncated,
 * and that the register helpers touch only the operand's register.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/ioreq/decode.h>
#include "fuzz_check.h"

#define PATTERN 0x0123456789abcdefULL

static bool valid_size(u8 size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static u64 size_mask(u8 size)
{
	return size == 8 ? ~0ULL : BIT(size * 8) - 1;
}

static bool same_address(const struct mmio_address *a, const struct mmio_address *b)
{
	return a->size == b->size && a->segment == b->segment && a->base == b->base &&
	       a->index == b->index && a->scale == b->scale && a->rip_relative == b->rip_relative &&
	       a->disp == b->disp;
}

static bool same_insn(const struct mmio_insn *a, const struct mmio_insn *b)
{
	return a->len == b->len && a->size == b->size && a->dir == b->dir &&
	       a->src_is_imm == b->src_is_imm && a->reg == b->reg && a->high_byte == b->high_byte &&
	       a->dst_size == b->dst_size && a->ext == b->ext && a->imm == b->imm &&
	       same_address(&a->addr, &b->addr);
}

/* The address form agrees with the mode (SDM Vol. 2A 2.1.5, 2.2.1.6). */
static void check_address(const struct mmio_insn *insn, enum mmio_cpu_mode mode)
{
	const struct mmio_address *a = &insn->addr;
	u64 gpr[16] = { 0 }, offset;

	check(a->size == 2 || a->size == 4 || a->size == 8);
	check((a->size == 8) <= (mode == MMIO_MODE_64));
	check((a->size == 2) <= (mode != MMIO_MODE_64));
	check(a->segment <= 5);
	check(a->base < 16 || a->base == MMIO_NO_REG);
	check(a->index < 16 || a->index == MMIO_NO_REG);
	check(a->scale == 1 || a->scale == 2 || a->scale == 4 || a->scale == 8);
	check(!a->rip_relative ||
	      (mode == MMIO_MODE_64 && a->base == MMIO_NO_REG && a->index == MMIO_NO_REG));
	/* 16-bit addresses use BX, BP, SI and DI only. */
	if (a->size == 2) {
		check(a->base == MMIO_NO_REG || a->base == 3 || a->base == 5);
		check(a->index == MMIO_NO_REG || a->index == 6 || a->index == 7);
		check(a->scale == 1);
	}
	/* The offset has the address size, and with no registers it is the displacement. */
	offset = mmio_address_offset(insn, gpr, 0);
	check(!(offset & ~size_mask(a->size)));
	if (!a->rip_relative)
		check(offset == (a->disp & size_mask(a->size)));
}

/* Decodes from a heap copy of exactly @n bytes, so ASan sees any read beyond @n. */
static int decode_copy(const u8 *data, u32 n, enum mmio_cpu_mode mode, struct mmio_insn *insn,
		       const char **error)
{
	u8 *copy = malloc(n ? n : 1);
	int ret;

	memcpy(copy, data, n);
	ret = mmio_decode(copy, n, mode, insn, error);
	free(copy);
	return ret;
}

static void check_fields(const struct mmio_insn *insn, size_t avail)
{
	check(insn->len >= 1 && insn->len <= X86_MAX_INSN_LEN && insn->len <= avail);
	check(valid_size(insn->size));
	check(insn->reg < 16);
	check(insn->dir == MMIO_READ || insn->dir == MMIO_WRITE);
	if (insn->high_byte)
		check(insn->reg >= 4 && insn->reg <= 7);
	if (insn->dir == MMIO_WRITE) {
		check(insn->ext == MMIO_EXT_NONE);
		check(!insn->high_byte || insn->size == 1);
		if (insn->src_is_imm) {
			check(insn->reg == 0 && !insn->high_byte);
			/* Sign-extended imm32 for 8 bytes; exactly the access size otherwise. */
			if (insn->size == 8)
				check((s64)insn->imm == (s32)insn->imm);
			else
				check(!(insn->imm & ~size_mask(insn->size)));
		} else {
			check(insn->imm == 0);
		}
		return;
	}
	check(!insn->src_is_imm && insn->imm == 0);
	check(valid_size(insn->dst_size));
	check(!insn->high_byte || insn->dst_size == 1);
	if (insn->ext == MMIO_EXT_NONE)
		check(insn->dst_size == insn->size);
	else
		check(insn->ext == MMIO_EXT_ZERO || insn->ext == MMIO_EXT_SIGN);
	check(insn->dst_size >= insn->size);
	check(mmio_insn_uses_rsp(insn) == (insn->reg == 4 && !insn->high_byte));
}

/* The register the access reads or writes in gpr[]: AH..BH live in RAX..RBX. */
static u8 gpr_index(const struct mmio_insn *insn)
{
	return insn->high_byte ? insn->reg - 4 : insn->reg;
}

static void check_helpers(const struct mmio_insn *insn, u64 value)
{
	u64 gpr[16], before[16];
	struct mmio_insn as_write;
	u8 idx = gpr_index(insn), i;

	for (i = 0; i < 16; i++)
		gpr[i] = before[i] = PATTERN * (i + 1);

	if (insn->dir == MMIO_WRITE) {
		u64 written = mmio_write_value(insn, gpr);

		check(!(written & ~size_mask(insn->size)));
		if (insn->src_is_imm)
			check(written == (insn->imm & size_mask(insn->size)));
		check(!memcmp(gpr, before, sizeof(gpr)));
		return;
	}

	mmio_complete_read(insn, gpr, value);
	for (i = 0; i < 16; i++)
		if (i != idx)
			check(gpr[i] == before[i]);
	/* A plain MOV read then written back from the same register gives the value. */
	if (insn->ext == MMIO_EXT_NONE) {
		as_write = *insn;
		as_write.dir = MMIO_WRITE;
		check(mmio_write_value(&as_write, gpr) == (value & size_mask(insn->size)));
	}
	/* 8- and 16-bit destinations keep the rest of the register. */
	if (insn->dst_size < 4) {
		u64 kept = ~(size_mask(insn->dst_size) << (insn->high_byte ? 8 : 0));

		check((gpr[idx] & kept) == (before[idx] & kept));
	} else if (insn->dst_size == 4) {
		check(gpr[idx] <= 0xffffffffULL);
	}
}

static void fuzz_mode(const u8 *data, size_t size, enum mmio_cpu_mode mode)
{
	struct mmio_insn insn, again;
	const char *error = NULL;
	u32 avail = size > 64 ? 64 : (u32)size, n;
	u64 value = 0;
	int ret;

	/* libFuzzer's buffer is exactly @size bytes: ASan sees any read past it. */
	ret = mmio_decode(data, avail, mode, &insn, &error);
	check(ret == 0 || ret == MMIO_DECODE_UNSUPPORTED || ret == MMIO_DECODE_TRUNCATED);
	if (ret) {
		check(error != NULL);
		/* Truncated means more bytes could help: fewer than 15 were given. */
		if (ret == MMIO_DECODE_TRUNCATED)
			check(avail < X86_MAX_INSN_LEN);
		return;
	}
	check_fields(&insn, avail);
	check_address(&insn, mode);

	/* The same bytes give the same result. */
	check(mmio_decode(data, avail, mode, &again, NULL) == 0);
	check(same_insn(&insn, &again));
	/* Only the instruction's own bytes matter. */
	check(decode_copy(data, insn.len, mode, &again, NULL) == 0);
	check(same_insn(&insn, &again));
	/* Every shorter prefix needs more bytes. */
	for (n = 0; n < insn.len; n++)
		check(decode_copy(data, n, mode, &again, NULL) == MMIO_DECODE_TRUNCATED);

	/* The value read: the bytes after the instruction, if any. */
	memcpy(&value, data + insn.len, MIN(avail - insn.len, sizeof(value)));
	check_helpers(&insn, value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_mode(data, size, MMIO_MODE_16);
	fuzz_mode(data, size, MMIO_MODE_32);
	fuzz_mode(data, size, MMIO_MODE_64);
	return 0;
}
