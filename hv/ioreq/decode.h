/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoder for the instructions a guest uses to access an emulated MMIO page.
 *
 * An EPT violation reports the guest-physical address of the access but not
 * its operands: hv fetches the instruction bytes (guest_fetch_insn()) and
 * decodes them here. Only the MOV family is decoded: MOV to and from memory,
 * MOV moffs, MOV imm, MOVZX, MOVSX and MOVSXD (SDM Vol. 2B, "MOV", "MOVZX",
 * "MOVSX/MOVSXD"). The length is exact for every addressing form, so hv can
 * advance RIP, and the memory operand's address is decoded too: hv checks
 * that the instruction accesses the address that exited, and where it ends.
 *
 * Pure logic: builds into hv and into the host tests.
 */
#ifndef HV_IOREQ_DECODE_H
#define HV_IOREQ_DECODE_H

#include <types.h>

/* SDM Vol. 2A 2.3.11: no instruction is longer than 15 bytes. */
#define X86_MAX_INSN_LEN 15U

/* Returned by mmio_decode() */
#define MMIO_DECODE_UNSUPPORTED (-1) /* not an access hv emulates, or not valid */
#define MMIO_DECODE_TRUNCATED (-2) /* needs more bytes than @avail */

/*
 * The default operand and address sizes, from the code segment (SDM Vol. 3A
 * 3.4.5 and Vol. 1 3.6.1): 16-bit for real mode, virtual-8086 mode and
 * CS.D = 0; 32-bit for CS.D = 1; 64-bit for IA32_EFER.LMA = 1 and CS.L = 1.
 * Compatibility mode (LMA = 1, CS.L = 0) is 16- or 32-bit by CS.D.
 */
enum mmio_cpu_mode {
	MMIO_MODE_16,
	MMIO_MODE_32,
	MMIO_MODE_64,
};

enum mmio_dir {
	MMIO_READ, /* memory to register */
	MMIO_WRITE, /* register or immediate to memory */
};

/* How a read value of @size bytes becomes a @dst_size-byte register value. */
enum mmio_ext {
	MMIO_EXT_NONE, /* MOV: @dst_size == @size */
	MMIO_EXT_ZERO, /* MOVZX */
	MMIO_EXT_SIGN, /* MOVSX, MOVSXD */
};

/* No register in an address: no base, or no index. */
#define MMIO_NO_REG 0xffU

/*
 * How the memory operand's address is formed (SDM Vol. 2A 2.1.5, Tables
 * 2-1 to 2-3, 2.2.1.6; moffs: Vol. 2B "MOV"): the offset is base + index *
 * scale + disp, plus the next instruction's RIP when RIP-relative, modulo
 * 2^(8 * size); the linear address adds the segment's base.
 */
struct mmio_address {
	/** Address size in bytes: 2, 4 or 8. */
	u8 size;
	/**
	 * The segment register, ES = 0, CS, SS, DS, FS, GS (as VMX numbers
	 * them): a prefix's, else SS for an RSP, RBP, SP or BP base (Vol. 1
	 * 3.7.4), else DS.
	 */
	u8 segment;
	/** Registers 0..15, or MMIO_NO_REG. */
	u8 base;
	u8 index;
	/** 1, 2, 4 or 8. */
	u8 scale;
	bool rip_relative;
	/** The displacement, sign-extended; for moffs, the offset. */
	u64 disp;
};

struct mmio_insn {
	/** Instruction length in bytes, prefixes included: 1..15. */
	u8 len;
	/** Bytes accessed in memory: 1, 2, 4 or 8. */
	u8 size;
	/** Whether memory is read (into @reg) or written (from @reg or @imm). */
	enum mmio_dir dir;
	/** Writes only: the value written is @imm, not a register. */
	bool src_is_imm;
	/**
	 * x86 register number 0..15 (RAX = 0 ... R15 = 15): the destination
	 * of a read, the source of a register write. 0 for immediate writes.
	 * With @high_byte, 4..7 name AH, CH, DH, BH, the bits 15:8 of
	 * register @reg - 4. Register 4 without @high_byte is RSP (or ESP,
	 * SP, SPL): see mmio_insn_uses_rsp().
	 */
	u8 reg;
	/**
	 * An 8-bit register operand encoded 4..7 without any REX prefix:
	 * AH, CH, DH, BH instead of SPL, BPL, SIL, DIL (SDM Vol. 2A 3.1.1.1).
	 */
	bool high_byte;
	/** Reads only: the destination operand size, 1, 2, 4 or 8; @size unless @ext. */
	u8 dst_size;
	/** Reads only: extension from @size to @dst_size bytes. */
	enum mmio_ext ext;
	/** Immediate writes: the value, sign-extended to @size bytes as the CPU does. */
	u64 imm;
	/** The memory operand's address. */
	struct mmio_address addr;
};

/*
 * Decodes the instruction in @bytes[0..@avail) (only the first 15 bytes are
 * ever looked at). @avail is less than 15 when the fetch stopped at the end
 * of a mapped page.
 *
 * Returns 0 with *@insn filled in, MMIO_DECODE_TRUNCATED if the instruction
 * continues past @avail, or MMIO_DECODE_UNSUPPORTED. On failure *@error (when
 * @error is not NULL) says why, and *@insn is unspecified.
 */
int mmio_decode(const u8 *bytes, u32 avail, enum mmio_cpu_mode mode, struct mmio_insn *insn,
		const char **error);

/*
 * Whether the register operand is RSP/ESP/SP/SPL. hv keeps the guest's RSP
 * in the VMCS (GUEST_RSP), not in vcpu->gpr[]: a caller must either refuse
 * the access or load gpr[4] from the VMCS before mmio_write_value() and
 * store it back after mmio_complete_read(). The helpers below treat gpr[4]
 * like any other register.
 */
static inline bool mmio_insn_uses_rsp(const struct mmio_insn *insn)
{
	return !insn->src_is_imm && insn->reg == 4 && !insn->high_byte;
}

/*
 * The value a write stores: the low @size bytes of the source register (bits
 * 15:8 of RAX..RBX for AH..BH), or the immediate.
 * @pre insn->dir == MMIO_WRITE; @gpr holds 16 registers indexed as @reg.
 */
u64 mmio_write_value(const struct mmio_insn *insn, const u64 *gpr);

/*
 * Puts the @size bytes read (the low bytes of @value) into the destination
 * register as the CPU does (SDM Vol. 1 3.4.1.1): extended to @dst_size by
 * @ext, then a 32-bit destination is zero-extended to 64 bits, while 8- and
 * 16-bit destinations keep the register's other bits.
 * @pre insn->dir == MMIO_READ; @gpr holds 16 registers indexed as @reg.
 */
void mmio_complete_read(const struct mmio_insn *insn, u64 *gpr, u64 value);

/*
 * The offset of the memory operand within its segment (the effective
 * address): @gpr holds 16 registers indexed as x86 numbers them (RSP
 * included), @next_rip is the address of the next instruction.
 */
u64 mmio_address_offset(const struct mmio_insn *insn, const u64 *gpr, u64 next_rip);

#endif /* HV_IOREQ_DECODE_H */
