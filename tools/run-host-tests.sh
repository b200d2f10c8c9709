#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the host unit tests (cmocka) and, with --fuzz-seconds N, each libFuzzer
# target for N seconds. Build them first: make unit-build fuzz-build.
#
# stdout carries only result lines:
#   PASS unit: <binary>/<test>      FAIL unit: <binary>/<test>
#   FAIL unit: <binary> (<why>: <last lines of its output>)
#   PASS fuzz: <name> (<runs> runs) FAIL fuzz: <name> (<crash info>)
# A test cmocka reports as skipped is a FAIL: nothing passes unchecked. A binary
# that crashes, times out, exits non-zero after passing, or whose output does
# not account for every test it announced is one FAIL line naming the binary.
# Progress and the output of failing binaries go to stderr.
# Exit status: 0 iff no FAIL line was printed.
#
# Environment: BUILD (default build), UNIT_TIMEOUT seconds per unit binary
# (default 300). Fuzz corpora: $BUILD/fuzz-corpus/<name>, seeded from
# tests/fuzz/corpus/<name>/, dictionary tests/fuzz/<name>.dict if present;
# crash inputs: $BUILD/fuzz-artifacts/<name>/; logs: $BUILD/fuzz-logs/.

set -u

BUILD=${BUILD:-build}
UNIT_TIMEOUT=${UNIT_TIMEOUT:-300}
fuzz_seconds=
failed=0
top=$(cd "$(dirname "$0")/.." && pwd)

usage()
{
	echo "usage: $0 [--fuzz-seconds N]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--fuzz-seconds)
		[ $# -ge 2 ] || usage
		fuzz_seconds=$2
		shift 2
		;;
	--fuzz-seconds=*)
		fuzz_seconds=${1#*=}
		shift
		;;
	*)
		usage
		;;
	esac
done
if [ -n "$fuzz_seconds" ] && ! [[ $fuzz_seconds =~ ^[1-9][0-9]*$ ]]; then
	echo "$0: --fuzz-seconds needs a positive number of seconds" >&2
	exit 2
fi

pass()
{
	echo "PASS $*"
}

fail()
{
	echo "FAIL $*"
	failed=1
}

# The last non-blank lines of a log, joined into one line.
tail_line()
{
	grep -v '^[[:space:]]*$' "$1" | tail -n "${2:-5}" | tr -s ' \t' ' ' | sed 's/^ //' |
		paste -sd'|' - | sed 's/|/ | /g'
}

# What went wrong, in one line: the sanitizer's verdict if any, else the last lines.
crash_line()
{
	local info

	info=$(grep -E '^==[0-9]+==ERROR|^SUMMARY:|runtime error:' "$1" | head -n 3 |
		paste -sd'|' - | sed 's/|/ | /g')
	echo "${info:-$(tail_line "$1")}"
}

run_unit()
{
	local bin=$1 name log status line test
	local -A result=()
	local -a order=()
	local running='' declared=''

	name=$(basename "$bin")
	log=$(mktemp)
	echo "unit: $name" >&2
	# cmocka's default output, whatever the caller's environment asks for.
	CMOCKA_MESSAGE_OUTPUT=stdout CMOCKA_TEST_ABORT=0 timeout "$UNIT_TIMEOUT" "$bin" \
		>"$log" 2>&1 </dev/null
	status=$?

	while IFS= read -r line; do
		case $line in
		"[==========] Running "*)
			declared=${line#"[==========] Running "}
			declared=${declared%% *}
			;;
		"[ RUN      ] "*)
			running=${line#"[ RUN      ] "}
			;;
		"[       OK ] "* | "[  FAILED  ] "* | "[  ERROR   ] "* | "[  SKIPPED ] "*)
			test=${line#\[*\] }
			# The summary repeats failed tests, and "[  ERROR   ] --- msg" is detail.
			[ "$test" = "$running" ] || continue
			running=
			[ -n "${result[$test]+x}" ] || order+=("$test")
			case $line in
			"[       OK ] "*) result[$test]=PASS ;;
			*) result[$test]=FAIL ;;
			esac
			;;
		esac
	done <"$log"

	for test in "${order[@]}"; do
		if [ "${result[$test]}" = PASS ]; then
			pass "unit: $name/$test"
		else
			fail "unit: $name/$test"
		fi
	done

	if [ $status -eq 124 ]; then
		fail "unit: $name (timed out after ${UNIT_TIMEOUT}s${running:+ in $running}:" \
			"$(tail_line "$log"))"
	elif [ -n "$running" ]; then
		fail "unit: $name (crashed in $running, exit $status: $(crash_line "$log"))"
	elif [ -z "$declared" ] || [ ${#order[@]} -ne "$declared" ]; then
		fail "unit: $name (unparsable output, exit $status, ${#order[@]} of" \
			"${declared:-?} results: $(tail_line "$log"))"
	elif [ $status -ne 0 ] && ! grep -q '^\[  FAILED  \]' "$log"; then
		# All tests passed, yet the binary failed: e.g. a leak found at exit.
		fail "unit: $name (exit $status after its tests: $(crash_line "$log"))"
	fi
	if [ $status -ne 0 ]; then
		echo "---- output of $name ----" >&2
		cat "$log" >&2
	fi
	rm -f "$log"
}

run_fuzz()
{
	local bin=$1 name corpus artifacts log status runs info where artifact
	local -a dict=()

	name=$(basename "$bin")
	corpus=$BUILD/fuzz-corpus/$name
	artifacts=$BUILD/fuzz-artifacts/$name
	log=$BUILD/fuzz-logs/$name.log
	mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
	if [ -d "$top/tests/fuzz/corpus/$name" ]; then
		cp -n "$top/tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null
	fi
	[ ! -f "$top/tests/fuzz/$name.dict" ] || dict=(-dict="$top/tests/fuzz/$name.dict")
	echo "fuzz: $name for ${fuzz_seconds}s, log in $log" >&2
	# A stuck input is a failure too: -timeout bounds each one.
	timeout $((fuzz_seconds + 120)) "$bin" -max_total_time="$fuzz_seconds" -timeout=25 \
		-print_final_stats=1 "${dict[@]}" -artifact_prefix="$artifacts/" "$corpus" \
		>"$log" 2>&1 </dev/null
	status=$?

	runs=$(sed -n 's/^Done \([0-9]*\) runs in .*/\1/p' "$log" | tail -n 1)
	if [ $status -eq 0 ] && [ -n "$runs" ]; then
		pass "fuzz: $name ($runs runs)"
		return
	fi
	info=$(grep -m 1 -E '^invariant failed|^==[0-9]+==ERROR|runtime error:|ERROR: libFuzzer' "$log")
	# Where: the first frame in a C source (the runtime's own frames are C++).
	where=$(grep -m 1 -oE ' in [^ ]+ [^ ]+\.c:[0-9]+' "$log")
	[ -z "$where" ] || [[ $info == "invariant failed"* ]] || info="$info;$where"
	artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	[ -n "$info" ] || info="exit $status: $(tail_line "$log" 3)"
	fail "fuzz: $name ($info${artifact:+; input: $artifact}; log: $log)"
	tail -n 40 "$log" >&2
}

shopt -s nullglob

units=()
for bin in "$BUILD"/host/unit/*; do
	[ -f "$bin" ] && [ -x "$bin" ] && units+=("$bin")
done
if [ ${#units[@]} -eq 0 ]; then
	fail "unit: no unit test binaries in $BUILD/host/unit (make unit-build)"
fi
for bin in "${units[@]}"; do
	run_unit "$bin"
done

if [ -n "$fuzz_seconds" ]; then
	fuzzers=()
	for bin in "$BUILD"/host/fuzz/*; do
		[ -f "$bin" ] && [ -x "$bin" ] && fuzzers+=("$bin")
	done
	if [ ${#fuzzers[@]} -eq 0 ]; then
		fail "fuzz: no fuzzers in $BUILD/host/fuzz (make fuzz-build)"
	fi
	for bin in "${fuzzers[@]}"; do
		run_fuzz "$bin"
	done
fi

exit $failed
