// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO instruction decoder (hv/ioreq/decode.c) and the register updates
 * that complete an access.
 *
 * The table's bytes were assembled with GNU as 2.40 (.code16, .code32,
 * .code64, or .byte for forms as does not emit) and its texts are what
 * objdump -d prints for them; the expected fields were written by hand and
 * checked against objdump's operands.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <hv/ioreq/decode.h>

#define M16 MMIO_MODE_16
#define M32 MMIO_MODE_32
#define M64 MMIO_MODE_64

struct decode_case {
	enum mmio_cpu_mode mode;
	const char *text; /* objdump -d */
	const char *bytes;
	u8 len;
	u8 size;
	enum mmio_dir dir;
	u8 reg;
	bool high_byte;
	bool src_is_imm;
	u64 imm;
	u8 dst_size;
	enum mmio_ext ext;
};

#define WRITE_REG(sz, r) .size = (sz), .dir = MMIO_WRITE, .reg = (r)
#define WRITE_IMM(sz, v) .size = (sz), .dir = MMIO_WRITE, .src_is_imm = true, .imm = (v)
#define READ_REG(sz, r) .size = (sz), .dir = MMIO_READ, .reg = (r), .dst_size = (sz)
#define READ_EXT(sz, r, dsz, e) \
	.size = (sz), .dir = MMIO_READ, .reg = (r), .dst_size = (dsz), .ext = (e)

static const struct decode_case cases[] = {
	{ M64, "mov %al,(%rbx)", "\x88\x03", 2, WRITE_REG(1, 0) },
	{ M64, "mov %ah,(%rbx)", "\x88\x23", 2, WRITE_REG(1, 4), .high_byte = true },
	{ M64, "mov %spl,(%rbx)", "\x40\x88\x23", 3, WRITE_REG(1, 4) },
	{ M64, "mov %dil,(%rbx)", "\x40\x88\x3b", 3, WRITE_REG(1, 7) },
	{ M64, "mov %r15b,(%rbx)", "\x44\x88\x3b", 3, WRITE_REG(1, 15) },
	{ M64, "mov %eax,(%rbx)", "\x89\x03", 2, WRITE_REG(4, 0) },
	{ M64, "mov %ax,(%rbx)", "\x66\x89\x03", 3, WRITE_REG(2, 0) },
	{ M64, "mov %rax,(%rbx)", "\x48\x89\x03", 3, WRITE_REG(8, 0) },
	{ M64, "data16 mov %rax,(%rbx)", "\x66\x48\x89\x03", 4, WRITE_REG(8, 0) },
	{ M64, "mov %r15,(%rsp)", "\x4c\x89\x3c\x24", 4, WRITE_REG(8, 15) },
	{ M64, "mov %ecx,0x8(%rbx)", "\x89\x4b\x08", 3, WRITE_REG(4, 1) },
	{ M64, "mov %edx,0x100(%rbx)", "\x89\x93\x00\x01\x00\x00", 6, WRITE_REG(4, 2) },
	{ M64, "mov %ebx,0x10(%rip)", "\x89\x1d\x10\x00\x00\x00", 6, WRITE_REG(4, 3) },
	{ M64, "mov %esi,0x10(%eip)", "\x67\x89\x35\x10\x00\x00\x00", 7, WRITE_REG(4, 6) },
	{ M64, "mov %edi,0x1000", "\x89\x3c\x25\x00\x10\x00\x00", 7, WRITE_REG(4, 7) },
	{ M64, "mov %eax,0x10(%rbx,%rcx,4)", "\x89\x44\x8b\x10", 4, WRITE_REG(4, 0) },
	{ M64, "mov %eax,0x100(%rbx,%r12,4)", "\x42\x89\x84\xa3\x00\x01\x00\x00", 8,
	  WRITE_REG(4, 0) },
	{ M64, "mov %eax,0x0(%r13)", "\x41\x89\x45\x00", 4, WRITE_REG(4, 0) },
	{ M64, "mov %eax,(%r12)", "\x41\x89\x04\x24", 4, WRITE_REG(4, 0) },
	{ M64, "mov %eax,0x0(,%rbp,1)", "\x89\x04\x2d\x00\x00\x00\x00", 7, WRITE_REG(4, 0) },
	{ M64, "mov %eax,0x1000", "\x41\x89\x04\x25\x00\x10\x00\x00", 8, WRITE_REG(4, 0) },
	{ M64, "mov %eax,0x8(%rbp,%riz,1)", "\x89\x44\x25\x08", 4, WRITE_REG(4, 0) },
	{ M64, "mov %eax,0x100(%rbp,%riz,1)", "\x89\x84\x25\x00\x01\x00\x00", 7, WRITE_REG(4, 0) },
	{ M64, "mov %r9d,(%ebx)", "\x67\x44\x89\x0b", 4, WRITE_REG(4, 9) },
	{ M64, "mov (%rbx),%al", "\x8a\x03", 2, READ_REG(1, 0) },
	{ M64, "mov (%rbx),%bh", "\x8a\x3b", 2, READ_REG(1, 7), .high_byte = true },
	{ M64, "mov (%rbx),%sil", "\x40\x8a\x33", 3, READ_REG(1, 6) },
	{ M64, "mov (%r8),%r8b", "\x45\x8a\x00", 3, READ_REG(1, 8) },
	{ M64, "mov (%rbx),%eax", "\x8b\x03", 2, READ_REG(4, 0) },
	{ M64, "mov (%rbx),%ax", "\x66\x8b\x03", 3, READ_REG(2, 0) },
	{ M64, "mov (%rbx),%rax", "\x48\x8b\x03", 3, READ_REG(8, 0) },
	{ M64, "mov (%rbx),%r12", "\x4c\x8b\x23", 3, READ_REG(8, 12) },
	{ M64, "mov (%rsp),%esp", "\x8b\x24\x24", 3, READ_REG(4, 4) },
	{ M64, "mov -0x8(%rbp),%rsp", "\x48\x8b\x65\xf8", 4, READ_REG(8, 4) },
	{ M64, "movabs 0x1122334455667788,%al", "\xa0\x88\x77\x66\x55\x44\x33\x22\x11", 9,
	  READ_REG(1, 0) },
	{ M64, "movabs 0x1122334455667788,%eax", "\xa1\x88\x77\x66\x55\x44\x33\x22\x11", 9,
	  READ_REG(4, 0) },
	{ M64, "movabs 0x1122334455667788,%rax", "\x48\xa1\x88\x77\x66\x55\x44\x33\x22\x11", 10,
	  READ_REG(8, 0) },
	{ M64, "movabs 0x1122334455667788,%ax", "\x66\xa1\x88\x77\x66\x55\x44\x33\x22\x11", 10,
	  READ_REG(2, 0) },
	{ M64, "movabs %al,0x1122334455667788", "\xa2\x88\x77\x66\x55\x44\x33\x22\x11", 9,
	  WRITE_REG(1, 0) },
	{ M64, "movabs %rax,0x1122334455667788", "\x48\xa3\x88\x77\x66\x55\x44\x33\x22\x11", 10,
	  WRITE_REG(8, 0) },
	{ M64, "addr32 mov 0x1000,%eax", "\x67\xa1\x00\x10\x00\x00", 6, READ_REG(4, 0) },
	{ M64, "addr32 mov %rax,0x1000", "\x67\x48\xa3\x00\x10\x00\x00", 7, WRITE_REG(8, 0) },
	{ M64, "rex.RB movabs 0x807060504030201,%eax", "\x45\xa1\x01\x02\x03\x04\x05\x06\x07\x08",
	  10, READ_REG(4, 0) },
	{ M64, "movb $0x12,(%rbx)", "\xc6\x03\x12", 3, WRITE_IMM(1, 0x12) },
	{ M64, "movb $0xff,0x8(%rbx)", "\xc6\x43\x08\xff", 4, WRITE_IMM(1, 0xff) },
	{ M64, "movl $0x12345678,(%rbx)", "\xc7\x03\x78\x56\x34\x12", 6, WRITE_IMM(4, 0x12345678) },
	{ M64, "movw $0x1234,(%rbx)", "\x66\xc7\x03\x34\x12", 5, WRITE_IMM(2, 0x1234) },
	{ M64, "movq $0xffffffffffffffff,(%rbx)", "\x48\xc7\x03\xff\xff\xff\xff", 7,
	  WRITE_IMM(8, 0xffffffffffffffffULL) },
	{ M64, "movq $0x7fffffff,(%rbx)", "\x48\xc7\x03\xff\xff\xff\x7f", 7,
	  WRITE_IMM(8, 0x7fffffff) },
	{ M64, "movq $0xffffffff80000000,(%rbx)", "\x48\xc7\x03\x00\x00\x00\x80", 7,
	  WRITE_IMM(8, 0xffffffff80000000ULL) },
	{ M64, "movl $0x80000000,(%rbx)", "\xc7\x03\x00\x00\x00\x80", 6, WRITE_IMM(4, 0x80000000) },
	{ M64, "movl $0x1,0x10(%rip)", "\xc7\x05\x10\x00\x00\x00\x01\x00\x00\x00", 10,
	  WRITE_IMM(4, 1) },
	{ M64, "movw $0xfffe,-0x10(%rip)", "\x66\xc7\x05\xf0\xff\xff\xff\xfe\xff", 9,
	  WRITE_IMM(2, 0xfffe) },
	{ M64, "movq $0x12345678,0x100(%rsp)", "\x48\xc7\x84\x24\x00\x01\x00\x00\x78\x56\x34\x12",
	  12, WRITE_IMM(8, 0x12345678) },
	{ M64, "movb $0x80,0x1000(,%r9,8)", "\x42\xc6\x04\xcd\x00\x10\x00\x00\x80", 9,
	  WRITE_IMM(1, 0x80) },
	{ M64, "movzbl (%rbx),%eax", "\x0f\xb6\x03", 3, READ_EXT(1, 0, 4, MMIO_EXT_ZERO) },
	{ M64, "movzbl (%rbx),%edi", "\x0f\xb6\x3b", 3, READ_EXT(1, 7, 4, MMIO_EXT_ZERO) },
	{ M64, "movzbw (%rbx),%ax", "\x66\x0f\xb6\x03", 4, READ_EXT(1, 0, 2, MMIO_EXT_ZERO) },
	{ M64, "movzbq (%rbx),%rax", "\x48\x0f\xb6\x03", 4, READ_EXT(1, 0, 8, MMIO_EXT_ZERO) },
	{ M64, "movzbl (%rbx),%r8d", "\x44\x0f\xb6\x03", 4, READ_EXT(1, 8, 4, MMIO_EXT_ZERO) },
	{ M64, "movzwl (%rbx),%eax", "\x0f\xb7\x03", 3, READ_EXT(2, 0, 4, MMIO_EXT_ZERO) },
	{ M64, "movzwq 0x10(%rip),%r9", "\x4c\x0f\xb7\x0d\x10\x00\x00\x00", 8,
	  READ_EXT(2, 9, 8, MMIO_EXT_ZERO) },
	{ M64, "movzww (%rbx),%ax", "\x66\x0f\xb7\x03", 4, READ_EXT(2, 0, 2, MMIO_EXT_ZERO) },
	{ M64, "movsbl (%rbx),%eax", "\x0f\xbe\x03", 3, READ_EXT(1, 0, 4, MMIO_EXT_SIGN) },
	{ M64, "movsbq (%rbx),%rax", "\x48\x0f\xbe\x03", 4, READ_EXT(1, 0, 8, MMIO_EXT_SIGN) },
	{ M64, "movsbw (%rbx),%ax", "\x66\x0f\xbe\x03", 4, READ_EXT(1, 0, 2, MMIO_EXT_SIGN) },
	{ M64, "movswl (%rbx),%eax", "\x0f\xbf\x03", 3, READ_EXT(2, 0, 4, MMIO_EXT_SIGN) },
	{ M64, "movswq 0x8(%rbx,%rcx,2),%r14", "\x4c\x0f\xbf\x74\x4b\x08", 6,
	  READ_EXT(2, 14, 8, MMIO_EXT_SIGN) },
	{ M64, "movslq (%rbx),%rax", "\x48\x63\x03", 3, READ_EXT(4, 0, 8, MMIO_EXT_SIGN) },
	{ M64, "movslq 0x8(%rbx),%r15", "\x4c\x63\x7b\x08", 4, READ_EXT(4, 15, 8, MMIO_EXT_SIGN) },
	{ M64, "movslq 0x10(%rip),%rdx", "\x48\x63\x15\x10\x00\x00\x00", 7,
	  READ_EXT(4, 2, 8, MMIO_EXT_SIGN) },
	{ M64, "data16 movslq (%rbx),%rax", "\x66\x48\x63\x03", 4,
	  READ_EXT(4, 0, 8, MMIO_EXT_SIGN) },
	{ M64, "mov %eax,%fs:(%rbx)", "\x64\x89\x03", 3, WRITE_REG(4, 0) },
	{ M64, "mov %gs:(%rbx),%rax", "\x65\x48\x8b\x03", 4, READ_REG(8, 0) },
	{ M64, "es mov %eax,(%rbx)", "\x26\x89\x03", 3, WRITE_REG(4, 0) },
	{ M64, "cs mov %eax,(%rbx)", "\x2e\x89\x03", 3, WRITE_REG(4, 0) },
	{ M64, "ss mov %eax,(%rbx)", "\x36\x89\x03", 3, WRITE_REG(4, 0) },
	{ M64, "ds mov %eax,(%rbx)", "\x3e\x89\x03", 3, WRITE_REG(4, 0) },
	{ M64, "rex.W mov %ax,(%rbx)", "\x48\x66\x89\x03", 4, WRITE_REG(2, 0) },
	{ M64, "rex.R mov %eax,%fs:(%rbx)", "\x44\x64\x89\x03", 4, WRITE_REG(4, 0) },
	{ M64, "rex mov %ah,(%ebx)", "\x40\x67\x88\x23", 4, WRITE_REG(1, 4), .high_byte = true },
	{ M64, "rex.WR rex mov %eax,(%rbx)", "\x4c\x40\x89\x03", 4, WRITE_REG(4, 0) },
	{ M64, "rex mov %r8,(%rbx)", "\x40\x4c\x89\x03", 4, WRITE_REG(8, 8) },
	{ M64, "data16 mov %rax,%fs:0x8(%esp)", "\x66\x67\x64\x48\x89\x44\x24\x08", 8,
	  WRITE_REG(8, 0) },
	{ M64, "data16 data16 data16 movq $0x12345678,0x100(%rsp)",
	  "\x66\x66\x66\x48\xc7\x84\x24\x00\x01\x00\x00\x78\x56\x34\x12", 15,
	  WRITE_IMM(8, 0x12345678) },
	{ M32, "mov %al,(%ebx)", "\x88\x03", 2, WRITE_REG(1, 0) },
	{ M32, "mov %ch,(%ebx)", "\x88\x2b", 2, WRITE_REG(1, 5), .high_byte = true },
	{ M32, "mov %eax,(%ebx)", "\x89\x03", 2, WRITE_REG(4, 0) },
	{ M32, "mov %ax,(%ebx)", "\x66\x89\x03", 3, WRITE_REG(2, 0) },
	{ M32, "mov %eax,0x1000", "\x89\x05\x00\x10\x00\x00", 6, WRITE_REG(4, 0) },
	{ M32, "mov %eax,(%esp)", "\x89\x04\x24", 3, WRITE_REG(4, 0) },
	{ M32, "mov %eax,0x10(%ebx,%ecx,4)", "\x89\x44\x8b\x10", 4, WRITE_REG(4, 0) },
	{ M32, "mov %eax,0x1000(,%ecx,4)", "\x89\x04\x8d\x00\x10\x00\x00", 7, WRITE_REG(4, 0) },
	{ M32, "mov (%ebx),%dh", "\x8a\x33", 2, READ_REG(1, 6), .high_byte = true },
	{ M32, "mov (%ebx),%esi", "\x8b\x33", 2, READ_REG(4, 6) },
	{ M32, "mov 0x1000,%eax", "\xa1\x00\x10\x00\x00", 5, READ_REG(4, 0) },
	{ M32, "mov %al,0x1000", "\xa2\x00\x10\x00\x00", 5, WRITE_REG(1, 0) },
	{ M32, "mov %ax,0x1000", "\x66\xa3\x00\x10\x00\x00", 6, WRITE_REG(2, 0) },
	{ M32, "addr16 mov 0x1000,%eax", "\x67\xa1\x00\x10", 4, READ_REG(4, 0) },
	{ M32, "mov %eax,(%bx)", "\x67\x89\x07", 3, WRITE_REG(4, 0) },
	{ M32, "mov %eax,(%bx,%si)", "\x67\x89\x00", 3, WRITE_REG(4, 0) },
	{ M32, "mov %eax,(%si)", "\x67\x89\x04", 3, WRITE_REG(4, 0) },
	{ M32, "mov %eax,0x1000", "\x67\x89\x06\x00\x10", 5, WRITE_REG(4, 0) },
	{ M32, "mov %eax,0x8(%bx)", "\x67\x89\x47\x08", 4, WRITE_REG(4, 0) },
	{ M32, "mov %eax,0x100(%bx)", "\x67\x89\x87\x00\x01", 5, WRITE_REG(4, 0) },
	{ M32, "mov %eax,0x0(%bp)", "\x67\x89\x46\x00", 4, WRITE_REG(4, 0) },
	{ M32, "movb $0x12,(%ebx)", "\xc6\x03\x12", 3, WRITE_IMM(1, 0x12) },
	{ M32, "movw $0x1234,(%ebx)", "\x66\xc7\x03\x34\x12", 5, WRITE_IMM(2, 0x1234) },
	{ M32, "movl $0x12345678,0x1000", "\xc7\x05\x00\x10\x00\x00\x78\x56\x34\x12", 10,
	  WRITE_IMM(4, 0x12345678) },
	{ M32, "movzbl (%ebx),%eax", "\x0f\xb6\x03", 3, READ_EXT(1, 0, 4, MMIO_EXT_ZERO) },
	{ M32, "movswl (%ebx),%eax", "\x0f\xbf\x03", 3, READ_EXT(2, 0, 4, MMIO_EXT_SIGN) },
	{ M32, "movzwl %ds:(%ebx),%ecx", "\x3e\x0f\xb7\x0b", 4, READ_EXT(2, 1, 4, MMIO_EXT_ZERO) },
	{ M32, "movsbw (%ebx),%ax", "\x66\x0f\xbe\x03", 4, READ_EXT(1, 0, 2, MMIO_EXT_SIGN) },
	{ M16, "mov %ax,(%bx)", "\x89\x07", 2, WRITE_REG(2, 0) },
	{ M16, "mov %eax,(%bx)", "\x66\x89\x07", 3, WRITE_REG(4, 0) },
	{ M16, "mov %ah,(%bx)", "\x88\x27", 2, WRITE_REG(1, 4), .high_byte = true },
	{ M16, "mov %bl,(%bp,%di)", "\x88\x1b", 2, WRITE_REG(1, 3) },
	{ M16, "mov 0x8(%bp),%ax", "\x8b\x46\x08", 3, READ_REG(2, 0) },
	{ M16, "mov 0x1000,%si", "\x8b\x36\x00\x10", 4, READ_REG(2, 6) },
	{ M16, "mov (%ebx),%ax", "\x67\x8b\x03", 3, READ_REG(2, 0) },
	{ M16, "mov (%esp),%ax", "\x67\x8b\x04\x24", 4, READ_REG(2, 0) },
	{ M16, "mov 0x1000(%eax),%cx", "\x67\x8b\x88\x00\x10\x00\x00", 7, READ_REG(2, 1) },
	{ M16, "mov 0x1000,%ax", "\xa1\x00\x10", 3, READ_REG(2, 0) },
	{ M16, "addr32 mov 0x1000,%ax", "\x67\xa1\x00\x10\x00\x00", 6, READ_REG(2, 0) },
	{ M16, "mov %eax,0x1000", "\x66\xa3\x00\x10", 4, WRITE_REG(4, 0) },
	{ M16, "movw $0x1234,(%bx)", "\xc7\x07\x34\x12", 4, WRITE_IMM(2, 0x1234) },
	{ M16, "movl $0x12345678,(%bx)", "\x66\xc7\x07\x78\x56\x34\x12", 7,
	  WRITE_IMM(4, 0x12345678) },
	{ M16, "movb $0xff,0x2(%bx)", "\xc6\x47\x02\xff", 4, WRITE_IMM(1, 0xff) },
	{ M16, "movzbw (%bx),%ax", "\x0f\xb6\x07", 3, READ_EXT(1, 0, 2, MMIO_EXT_ZERO) },
	{ M16, "movzwl (%bx),%eax", "\x66\x0f\xb7\x07", 4, READ_EXT(2, 0, 4, MMIO_EXT_ZERO) },
	{ M16, "movsbl (%bx),%edx", "\x66\x0f\xbe\x17", 4, READ_EXT(1, 2, 4, MMIO_EXT_SIGN) },
	{ M16, "mov %ax,%es:(%bx)", "\x26\x89\x07", 3, WRITE_REG(2, 0) },
};

static const char *mode_name(enum mmio_cpu_mode mode)
{
	return mode == M16 ? "16-bit" : mode == M32 ? "32-bit" : "64-bit";
}

/* Decodes @c->bytes followed by @pad up to 15 bytes, with all 15 available. */
static void check_case(const struct decode_case *c, int pad)
{
	struct mmio_insn insn;
	const char *error = NULL;
	u8 buf[X86_MAX_INSN_LEN];
	int ret;

	memset(buf, pad, sizeof(buf));
	memcpy(buf, c->bytes, c->len);
	ret = mmio_decode(buf, sizeof(buf), c->mode, &insn, &error);
	if (ret)
		fail_msg("%s (%s): refused: %s", c->text, mode_name(c->mode), error);
	if (insn.len != c->len || insn.size != c->size || insn.dir != c->dir ||
	    insn.reg != c->reg || insn.high_byte != c->high_byte ||
	    insn.src_is_imm != c->src_is_imm || insn.imm != c->imm ||
	    insn.dst_size != c->dst_size || insn.ext != c->ext)
		fail_msg("%s (%s): len %u size %u dir %d reg %u high %d imm? %d imm 0x%llx "
			 "dst %u ext %d",
			 c->text, mode_name(c->mode), insn.len, insn.size, insn.dir, insn.reg,
			 insn.high_byte, insn.src_is_imm, (unsigned long long)insn.imm,
			 insn.dst_size, insn.ext);
}

static void every_table_entry_decodes_to_its_fields(void **state)
{
	size_t i;

	/* Padding that would be a prefix, an opcode or nothing must not count. */
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		check_case(&cases[i], 0x00);
		check_case(&cases[i], 0x66);
		check_case(&cases[i], 0xff);
	}
}

/*
 * The memory operand as objdump prints it ("%fs:-0x8(%rbx,%rcx,4)", "0x1000",
 * "0x10(%rip)"), and a segment prefix it names before the mnemonic ("es
 * mov"), turned into the address the CPU forms with the register values of
 * address_regs() (SDM Vol. 2A 2.1.5; Vol. 1 3.7.4 for the default segment).
 */
struct att_address {
	u64 offset; /* modulo the address size */
	u8 segment; /* ES=0, CS, SS, DS, FS, GS */
};

#define NEXT_RIP 0x40000000ULL

static const char *const reg_names[][16] = {
	{ "ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w",
	  "r13w", "r14w", "r15w" },
	{ "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d",
	  "r12d", "r13d", "r14d", "r15d" },
	{ "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12",
	  "r13", "r14", "r15" },
};
static const char *const seg_names[] = { "es", "cs", "ss", "ds", "fs", "gs" };

/* Register i holds 0x1000 * (i + 1) + 0x11 * i, so every sum is distinct. */
static void address_regs(u64 *gpr)
{
	for (unsigned int i = 0; i < 16; i++)
		gpr[i] = 0x1000ULL * (i + 1) + 0x11 * i + 0xfedc000000000000ULL;
}

static int reg_number(const char *name, size_t len, u64 *value, const u64 *gpr)
{
	for (unsigned int w = 0; w < 3; w++)
		for (unsigned int i = 0; i < 16; i++)
			if (strlen(reg_names[w][i]) == len &&
			    !strncmp(reg_names[w][i], name, len)) {
				*value = gpr[i];
				return (int)i;
			}
	if (len == 3 && (!strncmp(name, "rip", 3) || !strncmp(name, "eip", 3))) {
		*value = NEXT_RIP;
		return 16;
	}
	if (len == 3 && !strncmp(name, "riz", 3)) {
		*value = 0;
		return 17;
	}
	fail_msg("unknown register %.*s", (int)len, name);
	return -1;
}

/* The operand of @ops (after the mnemonic) that is in memory: not "$imm", not "%reg". */
static const char *memory_operand(const char *ops, size_t *len)
{
	const char *p = ops;

	for (;;) {
		const char *end = p;
		int depth = 0;

		while (*end && (depth || *end != ',')) {
			depth += *end == '(' ? 1 : *end == ')' ? -1 : 0;
			end++;
		}
		if (*p != '$' && !(*p == '%' && !memchr(p, ':', end - p))) {
			*len = end - p;
			return p;
		}
		assert_true(*end == ',');
		p = end + 1;
	}
}

static struct att_address parse_address(const char *text, unsigned int addr_size)
{
	struct att_address a = { 0, 3 /* DS */ };
	const char *op, *end;
	bool segment_named = false;
	u64 gpr[16], value;
	size_t len;
	int base = -1;

	address_regs(gpr);
	for (unsigned int i = 0; i < 6; i++)
		if (!strncmp(text, seg_names[i], 2) && text[2] == ' ') {
			a.segment = i;
			segment_named = true;
		}
	op = strchr(strstr(text, "mov"), ' ') + 1;
	op = memory_operand(op, &len);
	end = op + len;
	if (op[0] == '%' && op[3] == ':') {
		for (unsigned int i = 0; i < 6; i++)
			if (!strncmp(op + 1, seg_names[i], 2))
				a.segment = i;
		segment_named = true;
		op += 4;
	}
	if (*op == '-')
		a.offset = -strtoull(op + 1, (char **)&op, 16);
	else if (*op == '0')
		a.offset = strtoull(op, (char **)&op, 16);
	if (*op == '(') {
		const char *r = op + 1;

		/* (base,index,scale), any part empty */
		if (*r == '%') {
			const char *stop = strpbrk(r, ",)");

			base = reg_number(r + 1, stop - r - 1, &value, gpr);
			a.offset += value;
			r = stop;
		}
		if (*r == ',') {
			const char *stop = strpbrk(r + 1, ",)");

			reg_number(r + 2, stop - r - 2, &value, gpr);
			a.offset += value * strtoull(*stop == ',' ? stop + 1 : "1", NULL, 10);
		}
	}
	assert_true(op <= end);
	if (!segment_named && (base == 4 || base == 5))
		a.segment = 2; /* SS for an SP or BP base */
	a.offset &= addr_size == 8 ? ~0ULL : BIT(8 * addr_size) - 1;
	return a;
}

static unsigned int address_size_of(const struct decode_case *c)
{
	bool prefix = strstr(c->text, "addr32") || strstr(c->text, "addr16") ||
		      memchr(c->bytes, 0x67, c->len) != NULL;

	if (c->mode == M64)
		return prefix ? 4 : 8;
	if (c->mode == M32)
		return prefix ? 2 : 4;
	return prefix ? 4 : 2;
}

static void every_table_entry_forms_the_address_objdump_prints(void **state)
{
	u64 gpr[16];
	size_t i;

	address_regs(gpr);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct decode_case *c = &cases[i];
		unsigned int size = address_size_of(c);
		struct att_address want = parse_address(c->text, size);
		struct mmio_insn insn;
		u64 offset;

		assert_int_equal(mmio_decode((const u8 *)c->bytes, c->len, c->mode, &insn, NULL),
				 0);
		offset = mmio_address_offset(&insn, gpr, NEXT_RIP);
		if (insn.addr.size != size || offset != want.offset ||
		    insn.addr.segment != want.segment)
			fail_msg("%s (%s): address size %u offset 0x%llx segment %u, objdump says "
				 "%u, 0x%llx, %u",
				 c->text, mode_name(c->mode), insn.addr.size,
				 (unsigned long long)offset, insn.addr.segment, size,
				 (unsigned long long)want.offset, want.segment);
	}
}

static void exactly_the_bytes_of_the_instruction_are_enough(void **state)
{
	struct mmio_insn insn;
	size_t i;
	u8 *buf;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct decode_case *c = &cases[i];

		/* A heap block of exactly len bytes: ASan sees any read beyond. */
		buf = malloc(c->len);
		memcpy(buf, c->bytes, c->len);
		if (mmio_decode(buf, c->len, c->mode, &insn, NULL) || insn.len != c->len)
			fail_msg("%s (%s): not decoded from its own %u bytes", c->text,
				 mode_name(c->mode), c->len);
		free(buf);
	}
}

static void every_shorter_prefix_of_an_instruction_is_truncated(void **state)
{
	struct mmio_insn insn;
	const char *error;
	size_t i;
	u32 n;
	u8 *buf;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct decode_case *c = &cases[i];

		for (n = 0; n < c->len; n++) {
			buf = malloc(n ? n : 1);
			memcpy(buf, c->bytes, n);
			error = NULL;
			if (mmio_decode(buf, n, c->mode, &insn, &error) != MMIO_DECODE_TRUNCATED)
				fail_msg("%s (%s): %u of %u bytes not reported truncated", c->text,
					 mode_name(c->mode), n, c->len);
			assert_non_null(error);
			free(buf);
		}
	}
}

struct reject_case {
	enum mmio_cpu_mode mode;
	const char *text;
	const char *bytes;
	u8 len;
	const char *error;
};

#define REGISTER_OPERAND "register operand: not a memory access"
#define NOT_EMULATED "opcode not emulated"
#define LOCKED "LOCK prefix on MOV"
#define REP "F2/F3 prefix"
#define NOT_MOVSXD "63 other than REX.W MOVSXD"
#define BAD_EXTENSION "C6/C7 with ModRM.reg other than 0"

static const struct reject_case rejects[] = {
	/* ModRM mod = 11: a register, no memory access. */
	{ M64, "mov %eax,%ebx", "\x89\xc3", 2, REGISTER_OPERAND },
	{ M64, "mov %ebx,%eax", "\x8b\xd8", 2, REGISTER_OPERAND },
	{ M64, "mov %ah,%al", "\x88\xe0", 2, REGISTER_OPERAND },
	{ M64, "mov $0x12,%al", "\xc6\xc0\x12", 3, REGISTER_OPERAND },
	{ M64, "mov $0x1,%eax", "\xc7\xc0\x01\x00\x00\x00", 6, REGISTER_OPERAND },
	{ M64, "movzbl %al,%eax", "\x0f\xb6\xc0", 3, REGISTER_OPERAND },
	{ M64, "movslq %eax,%rax", "\x48\x63\xc0", 3, REGISTER_OPERAND },
	{ M64, "xabort $0x0", "\xc6\xf8\x00", 3, REGISTER_OPERAND },
	{ M64, "xbegin .", "\xc7\xf8\xfa\xff\xff\xff", 6, REGISTER_OPERAND },
	{ M32, "addr16 mov %eax,%ebx", "\x67\x89\xc3", 3, REGISTER_OPERAND },
	{ M16, "mov %ax,%bx", "\x89\xc3", 2, REGISTER_OPERAND },
	/* Other instructions. */
	{ M64, "nop", "\x90", 1, NOT_EMULATED },
	{ M64, "add %eax,(%rbx)", "\x01\x03", 2, NOT_EMULATED },
	{ M64, "mov %ds,(%rbx)", "\x8c\x1b", 2, NOT_EMULATED },
	{ M64, "mov (%rbx),%ds", "\x8e\x1b", 2, NOT_EMULATED },
	{ M64, "movups (%rbx),%xmm0", "\x0f\x10\x03", 3, NOT_EMULATED },
	{ M64, "movsb %ds:(%rsi),%es:(%rdi)", "\xa4", 1, NOT_EMULATED },
	{ M64, "incl (%rbx)", "\xff\x03", 2, NOT_EMULATED },
	{ M64, "ud2", "\x0f\x0b", 2, NOT_EMULATED },
	{ M64, "vmovdqu (%rbx),%ymm0", "\xc5\xfe\x6f\x03", 4, NOT_EMULATED },
	{ M64, "xchg %eax,(%rbx)", "\x87\x03", 2, NOT_EMULATED },
	{ M64, "lock xchg %eax,(%rbx)", "\xf0\x87\x03", 3, NOT_EMULATED },
	{ M64, "mov %cr0,%rax", "\x0f\x20\xc0", 3, NOT_EMULATED },
	/* 40-4F are INC/DEC outside 64-bit mode, never REX. */
	{ M32, "dec %eax; mov %eax,(%ebx)", "\x48\x89\x03", 3, NOT_EMULATED },
	{ M16, "inc %ax; mov %ax,(%bx)", "\x40\x89\x07", 3, NOT_EMULATED },
	/* LOCK on MOV is #UD. */
	{ M64, "lock mov %eax,(%rbx)", "\xf0\x89\x03", 3, LOCKED },
	{ M64, "lock mov %al,(%rbx)", "\xf0\x88\x03", 3, LOCKED },
	{ M64, "lock mov (%rbx),%eax", "\xf0\x8b\x03", 3, LOCKED },
	{ M64, "lock movl $0x1,(%rbx)", "\xf0\xc7\x03\x01\x00\x00\x00", 7, LOCKED },
	{ M64, "lock movabs 0x807060504030201,%eax", "\xf0\xa1\x01\x02\x03\x04\x05\x06\x07\x08", 10,
	  LOCKED },
	{ M64, "lock movzbl (%rbx),%eax", "\xf0\x0f\xb6\x03", 4, LOCKED },
	{ M64, "lock movslq (%rbx),%rax", "\xf0\x48\x63\x03", 4, LOCKED },
	{ M64, "lock mov %eax,%fs:(%rbx)", "\x64\xf0\x89\x03", 4, LOCKED },
	{ M16, "lock mov %ax,(%bx)", "\xf0\x89\x07", 3, LOCKED },
	/* F2/F3: REP, or XACQUIRE/XRELEASE on MOV to memory. */
	{ M64, "rep movsl %ds:(%rsi),%es:(%rdi)", "\xf3\xa5", 2, REP },
	{ M64, "xrelease mov %eax,(%rbx)", "\xf3\x89\x03", 3, REP },
	{ M64, "repnz mov %al,(%rbx)", "\xf2\x88\x03", 3, REP },
	{ M64, "repz movzbl (%rbx),%eax", "\xf3\x0f\xb6\x03", 4, REP },
	/* 63: MOVSXD only with REX.W, ARPL outside 64-bit mode. */
	{ M64, "movsxd (%rbx),%eax", "\x63\x03", 2, NOT_MOVSXD },
	{ M64, "movsxd (%rbx),%ax", "\x66\x63\x03", 3, NOT_MOVSXD },
	{ M64, "rex.W es movsxd (%rbx),%eax", "\x48\x26\x63\x03", 4, NOT_MOVSXD },
	{ M32, "arpl %ax,(%ebx)", "\x63\x03", 2, NOT_MOVSXD },
	/* C6 and C7 are MOV only with ModRM.reg 0 (objdump: "(bad)"). */
	{ M64, "(bad) C6 /1", "\xc6\x4b\x08\x12", 4, BAD_EXTENSION },
	{ M64, "(bad) C7 /1", "\xc7\x0b\x01\x00\x00\x00", 6, BAD_EXTENSION },
	{ M32, "(bad) C7 /7", "\xc7\x38\x01\x00\x00\x00", 6, BAD_EXTENSION },
	/* REX.R does not extend an opcode extension: 4C C7 03 is C7 /0, 44 C7 0B is C7 /1. */
	{ M64, "rex.R (bad) C7 /1", "\x44\xc7\x0b\x01\x00\x00\x00", 7, BAD_EXTENSION },
};

static void instructions_hv_does_not_emulate_are_refused_with_a_reason(void **state)
{
	struct mmio_insn insn;
	const char *error;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(rejects); i++) {
		const struct reject_case *c = &rejects[i];

		error = NULL;
		ret = mmio_decode((const u8 *)c->bytes, c->len, c->mode, &insn, &error);
		if (ret != MMIO_DECODE_UNSUPPORTED || !error || strcmp(error, c->error))
			fail_msg("%s (%s): got %d \"%s\", expected \"%s\"", c->text,
				 mode_name(c->mode), ret, error ? error : "(none)", c->error);
	}
}

static void rex_w_with_c7_is_c7_0_whatever_rex_r_says(void **state)
{
	/* 4C C7 03: REX.WR, C7 /0 with reg field 0 -> MOV r/m64, imm32. */
	static const u8 bytes[] = { 0x4c, 0xc7, 0x03, 0x01, 0x00, 0x00, 0x00 };
	struct mmio_insn insn;

	assert_int_equal(mmio_decode(bytes, sizeof(bytes), M64, &insn, NULL), 0);
	assert_int_equal(insn.len, 7);
	assert_int_equal(insn.size, 8);
	assert_true(insn.src_is_imm);
	assert_int_equal(insn.imm, 1);
}

static void instructions_longer_than_15_bytes_are_refused(void **state)
{
	/* The table's 15-byte movq with one more 66 prefix: 16 bytes. */
	static const u8 bytes[16] = { 0x66, 0x66, 0x66, 0x66, 0x48, 0xc7, 0x84, 0x24,
				      0x00, 0x01, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12 };
	static const u8 prefixes[16] = { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
					 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66 };
	struct mmio_insn insn;
	const char *error = NULL;

	/* More bytes available than 15 changes nothing: the CPU raises #GP. */
	assert_int_equal(mmio_decode(bytes, sizeof(bytes), M64, &insn, &error),
			 MMIO_DECODE_UNSUPPORTED);
	assert_string_equal(error, "longer than 15 bytes");
	assert_int_equal(mmio_decode(bytes, 15, M64, &insn, NULL), MMIO_DECODE_UNSUPPORTED);
	/* Prefixes alone up to the limit: no opcode within 15 bytes. */
	assert_int_equal(mmio_decode(prefixes, sizeof(prefixes), M32, &insn, NULL),
			 MMIO_DECODE_UNSUPPORTED);
	assert_int_equal(mmio_decode(prefixes, 14, M32, &insn, NULL), MMIO_DECODE_TRUNCATED);
}

static void nothing_available_is_truncated(void **state)
{
	struct mmio_insn insn;
	const char *error = NULL;

	assert_int_equal(mmio_decode(NULL, 0, M64, &insn, &error), MMIO_DECODE_TRUNCATED);
	assert_string_equal(error, "continues past the bytes fetched");
}

static struct mmio_insn decode_ok(enum mmio_cpu_mode mode, const char *bytes, u32 len)
{
	struct mmio_insn insn;

	assert_int_equal(mmio_decode((const u8 *)bytes, len, mode, &insn, NULL), 0);
	assert_int_equal(insn.len, len);
	return insn;
}

static void rsp_as_register_operand_is_visible(void **state)
{
	struct mmio_insn insn;

	insn = decode_ok(M64, "\x8b\x24\x24", 3); /* mov (%rsp),%esp */
	assert_true(mmio_insn_uses_rsp(&insn));
	insn = decode_ok(M64, "\x48\x89\x63\x08", 4); /* mov %rsp,0x8(%rbx) */
	assert_true(mmio_insn_uses_rsp(&insn));
	insn = decode_ok(M64, "\x40\x88\x23", 3); /* mov %spl,(%rbx) */
	assert_true(mmio_insn_uses_rsp(&insn));
	insn = decode_ok(M16, "\x89\x27", 2); /* mov %sp,(%bx) */
	assert_true(mmio_insn_uses_rsp(&insn));
	/* AH is encoded as 4 too, but lives in RAX. */
	insn = decode_ok(M64, "\x88\x23", 2); /* mov %ah,(%rbx) */
	assert_false(mmio_insn_uses_rsp(&insn));
	insn = decode_ok(M64, "\x4c\x8b\x23", 3); /* mov (%rbx),%r12 */
	assert_false(mmio_insn_uses_rsp(&insn));
	/* An immediate store through RSP does not involve RSP's value. */
	insn = decode_ok(M64, "\xc7\x04\x24\x01\x00\x00\x00", 7); /* movl $0x1,(%rsp) */
	assert_false(mmio_insn_uses_rsp(&insn));
}

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

#define PATTERN 0x1122334455667788ULL

/* Every register holds PATTERN: a register the access must not touch keeps it. */
static void fill_gprs(u64 *gpr)
{
	int i;

	for (i = 0; i < 16; i++)
		gpr[i] = PATTERN;
}

/* Whether every register but @except still holds PATTERN. */
static bool others_untouched(const u64 *gpr, int except)
{
	int i;

	for (i = 0; i < 16; i++)
		if (i != except && gpr[i] != PATTERN)
			return false;
	return true;
}

static void write_value_takes_the_low_bytes_of_the_source_register(void **state)
{
	struct mmio_insn insn;
	u64 gpr[16];

	fill_gprs(gpr);
	gpr[RCX] = 0xaaaaaaaaaaaa1234ULL;
	gpr[RDX] = 0xbbbbbbbb89abcdefULL;
	gpr[R15] = 0xfedcba9876543210ULL;
	insn = decode_ok(M64, "\x88\x03", 2); /* mov %al,(%rbx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0x88);
	insn = decode_ok(M64, "\x66\x89\x0b", 3); /* mov %cx,(%rbx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0x1234);
	insn = decode_ok(M64, "\x89\x13", 2); /* mov %edx,(%rbx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0x89abcdefULL);
	insn = decode_ok(M64, "\x4c\x89\x3b", 3); /* mov %r15,(%rbx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0xfedcba9876543210ULL);
	insn = decode_ok(M16, "\x89\x17", 2); /* mov %dx,(%bx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0xcdef);
}

static void write_value_of_ah_ch_dh_bh_is_bits_15_8(void **state)
{
	struct mmio_insn insn;
	u64 gpr[16] = { 0 };

	gpr[RAX] = 0x0a01;
	gpr[RCX] = 0x0b02;
	gpr[RDX] = 0x0c03;
	gpr[RBX] = 0x0d04;
	gpr[RSP] = 0x0e05;
	gpr[RBP] = 0x0f06;
	gpr[RSI] = 0x1007;
	gpr[RDI] = 0x1108;
	insn = decode_ok(M64, "\x88\x23", 2); /* mov %ah,(%rbx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0x0a);
	insn = decode_ok(M32, "\x88\x2b", 2); /* mov %ch,(%ebx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0x0b);
	insn = decode_ok(M16, "\x88\x37", 2); /* mov %dh,(%bx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0x0c);
	insn = decode_ok(M64, "\x88\x3b", 2); /* mov %bh,(%rbx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0x0d);
	/* The same encodings with a REX prefix: SPL, BPL, SIL, DIL. */
	insn = decode_ok(M64, "\x40\x88\x23", 3); /* mov %spl,(%rbx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0x05);
	insn = decode_ok(M64, "\x40\x88\x2b", 3); /* mov %bpl,(%rbx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0x06);
	insn = decode_ok(M64, "\x40\x88\x33", 3); /* mov %sil,(%rbx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0x07);
	insn = decode_ok(M64, "\x40\x88\x3b", 3); /* mov %dil,(%rbx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0x08);
}

static void write_value_of_an_immediate_has_the_access_size(void **state)
{
	struct mmio_insn insn;
	u64 gpr[16];

	fill_gprs(gpr);
	insn = decode_ok(M64, "\xc6\x03\x80", 3); /* movb $0x80,(%rbx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0x80);
	insn = decode_ok(M64, "\x66\xc7\x03\xfe\xff", 5); /* movw $0xfffe,(%rbx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0xfffe);
	insn = decode_ok(M64, "\xc7\x03\x00\x00\x00\x80", 6); /* movl $0x80000000,(%rbx) */
	assert_int_equal(mmio_write_value(&insn, gpr), 0x80000000ULL);
	/* REX.W: imm32 sign-extended to 64 bits. */
	insn = decode_ok(M64, "\x48\xc7\x03\x00\x00\x00\x80", 7);
	assert_int_equal(mmio_write_value(&insn, gpr), 0xffffffff80000000ULL);
	insn = decode_ok(M64, "\x48\xc7\x03\xff\xff\xff\x7f", 7);
	assert_int_equal(mmio_write_value(&insn, gpr), 0x7fffffffULL);
}

/* Decodes @bytes, completes the read of @value and returns the destination register. */
static u64 read_into(u64 *gpr, enum mmio_cpu_mode mode, const char *bytes, u32 len, u64 value,
		     int dst)
{
	struct mmio_insn insn = decode_ok(mode, bytes, len);

	fill_gprs(gpr);
	mmio_complete_read(&insn, gpr, value);
	assert_true(others_untouched(gpr, dst));
	return gpr[dst];
}

static void read_into_8_and_16_bit_registers_keeps_the_other_bits(void **state)
{
	u64 gpr[16];

	/* mov (%rbx),%al; the value's bits above the access size do not count. */
	assert_int_equal(read_into(gpr, M64, "\x8a\x03", 2, 0xffffffffffffffabULL, RAX),
			 0x11223344556677abULL);
	/* mov (%rbx),%ax */
	assert_int_equal(read_into(gpr, M64, "\x66\x8b\x03", 3, 0xbeef, RAX),
			 0x112233445566beefULL);
	/* mov (%bx),%si in 16-bit mode */
	assert_int_equal(read_into(gpr, M16, "\x8b\x37", 2, 0x1234beef, RSI),
			 0x112233445566beefULL);
	/* mov (%rbx),%r9b */
	assert_int_equal(read_into(gpr, M64, "\x44\x8a\x0b", 3, 0xab, R9), 0x11223344556677abULL);
	/* movabs 0x1000,%al */
	assert_int_equal(read_into(gpr, M64, "\xa0\x00\x10\x00\x00\x00\x00\x00\x00", 9, 0xab, RAX),
			 0x11223344556677abULL);
}

static void read_into_ah_ch_dh_bh_replaces_bits_15_8(void **state)
{
	u64 gpr[16];

	assert_int_equal(read_into(gpr, M64, "\x8a\x23", 2, 0xab, RAX), 0x112233445566ab88ULL);
	assert_int_equal(read_into(gpr, M64, "\x8a\x2b", 2, 0xab, RCX), 0x112233445566ab88ULL);
	assert_int_equal(read_into(gpr, M32, "\x8a\x33", 2, 0xab, RDX), 0x112233445566ab88ULL);
	assert_int_equal(read_into(gpr, M16, "\x8a\x3f", 2, 0xab, RBX), 0x112233445566ab88ULL);
}

static void read_into_spl_bpl_sil_dil_replaces_bits_7_0(void **state)
{
	u64 gpr[16];

	assert_int_equal(read_into(gpr, M64, "\x40\x8a\x23", 3, 0xab, RSP), 0x11223344556677abULL);
	assert_int_equal(read_into(gpr, M64, "\x40\x8a\x2b", 3, 0xab, RBP), 0x11223344556677abULL);
	assert_int_equal(read_into(gpr, M64, "\x40\x8a\x33", 3, 0xab, RSI), 0x11223344556677abULL);
	assert_int_equal(read_into(gpr, M64, "\x40\x8a\x3b", 3, 0xab, RDI), 0x11223344556677abULL);
}

static void read_into_32_bit_registers_zero_extends(void **state)
{
	u64 gpr[16];

	/* mov (%rbx),%eax */
	assert_int_equal(read_into(gpr, M64, "\x8b\x03", 2, 0xffffffffdeadbeefULL, RAX),
			 0xdeadbeefULL);
	/* mov (%rbx),%r12d */
	assert_int_equal(read_into(gpr, M64, "\x44\x8b\x23", 3, 0x80000000, R12), 0x80000000ULL);
	/* mov (%rbx),%rax */
	assert_int_equal(read_into(gpr, M64, "\x48\x8b\x03", 3, 0xfedcba9876543210ULL, RAX),
			 0xfedcba9876543210ULL);
}

static void read_with_movzx_zero_extends_to_the_destination_size(void **state)
{
	u64 gpr[16];

	/* movzbl (%rbx),%eax */
	assert_int_equal(read_into(gpr, M64, "\x0f\xb6\x03", 3, 0xff80, RAX), 0x80);
	/* movzbw (%rbx),%ax: a 16-bit destination keeps bits 63:16 */
	assert_int_equal(read_into(gpr, M64, "\x66\x0f\xb6\x03", 4, 0x80, RAX),
			 0x1122334455660080ULL);
	/* movzbq (%rbx),%rax */
	assert_int_equal(read_into(gpr, M64, "\x48\x0f\xb6\x03", 4, 0x80, RAX), 0x80);
	/* movzwl (%rbx),%r8d */
	assert_int_equal(read_into(gpr, M64, "\x44\x0f\xb7\x03", 4, 0x12348000, R8), 0x8000);
	/* movzwq (%rbx),%rdi */
	assert_int_equal(read_into(gpr, M64, "\x48\x0f\xb7\x3b", 4, 0xffff, RDI), 0xffff);
}

static void read_with_movsx_sign_extends_to_the_destination_size(void **state)
{
	u64 gpr[16];

	/* movsbl (%rbx),%eax: sign-extended to 32 bits, then zero-extended */
	assert_int_equal(read_into(gpr, M64, "\x0f\xbe\x03", 3, 0x80, RAX), 0xffffff80ULL);
	assert_int_equal(read_into(gpr, M64, "\x0f\xbe\x03", 3, 0x7f, RAX), 0x7f);
	/* movsbw (%rbx),%ax */
	assert_int_equal(read_into(gpr, M64, "\x66\x0f\xbe\x03", 4, 0x80, RAX),
			 0x112233445566ff80ULL);
	/* movsbq (%rbx),%rax */
	assert_int_equal(read_into(gpr, M64, "\x48\x0f\xbe\x03", 4, 0x80, RAX),
			 0xffffffffffffff80ULL);
	/* movswl (%rbx),%ecx */
	assert_int_equal(read_into(gpr, M64, "\x0f\xbf\x0b", 3, 0x8001, RCX), 0xffff8001ULL);
	/* movswq (%rbx),%r14 */
	assert_int_equal(read_into(gpr, M64, "\x4c\x0f\xbf\x33", 4, 0x8001, R14),
			 0xffffffffffff8001ULL);
	/* movsbl (%bx),%edx in 16-bit mode */
	assert_int_equal(read_into(gpr, M16, "\x66\x0f\xbe\x17", 4, 0xfe, RDX), 0xfffffffeULL);
}

static void read_with_movsxd_sign_extends_to_64_bits(void **state)
{
	u64 gpr[16];

	/* movslq (%rbx),%rax */
	assert_int_equal(read_into(gpr, M64, "\x48\x63\x03", 3, 0x80000000, RAX),
			 0xffffffff80000000ULL);
	assert_int_equal(read_into(gpr, M64, "\x48\x63\x03", 3, 0xffffffff7fffffffULL, RAX),
			 0x7fffffffULL);
	/* movslq 0x8(%rbx),%r15 */
	assert_int_equal(read_into(gpr, M64, "\x4c\x63\x7b\x08", 4, 0xfffffffe, R15),
			 0xfffffffffffffffeULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_table_entry_decodes_to_its_fields),
		cmocka_unit_test(every_table_entry_forms_the_address_objdump_prints),
		cmocka_unit_test(exactly_the_bytes_of_the_instruction_are_enough),
		cmocka_unit_test(every_shorter_prefix_of_an_instruction_is_truncated),
		cmocka_unit_test(instructions_hv_does_not_emulate_are_refused_with_a_reason),
		cmocka_unit_test(rex_w_with_c7_is_c7_0_whatever_rex_r_says),
		cmocka_unit_test(instructions_longer_than_15_bytes_are_refused),
		cmocka_unit_test(nothing_available_is_truncated),
		cmocka_unit_test(rsp_as_register_operand_is_visible),
		cmocka_unit_test(write_value_takes_the_low_bytes_of_the_source_register),
		cmocka_unit_test(write_value_of_ah_ch_dh_bh_is_bits_15_8),
		cmocka_unit_test(write_value_of_an_immediate_has_the_access_size),
		cmocka_unit_test(read_into_8_and_16_bit_registers_keeps_the_other_bits),
		cmocka_unit_test(read_into_ah_ch_dh_bh_replaces_bits_15_8),
		cmocka_unit_test(read_into_spl_bpl_sil_dil_replaces_bits_7_0),
		cmocka_unit_test(read_into_32_bit_registers_zero_extends),
		cmocka_unit_test(read_with_movzx_zero_extends_to_the_destination_size),
		cmocka_unit_test(read_with_movsx_sign_extends_to_the_destination_size),
		cmocka_unit_test(read_with_movsxd_sign_extends_to_64_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
