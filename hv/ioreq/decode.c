// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO instruction decoder. Instruction format: SDM Vol. 2A chapter 2;
 * opcodes: Vol. 2B "MOV", "MOVZX", "MOVSX/MOVSXD" and the opcode map in
 * Vol. 2D appendix A.
 */
#include <hv/ioreq/decode.h>

/* Legacy prefixes (SDM Vol. 2A 2.1.1) */
#define PREFIX_LOCK 0xf0
#define PREFIX_REPNE 0xf2
#define PREFIX_REP 0xf3
#define PREFIX_ES 0x26
#define PREFIX_CS 0x2e
#define PREFIX_SS 0x36
#define PREFIX_DS 0x3e
#define PREFIX_FS 0x64
#define PREFIX_GS 0x65
#define PREFIX_OPERAND_SIZE 0x66
#define PREFIX_ADDRESS_SIZE 0x67

/* REX prefix: 0100WRXB, 64-bit mode only (SDM Vol. 2A 2.2.1) */
#define REX_MASK 0xf0
#define REX_BASE 0x40
#define REX_B BIT(0)
#define REX_X BIT(1)
#define REX_R BIT(2)
#define REX_W BIT(3)

/* Opcodes (SDM Vol. 2D Table) */
#define OP_MOVSXD 0x63
#define OP_MOV_RM8_R8 0x88
#define OP_MOV_RM_R 0x89
#define OP_MOV_R8_RM8 0x8a
#define OP_MOV_R_RM 0x8b
#define OP_MOV_AL_MOFFS 0xa0
#define OP_MOV_AX_MOFFS 0xa1
#define OP_MOV_MOFFS_AL 0xa2
#define OP_MOV_MOFFS_AX 0xa3
#define OP_MOV_RM8_IMM8 0xc6
#define OP_MOV_RM_IMM 0xc7
#define OP_TWO_BYTE 0x0f
#define OP2_MOVZX_R_RM8 0xb6
#define OP2_MOVZX_R_RM16 0xb7
#define OP2_MOVSX_R_RM8 0xbe
#define OP2_MOVSX_R_RM16 0xbf

#define MODRM_MOD_REGISTER 3
#define MODRM_RM_SIB 4
#define MODRM_RM_DISP32 5 /* with mod 00, 32- and 64-bit addressing */
#define MODRM_RM_DISP16 6 /* with mod 00, 16-bit addressing */
#define SIB_BASE_NONE 5 /* with mod 00 */
#define SIB_INDEX_NONE 4 /* without REX.X */

/* Registers and segments as addresses use them (x86 numbers; VMX's segment order) */
#define REG_BX 3
#define REG_SP 4
#define REG_BP 5
#define REG_SI 6
#define REG_DI 7
#define SEG_ES 0
#define SEG_CS 1
#define SEG_SS 2
#define SEG_DS 3
#define SEG_FS 4
#define SEG_GS 5

struct decoder {
	const u8 *bytes;
	u32 avail; /* bytes that may be read: never more than X86_MAX_INSN_LEN */
	u32 pos; /* bytes consumed so far */
	const char *error;
	enum mmio_cpu_mode mode;
	/* What the prefixes say */
	u8 rex; /* the REX prefix that counts, or 0 */
	u8 segment; /* a segment override prefix's segment, or MMIO_NO_REG */
	bool operand_size_prefix;
	bool address_size_prefix;
	bool lock;
};

static int fail(struct decoder *d, int code, const char *why)
{
	d->error = why;
	return code;
}

/* Steps over the next @n bytes: a displacement or an offset hv does not need. */
static int skip(struct decoder *d, u32 n)
{
	/* More bytes cannot make it valid: the CPU raises #GP (SDM Vol. 2A 2.3.11). */
	if (d->pos + n > X86_MAX_INSN_LEN)
		return fail(d, MMIO_DECODE_UNSUPPORTED, "longer than 15 bytes");
	if (d->pos + n > d->avail)
		return fail(d, MMIO_DECODE_TRUNCATED, "continues past the bytes fetched");
	d->pos += n;
	return 0;
}

/* Consumes the next @n (1, 2, 4 or 8) bytes as a little-endian number, in one load. */
static inline __attribute__((always_inline)) int take(struct decoder *d, u32 n, u64 *val)
{
	const u8 *p = d->bytes + d->pos;
	u32 v32;
	u16 v16;
	int ret;

	ret = skip(d, n);
	if (ret)
		return ret;
	/* __builtin_memcpy: a plain unaligned load, also where memcpy is not a builtin. */
	switch (n) {
	case 1:
		*val = *p;
		break;
	case 2:
		__builtin_memcpy(&v16, p, sizeof(v16));
		*val = v16;
		break;
	case 4:
		__builtin_memcpy(&v32, p, sizeof(v32));
		*val = v32;
		break;
	default:
		__builtin_memcpy(val, p, sizeof(*val));
		break;
	}
	return 0;
}

/* SDM Vol. 2A 2.2.1.2 (REX.W takes precedence) and Vol. 1 3.6.1, Table 3-4. */
static u8 operand_size(const struct decoder *d)
{
	if (d->rex & REX_W)
		return 8;
	if (d->mode == MMIO_MODE_16)
		return d->operand_size_prefix ? 4 : 2;
	return d->operand_size_prefix ? 2 : 4;
}

/* SDM Vol. 1 3.6.1, Tables 3-3 and 3-4. */
static u8 address_size(const struct decoder *d)
{
	switch (d->mode) {
	case MMIO_MODE_16:
		return d->address_size_prefix ? 4 : 2;
	case MMIO_MODE_32:
		return d->address_size_prefix ? 2 : 4;
	default:
		return d->address_size_prefix ? 4 : 8;
	}
}

/* Sign-extends the low @bytes bytes of @value. */
static u64 sign_extend(u64 value, u32 bytes)
{
	u32 shift = 64 - 8 * bytes;

	return (u64)((s64)(value << shift) >> shift);
}

/* 16-bit addressing, SDM Vol. 2A Table 2-1: base and index by ModRM.rm. */
static const u8 rm16_base[8] = { REG_BX,      REG_BX,	   REG_BP, REG_BP,
				 MMIO_NO_REG, MMIO_NO_REG, REG_BP, REG_BX };
static const u8 rm16_index[8] = { REG_SI, REG_DI, REG_SI,      REG_DI,
				  REG_SI, REG_DI, MMIO_NO_REG, MMIO_NO_REG };

/*
 * Consumes ModRM, SIB and displacement of a memory operand, fills in @a and
 * gives the ModRM.reg field (3 bits, not extended by REX.R).
 *
 * SDM Vol. 2A Table 2-1 (16-bit addressing: no SIB, mod 00 rm 110 is
 * disp16) and Tables 2-2, 2-3 (32/64-bit addressing: rm 100 brings a SIB
 * byte, mod 00 rm 101 is disp32, RIP-relative in 64-bit mode (2.2.1.6), and
 * SIB base 101 with mod 00 is disp32 without base; index 100 without REX.X
 * is none). REX.B does not change these special cases (Table 2-5): only
 * the 3-bit fields count; it extends the base and REX.X the index.
 */
static int take_modrm_memory(struct decoder *d, struct mmio_address *a, u8 *reg_field)
{
	u64 modrm, sib, disp = 0;
	u8 mod, rm, base_field;
	u32 disp_len;
	int ret;

	ret = take(d, 1, &modrm);
	if (ret)
		return ret;
	mod = modrm >> 6;
	rm = modrm & 7;
	*reg_field = (modrm >> 3) & 7;
	if (mod == MODRM_MOD_REGISTER)
		return fail(d, MMIO_DECODE_UNSUPPORTED, "register operand: not a memory access");
	a->scale = 1;

	if (a->size == 2) {
		if (mod == 0 && rm == MODRM_RM_DISP16) {
			a->base = a->index = MMIO_NO_REG;
			disp_len = 2;
		} else {
			a->base = rm16_base[rm];
			a->index = rm16_index[rm];
			disp_len = mod == 1 ? 1 : mod == 2 ? 2 : 0;
		}
	} else {
		base_field = rm;
		a->index = MMIO_NO_REG;
		if (rm == MODRM_RM_SIB) {
			ret = take(d, 1, &sib);
			if (ret)
				return ret;
			a->scale = (u8)(1U << (sib >> 6));
			if (((sib >> 3) & 7) != SIB_INDEX_NONE || (d->rex & REX_X))
				a->index = ((sib >> 3) & 7) | (d->rex & REX_X ? 8 : 0);
			base_field = sib & 7;
		}
		a->base = base_field | (d->rex & REX_B ? 8 : 0);
		if (mod == 1) {
			disp_len = 1;
		} else if (mod == 2) {
			disp_len = 4;
		} else if (base_field == MODRM_RM_DISP32) {
			/* rm 101 or SIB base 101 with mod 00: no base (2.2.1.6: RIP in 64-bit mode) */
			a->base = MMIO_NO_REG;
			a->rip_relative = rm == MODRM_RM_DISP32 && d->mode == MMIO_MODE_64;
			disp_len = 4;
		} else {
			disp_len = 0;
		}
	}
	if (disp_len) {
		ret = take(d, disp_len, &disp);
		if (ret)
			return ret;
	}
	a->disp = sign_extend(disp, disp_len ? disp_len : 1);
	/* Vol. 1 3.7.4: stack references, through (R/E)SP or (R/E)BP, default to SS. */
	a->segment = d->segment != MMIO_NO_REG		      ? d->segment :
		     (a->base == REG_SP || a->base == REG_BP) ? SEG_SS :
								SEG_DS;
	return 0;
}

/* How the operands follow the opcode. */
enum operand_form {
	FORM_MODRM_REG, /* ModRM: memory and a register operand */
	FORM_MODRM_IMM, /* ModRM: memory, then an immediate */
	FORM_MOFFS, /* an offset of the address size; the register is AL/AX/EAX/RAX */
};

/*
 * Identifies the instruction from its opcode byte(s) and fills in what the
 * opcode alone determines: size, direction, extension and destination size.
 */
static int decode_opcode(struct decoder *d, u8 opcode, struct mmio_insn *insn,
			 enum operand_form *form)
{
	u8 op_size = operand_size(d);
	u64 opcode2;
	int ret;

	switch (opcode) {
	case OP_MOV_RM8_R8:
	case OP_MOV_RM_R:
	case OP_MOV_R8_RM8:
	case OP_MOV_R_RM:
		/* Bit 0: byte or full size; bit 1: the register is the destination. */
		insn->size = opcode & 1 ? op_size : 1;
		insn->dir = opcode & 2 ? MMIO_READ : MMIO_WRITE;
		*form = FORM_MODRM_REG;
		break;
	case OP_MOV_AL_MOFFS:
	case OP_MOV_AX_MOFFS:
	case OP_MOV_MOFFS_AL:
	case OP_MOV_MOFFS_AX:
		/* Bit 0: byte or full size; bit 1: memory is the destination. */
		insn->size = opcode & 1 ? op_size : 1;
		insn->dir = opcode & 2 ? MMIO_WRITE : MMIO_READ;
		*form = FORM_MOFFS;
		break;
	case OP_MOV_RM8_IMM8:
	case OP_MOV_RM_IMM:
		insn->size = opcode & 1 ? op_size : 1;
		insn->dir = MMIO_WRITE;
		insn->src_is_imm = true;
		*form = FORM_MODRM_IMM;
		break;
	case OP_MOVSXD:
		/*
		 * 63 is ARPL outside 64-bit mode. Without REX.W, MOVSXD is a
		 * plain move whose 16-bit form vendors do not agree on, and
		 * the SDM discourages it: only REX.W 63 is decoded.
		 */
		if (d->mode != MMIO_MODE_64 || !(d->rex & REX_W))
			return fail(d, MMIO_DECODE_UNSUPPORTED, "63 other than REX.W MOVSXD");
		insn->size = 4;
		insn->dir = MMIO_READ;
		insn->ext = MMIO_EXT_SIGN;
		insn->dst_size = op_size;
		*form = FORM_MODRM_REG;
		break;
	case OP_TWO_BYTE:
		ret = take(d, 1, &opcode2);
		if (ret)
			return ret;
		if (opcode2 != OP2_MOVZX_R_RM8 && opcode2 != OP2_MOVZX_R_RM16 &&
		    opcode2 != OP2_MOVSX_R_RM8 && opcode2 != OP2_MOVSX_R_RM16)
			return fail(d, MMIO_DECODE_UNSUPPORTED, "opcode not emulated");
		/* Bit 0: byte or word source; bit 3: sign or zero extension. */
		insn->size = opcode2 & 1 ? 2 : 1;
		insn->dir = MMIO_READ;
		insn->ext = opcode2 & 8 ? MMIO_EXT_SIGN : MMIO_EXT_ZERO;
		insn->dst_size = op_size;
		*form = FORM_MODRM_REG;
		break;
	default:
		return fail(d, MMIO_DECODE_UNSUPPORTED, "opcode not emulated");
	}
	if (insn->dir == MMIO_READ && insn->ext == MMIO_EXT_NONE)
		insn->dst_size = insn->size;
	return 0;
}

/*
 * The operands after the opcode. The register operand is ModRM.reg extended
 * by REX.R (SDM Vol. 2A 2.2.1.2); an 8-bit one encoded 4..7 without REX is
 * AH..BH (3.1.1.1). An immediate is as long as the operand, but at most 32
 * bits: with REX.W, C7 sign-extends imm32 (Vol. 2B "MOV").
 */
static int decode_operands(struct decoder *d, struct mmio_insn *insn, enum operand_form form)
{
	u8 reg_field, reg_size;
	u64 imm;
	int ret;

	insn->addr.size = address_size(d);
	if (form == FORM_MOFFS) {
		insn->addr.base = insn->addr.index = MMIO_NO_REG;
		insn->addr.scale = 1;
		insn->addr.segment = d->segment != MMIO_NO_REG ? d->segment : SEG_DS;
		return take(d, insn->addr.size, &insn->addr.disp);
	}

	ret = take_modrm_memory(d, &insn->addr, &reg_field);
	if (ret)
		return ret;
	if (form == FORM_MODRM_REG) {
		reg_size = insn->dir == MMIO_READ ? insn->dst_size : insn->size;
		insn->reg = reg_field | (d->rex & REX_R ? 8 : 0);
		insn->high_byte = reg_size == 1 && !d->rex && reg_field >= 4;
		return 0;
	}

	/* C6 /0 and C7 /0 only: /7 with mod 11 is XABORT or XBEGIN, the rest #UD. */
	if (reg_field != 0)
		return fail(d, MMIO_DECODE_UNSUPPORTED, "C6/C7 with ModRM.reg other than 0");
	ret = take(d, MIN(insn->size, 4), &imm);
	if (ret)
		return ret;
	if (insn->size == 8 && (imm & BIT(31)))
		imm |= GENMASK(63, 32);
	insn->imm = imm;
	return 0;
}

static int decode(struct decoder *d, struct mmio_insn *insn)
{
	enum operand_form form;
	u64 byte;
	int ret;

	/*
	 * Prefixes, in any order and repeated (SDM Vol. 2A 2.1.1). A REX
	 * prefix counts only right before the opcode: one followed by a
	 * legacy prefix is ignored (2.2.1); of several, the last one counts.
	 */
	for (;;) {
		ret = take(d, 1, &byte);
		if (ret)
			return ret;
		switch (byte) {
		case PREFIX_OPERAND_SIZE:
			d->operand_size_prefix = true;
			break;
		case PREFIX_ADDRESS_SIZE:
			d->address_size_prefix = true;
			break;
		case PREFIX_LOCK:
			d->lock = true;
			break;
		case PREFIX_ES:
			d->segment = SEG_ES;
			break;
		case PREFIX_CS:
			d->segment = SEG_CS;
			break;
		case PREFIX_SS:
			d->segment = SEG_SS;
			break;
		case PREFIX_DS:
			d->segment = SEG_DS;
			break;
		case PREFIX_FS:
			d->segment = SEG_FS;
			break;
		case PREFIX_GS:
			d->segment = SEG_GS;
			break;
		case PREFIX_REPNE:
		case PREFIX_REP:
			/* On MOV to memory, F2/F3 are the XACQUIRE/XRELEASE hints. */
			return fail(d, MMIO_DECODE_UNSUPPORTED, "F2/F3 prefix");
		default:
			if (d->mode == MMIO_MODE_64 && (byte & REX_MASK) == REX_BASE) {
				d->rex = byte;
				continue;
			}
			goto opcode;
		}
		d->rex = 0;
	}
opcode:
	*insn = (struct mmio_insn){ 0 };
	ret = decode_opcode(d, byte, insn, &form);
	if (ret)
		return ret;
	/* LOCK is valid only on read-modify-write instructions (Vol. 2A "LOCK"): #UD. */
	if (d->lock)
		return fail(d, MMIO_DECODE_UNSUPPORTED, "LOCK prefix on MOV");
	ret = decode_operands(d, insn, form);
	if (ret)
		return ret;
	insn->len = d->pos;
	return 0;
}

int mmio_decode(const u8 *bytes, u32 avail, enum mmio_cpu_mode mode, struct mmio_insn *insn,
		const char **error)
{
	struct decoder d = { .bytes = bytes,
			     .avail = MIN(avail, X86_MAX_INSN_LEN),
			     .mode = mode,
			     .segment = MMIO_NO_REG };
	int ret = decode(&d, insn);

	if (ret && error)
		*error = d.error;
	return ret;
}

u64 mmio_address_offset(const struct mmio_insn *insn, const u64 *gpr, u64 next_rip)
{
	const struct mmio_address *a = &insn->addr;
	u64 offset = a->disp;

	if (a->base != MMIO_NO_REG)
		offset += gpr[a->base];
	if (a->index != MMIO_NO_REG)
		offset += gpr[a->index] * a->scale;
	if (a->rip_relative)
		offset += next_rip;
	return offset & bytes_mask(a->size);
}

u64 mmio_write_value(const struct mmio_insn *insn, const u64 *gpr)
{
	u64 value;

	if (insn->src_is_imm)
		value = insn->imm;
	else if (insn->high_byte)
		value = gpr[insn->reg - 4] >> 8;
	else
		value = gpr[insn->reg];
	return value & bytes_mask(insn->size);
}

void mmio_complete_read(const struct mmio_insn *insn, u64 *gpr, u64 value)
{
	u64 dst_mask = bytes_mask(insn->dst_size);

	value &= bytes_mask(insn->size);
	if (insn->ext == MMIO_EXT_SIGN && (value & BIT(insn->size * 8 - 1)))
		value |= ~bytes_mask(insn->size);
	value &= dst_mask;

	/*
	 * SDM Vol. 1 3.4.1.1: a 32-bit result is zero-extended to 64 bits;
	 * 8- and 16-bit results leave the rest of the register alone. Outside
	 * 64-bit mode the upper half is undefined: zeroing it is one choice.
	 */
	if (insn->dst_size >= 4)
		gpr[insn->reg] = value;
	else if (insn->high_byte)
		gpr[insn->reg - 4] = (gpr[insn->reg - 4] & ~GENMASK(15, 8)) | (value << 8);
	else
		gpr[insn->reg] = (gpr[insn->reg] & ~dst_mask) | value;
}
