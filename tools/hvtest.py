#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""hv's test driver.

Runs the layers of the suite and prints one line per check on stdout:
    PASS <layer>: <check>
    FAIL <layer>: <check>: <why>
    SKIP <layer>: <check>: <why>
and, last, "N passed, N failed". Progress goes to stderr. A failed run of an
engine prints the tail of its serial log. See docs/TESTING.md.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
TOOLS = os.path.join(ROOT, "tools")
SERVICE = os.path.join(BUILD, "service", "service.elf")

results = []  # (status, layer, check, why)


def report(status, layer, check, why=""):
    results.append((status, layer, check, why))
    line = f"{status} {layer}: {check}" + (f": {why}" if why else "")
    print(line, flush=True)


def progress(msg):
    print(f"hvtest: {msg}", file=sys.stderr, flush=True)


def read_lines(path):
    try:
        with open(path, errors="replace") as f:
            return f.read().replace("\r", "").splitlines()
    except OSError:
        return []


def tail(path, n=40):
    """The last lines of a serial log; when it is empty, of what the engine
    printed (tools/bochs-run.sh keeps it in LOG.out: e.g. why it did not start)."""
    lines = read_lines(path)
    if not lines and read_lines(path + ".out"):
        lines = ["(the serial log is empty; the engine printed:)"] + read_lines(path + ".out")
    return "\n".join("    | " + l for l in lines[-n:]) if lines else "(no serial log)"


def read_log(path):
    with open(path, errors="replace") as f:
        return f.read().replace("\r", "")


# --- the guest suite ----------------------------------------------------------

HV_EXIT_SKIP = 38  # include/public/hv.h: every check was skipped


class Module:
    """One line of guest-tests/suite.txt (or native.txt).

    Words of the form test.KEY=VALUE are the harness's, not the module's:
      test.runs-on=E1[,E2]  on these engines the test must run; elsewhere the
                            guest may skip (SKIP lines, exit code 38), which is
                            reported as SKIP with its reason
      test.log=TEXT         hv's console must hold TEXT between the partition's
                            start and its stop (unless it skipped); may repeat
    """

    def __init__(self, name, expect, options):
        self.name, _, self.file = name.partition(":")
        self.file = self.file or self.name
        self.kind, _, self.value = expect.partition("=")
        self.value = self.value.strip('"')
        self.options = [o for o in options if not o.startswith("test.")]
        self.runs_on, self.logs = None, []
        for o in options:
            if not o.startswith("test."):
                continue
            key, _, value = o[len("test."):].partition("=")
            if key == "runs-on":
                self.runs_on = value.split(",")
            elif key == "log":
                self.logs.append(value)
            else:
                raise SystemExit(f"hvtest: {self.name}: unknown harness option '{o}'")

    def may_skip_on(self, engine):
        return self.runs_on is not None and engine not in self.runs_on

    @property
    def path(self):
        ext = ".bin" if self.kind == "data" else ".elf"
        return os.path.join(BUILD, "guest-tests", self.file + ext)


def load_suite(path):
    modules = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            words = shlex.split(line)
            modules.append(Module(words[0], words[1], words[2:]))
    return modules


def make_iso(iso, cmdline, modules, native=False):
    """An ISO booting hv with the service partition and @modules, or (native)
    the one module without hv."""
    env = dict(os.environ)
    env["EFI_APP"] = os.path.join(BUILD, "hv.efi") if os.path.exists(
        os.path.join(BUILD, "hv.efi")) else ""
    if native:
        env["NATIVE"] = "1"
        args = [os.path.join(TOOLS, "mkiso.sh"), iso, modules[0].path, cmdline]
    else:
        args = [os.path.join(TOOLS, "mkiso.sh"), iso, os.path.join(BUILD, "hv.elf"),
                f"{cmdline} service=service".strip(), SERVICE, "service"]
        for m in modules:
            args += [m.path, " ".join([m.name] + m.options)]
    subprocess.run(args, check=True, env=env)


PARTITION_START = re.compile(r"^hv: partition \d+ '([^']+)':")
STOPPED = re.compile(r"^hv: partition \d+ '([^']+)' stopped: (.*?)(?:, exit code (-?\d+))? \(\d+ ms\)$")
GUEST_LINE = re.compile(r"^\[([^\]]+)\] (PASS|FAIL|SKIP): (.*)$")
REFUSED = re.compile(
    r"^hv: ([^:]+): (cannot load the guest image|module is empty|bad option|not started)(.*)$")
BENCH = re.compile(r"^\[([^\]]+)\] BENCH (\S+) (\S+) (\S+)")


def parse_guest_log(text):
    """Returns {name: {...}} for every partition the log mentions; "lines"
    holds the console's lines from the partition's start to its stop."""
    parts = {}
    running = []

    def part(name):
        return parts.setdefault(name, {"checks": [], "stopped": None, "refused": None,
                                       "lines": []})

    for line in text.splitlines():
        for p in running:
            p["lines"].append(line)
        m = PARTITION_START.match(line)
        if m:
            running.append(part(m.group(1)))
            running[-1]["lines"].append(line)
            continue
        m = GUEST_LINE.match(line)
        if m and m.group(1) in parts:
            parts[m.group(1)]["checks"].append((m.group(2), m.group(3)))
            continue
        m = STOPPED.match(line)
        if m:
            p = part(m.group(1))
            p["stopped"] = (m.group(2), int(m.group(3)) if m.group(3) else None)
            running = [r for r in running if r is not p]
            continue
        m = REFUSED.match(line)
        if m:
            p = part(m.group(1))
            p["refused"] = m.group(2) + m.group(3)
    return parts


def guest_skipped(p):
    """The guest skipped every check: SKIP lines and the skip exit code."""
    return (p["stopped"] is not None and p["stopped"][1] == HV_EXIT_SKIP and
            any(status == "SKIP" for status, _ in p["checks"]))


def judge_module(layer, engine, m, p):
    """Turns what one module did into result lines; returns False on any failure."""
    ok = True
    if p is None:
        report("FAIL", layer, f"{m.name}: runs", "hv never started or refused it")
        return False
    if guest_skipped(p) and m.may_skip_on(engine):
        why = next(t for s, t in p["checks"] if s == "SKIP")
        report("SKIP", layer, f"{m.name}", f"the guest skipped it on {engine}: {why}")
        return True
    for status, text in p["checks"]:
        why = "" if status == "PASS" else ("reported by the guest" if status == "FAIL" else "")
        if status == "SKIP":
            report("SKIP", layer, f"{m.name}: {text}", "the guest skipped it")
        else:
            report(status, layer, f"{m.name}: {text}", why)
            ok &= status == "PASS"
    stopped = p["stopped"]
    if m.kind == "exit":
        want = int(m.value)
        if stopped and stopped[1] == want:
            report("PASS", layer, f"{m.name}: ends with exit code {want}")
        else:
            report("FAIL", layer, f"{m.name}: ends with exit code {want}", f"got {stopped}")
            ok = False
    elif m.kind == "stop":
        if stopped and stopped[0] == m.value:
            report("PASS", layer, f"{m.name}: hv stops it with '{m.value}'")
        else:
            report("FAIL", layer, f"{m.name}: hv stops it with '{m.value}'", f"got {stopped}")
            ok = False
    elif m.kind == "refuse":
        if p["refused"] and m.value in p["refused"]:
            report("PASS", layer, f"{m.name}: hv refuses it: {m.value}")
        else:
            report("FAIL", layer, f"{m.name}: hv refuses it: {m.value}", f"got {p['refused']}")
            ok = False
    for want in m.logs:
        if any(want in line for line in p["lines"]):
            report("PASS", layer, f"{m.name}: hv's console says '{want}'")
        else:
            report("FAIL", layer, f"{m.name}: hv's console says '{want}'",
                   "not while the partition ran")
            ok = False
    return ok


def run_engine(engine, iso, log, cpus, limit, model=None):
    """@model: another Bochs cpu model (tools/bochs-run.sh's BOCHS_MODEL)."""
    t0 = time.time()
    env = dict(os.environ, BOCHS_MODEL=model) if model else None
    rc = subprocess.run([os.path.join(TOOLS, "run-iso.sh"), engine, iso, log, str(cpus),
                         str(limit)], env=env).returncode
    return rc, time.time() - t0


# What hv's boot line ("hv: VMX rev ...") must show in each Bochs engine: the
# reference engine offers the hardware paths, Bochs 2.7 lacks them, so that
# both hv's hardware paths and its fallbacks run in every `make test`.
ENGINE_VMX_FEATURES = {
    "bochs3": ["posted-interrupts", "tertiary-controls", "IPIv", "guest-PMU", "guest-LBR"],
    "bochs": ["-posted-interrupts", "-tertiary-controls", "-IPIv", "-guest-PMU", "-guest-LBR"],
}


def check_vmx_features(layer, engine, text):
    want = ENGINE_VMX_FEATURES.get(engine)
    if want is None:
        return True
    line = next((l for l in text.splitlines() if l.startswith("hv: VMX rev ")), "")
    have = line.partition(" controls: ")[2].split()
    missing = [f for f in want if f not in have]
    check = f"hv's boot line shows the engine's VMX features: {' '.join(want)}"
    if missing:
        report("FAIL", layer, check, f"not {' '.join(missing)} in '{line}'")
        return False
    report("PASS", layer, check)
    return True


TAKEN_EARLY = re.compile(r"^hv: [^:]+: device requests \d+ \(\d+/s, (\d+) taken early\)", re.M)


def check_early_takes(layer, cpus, text):
    """With 2 CPUs the service has the last to itself while a 1-vCPU guest
    runs, and hv takes that guest's answers where its vCPU waits
    (docs/ARCHITECTURE.md, "A device access"); with 1 CPU it never can."""
    taken = sum(int(n) for n in TAKEN_EARLY.findall(text))
    if cpus > 1:
        check = "hv takes device answers on the guest's CPU, before their completion"
        good = taken > 0
    else:
        check = "hv takes no device answer before its completion (the service shares the CPU)"
        good = taken == 0
    report("PASS" if good else "FAIL", layer, check, "" if good else f"{taken} taken early")
    return good


def guest_suite(engine, cpus, suite, cmdline, limit, workdir):
    layer = f"{engine}-{cpus}cpu"
    modules = load_suite(suite)
    iso = os.path.join(workdir, f"suite-{layer}.iso")
    log = os.path.join(workdir, f"serial-{layer}.log")
    make_iso(iso, cmdline, modules)
    progress(f"{layer}: booting {len(modules)} guest modules")
    rc, secs = run_engine(engine, iso, log, cpus, limit)
    progress(f"{layer}: done in {secs:.0f} s, serial log {log}")
    text = read_log(log)
    parts = parse_guest_log(text)
    ok = check_vmx_features(layer, engine, text)
    for m in modules:
        if m.kind != "data":
            ok &= judge_module(layer, engine, m, parts.get(m.name))
    ok &= check_early_takes(layer, cpus, text)
    finished = "hv: all guests finished:" in text
    if finished:
        report("PASS", layer, "hv runs every module and powers off")
    else:
        why = "timed out" if rc == 124 else "the log ends early"
        report("FAIL", layer, "hv runs every module and powers off", why)
        ok = False
    if not ok:
        print(f"--- serial log tail ({log}) ---\n{tail(log)}", file=sys.stderr)
    return text


# --- boot paths without VMX --------------------------------------------------

def boot_path(engine, workdir, limit, modules, check, expected):
    """Boots hv where VMX is missing; the log must hold every @expected line part."""
    name = "bootpath" if modules else "bootpath-nomodules"
    iso = os.path.join(workdir, name + ".iso")
    make_iso(iso, "", modules)
    log = os.path.join(workdir, f"serial-{engine}-{name}.log")
    progress(f"{engine}: {check}")
    rc, secs = run_engine(engine, iso, log, 1, limit)
    text = read_log(log)
    missing = [e for e in expected if e not in text]
    if not missing and rc != 124:
        report("PASS", engine, check)
    else:
        report("FAIL", engine, check, "timed out" if rc == 124 else f"no '{missing[0]}'")
        print(f"--- serial log tail ({log}) ---\n{tail(log)}", file=sys.stderr)


def boot_paths(workdir, suite):
    guest = [m for m in load_suite(suite) if m.kind == "exit"][:1]
    refusal = ["does not have VMX", "cannot run guests; powering off"]
    boot_path("qemu-bios", workdir, 60, guest,
              "GRUB (BIOS) boots hv, which says VMX is missing and powers off", refusal)
    boot_path("qemu-ovmf", workdir, 120, guest,
              "GRUB (UEFI) boots hv, which says VMX is missing and powers off", refusal)
    boot_path("qemu-bios", workdir, 60, [],
              "hv without guest modules says so as well as that VMX is missing",
              ["no guest modules were given"] + refusal)


def uefi_app(workdir):
    script = os.path.join(TOOLS, "test-uefi-app.sh")
    check = "hv.efi boots the core from the ESP with its modules"
    if not os.path.exists(os.path.join(BUILD, "hv.efi")) or not os.path.exists(script):
        report("SKIP", "qemu-ovmf", check, "hv.efi or its test script is not built")
        return
    progress("qemu-ovmf: booting hv.efi from a FAT ESP")
    r = subprocess.run([script], capture_output=True, text=True)
    if r.returncode == 0:
        report("PASS", "qemu-ovmf", check)
    else:
        report("FAIL", "qemu-ovmf", check, "see the log tail")
        print(r.stdout[-3000:] + r.stderr[-3000:], file=sys.stderr)


# --- the reference engine -----------------------------------------------------

_bochs3 = None


def bochs3_unavailable():
    """None when bochs3 is built (building it if needed), else (status, why):
    SKIP when its source is absent, FAIL when it does not build."""
    global _bochs3
    if _bochs3 is not None:
        return _bochs3 or None
    script = os.path.join(TOOLS, "build-bochs.sh")
    status = subprocess.run([script, "--status"], capture_output=True, text=True).stdout.strip()
    if status.startswith("absent: "):
        _bochs3 = ("SKIP", "no Bochs 3.0 to build: " + status[len("absent: "):])
        return _bochs3
    if status != "built":
        progress("bochs3: building Bochs 3.0 with the project's patches")
    build = subprocess.Popen([script], stderr=subprocess.PIPE, text=True)
    said = []
    for line in build.stderr:
        sys.stderr.write(line)
        if line.startswith("bochs3: "):
            said.append(line[len("bochs3: "):].strip())
    if build.wait() == 0:
        _bochs3 = ()
        return None
    _bochs3 = ("FAIL", "Bochs 3.0 did not build: " + (said[0] if said else "see above"))
    return _bochs3


# --- native kernels: the engine's CPU without hv ---------------------------------

NATIVE_ENGINE = "bochs3"
NATIVE_CHECK = re.compile(r"^(PASS|FAIL|SKIP): (.*)$")
NATIVE_EXIT = re.compile(r"^EXIT: (-?\d+)$")


def native_layer(suite, limit, workdir):
    """Boots each kernel of @suite without hv (GRUB's multiboot) in the
    reference engine; judges its PASS/FAIL lines and the exit code it prints
    when no hv took its debug-exit write (guest-tests/lib/report.c)."""
    layer = "native"
    modules = load_suite(suite)
    unavailable = bochs3_unavailable()
    if unavailable:
        report(unavailable[0], layer, f"the native kernels ({len(modules)}) in {NATIVE_ENGINE}",
               unavailable[1])
        return
    for m in modules:
        if m.kind != "exit":
            raise SystemExit(f"hvtest: {suite}: {m.name}: a native kernel can only expect exit=N")
        iso = os.path.join(workdir, f"native-{m.name}.iso")
        log = os.path.join(workdir, f"serial-native-{m.name}.log")
        make_iso(iso, " ".join(m.options), [m], native=True)
        progress(f"native: {m.name} in {NATIVE_ENGINE}")
        rc, _ = run_engine(NATIVE_ENGINE, iso, log, 1, limit)
        ok = True
        code = None
        for line in read_log(log).splitlines():
            c = NATIVE_CHECK.match(line)
            e = NATIVE_EXIT.match(line)
            if c:
                status, text = c.group(1), c.group(2)
                why = {"FAIL": "reported by the kernel", "SKIP": "the kernel skipped it"}.get(status, "")
                report(status, layer, f"{m.name}: {text}", why)
                ok &= status != "FAIL"
            elif e:
                code = int(e.group(1))
        want = int(m.value)
        if code == want:
            report("PASS", layer, f"{m.name}: ends with exit code {want}")
        else:
            got = f"exit code {code}" if code is not None else (
                "timed out" if rc == 124 else "no exit code: the log ends early")
            report("FAIL", layer, f"{m.name}: ends with exit code {want}", got)
            ok = False
        if not ok:
            print(f"--- serial log tail ({log}) ---\n{tail(log)}", file=sys.stderr)


# --- Linux: Debian's stock kernel under hv ----------------------------------------

LINUX_DIR = os.path.join(BUILD, "linux")
LINUX_ENGINE = "bochs3"
# The kernel's command line in every run (panic=-1: a panic resets at once).
LINUX_CMDLINE = "console=ttyS0 loglevel=4 panic=-1 rdinit=/init"


def linux_prepare():
    """Fetches the kernel and busybox (tools/linux/fetch.sh) and builds the
    initramfs; returns an error message or None."""
    r = subprocess.run([os.path.join(TOOLS, "linux", "fetch.sh")], capture_output=True,
                       text=True, env=dict(os.environ, BUILD=BUILD))
    if r.returncode:
        return "could not fetch the kernel: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    subprocess.run([sys.executable, os.path.join(TOOLS, "linux", "mkinitramfs.py"),
                    os.path.join(LINUX_DIR, "busybox"), os.path.join(TOOLS, "linux", "init.sh"),
                    os.path.join(LINUX_DIR, "initramfs.cpio")], check=True)
    return None


class LinuxGuest:
    """One Linux partition of a run: its module strings and what its init must print."""

    def __init__(self, name, kernel, vcpus, protocol, extra="", mem="256M"):
        self.name, self.kernel, self.vcpus, self.protocol = name, kernel, vcpus, protocol
        self.module = f"{name} hv.mem={mem} hv.vcpus={vcpus} {extra} {LINUX_CMDLINE}".replace(
            "  ", " ")

    def modules(self):
        return [(os.path.join(LINUX_DIR, self.kernel), self.module),
                (os.path.join(LINUX_DIR, "initramfs.cpio"), f"initramfs hv.for={self.name}")]

    def judge(self, layer, text):
        """Result lines for this guest; False on any failure."""
        p = parse_guest_log(text).get(self.name)
        lines = p["lines"] if p else []
        said = {}
        for line in lines:
            m = re.match(rf"^\[{re.escape(self.name)}\] (LINUX-[A-Z-]+): ?(.*)$", line)
            if m:
                said.setdefault(m.group(1), []).append(m.group(2))
        online = "0" if self.vcpus == 1 else f"0-{self.vcpus - 1}"
        irqs = [l for l in said.get("LINUX-IRQ", []) if re.match(r"^\s*\S+:\s+[1-9]", l)]
        checks = [
            (f"hv starts it through {self.protocol}",
             any(f"hv: {self.name}: {self.protocol} image" in l for l in text.splitlines())),
            ("its init runs", "LINUX-INIT" in said),
            (f"CPUs {online} are online", said.get("LINUX-CPUS-ONLINE") == [online]),
            ("interrupts were delivered (a non-zero count in /proc/interrupts)", bool(irqs)),
            ("a file written in its tmpfs reads back",
             said.get("LINUX-FILE") == ["hv wrote this"]),
            ("it powers off through ACPI",
             p is not None and p["stopped"] == ("ACPI power-off", 0)),
        ]
        ok = True
        for check, passed in checks:
            report("PASS" if passed else "FAIL", layer, f"{self.name}: {check}",
                   "" if passed else "not in its console output")
            ok &= passed
        return ok


def make_linux_iso(iso, guests):
    """An ISO booting hv with the service partition and @guests (LinuxGuest)."""
    args = [os.path.join(TOOLS, "mkiso.sh"), iso, os.path.join(BUILD, "hv.elf"),
            "service=service", SERVICE, "service"]
    for g in guests:
        for path, string in g.modules():
            args += [path, string]
    subprocess.run(args, check=True, env=dict(os.environ, EFI_APP=""))


def linux_layer(limit, workdir):
    """Debian's kernel (tools/linux/fetch.sh) boots under hv in the reference
    engine: one guest with 2 vCPUs through PVH, then two guests side by side
    on CPUs of their own (PVH and the bzImage's 64-bit protocol)."""
    layer = "linux"
    unavailable = bochs3_unavailable()
    if unavailable:
        report(unavailable[0], layer, "Linux under hv", unavailable[1])
        return
    error = linux_prepare()
    if error:
        report("FAIL", layer, "Debian's kernel and busybox", error)
        return
    runs = [
        ("smp", 2, [LinuxGuest("linux", "vmlinux", 2, "PVH")]),
        # Two guests and the service fit in the engine's RAM with 160 MiB each.
        ("side-by-side", 2, [LinuxGuest("linux-pvh", "vmlinux", 1, "PVH", "hv.cpus=0", "160M"),
                             LinuxGuest("linux-bz", "vmlinuz", 1,
                                        "Linux 64-bit boot protocol (bzImage)", "hv.cpus=1",
                                        "160M")]),
    ]
    for name, cpus, guests in runs:
        iso = os.path.join(workdir, f"linux-{name}.iso")
        log = os.path.join(workdir, f"serial-linux-{name}.log")
        make_linux_iso(iso, guests)
        progress(f"linux: {name}: {', '.join(g.name for g in guests)} in {LINUX_ENGINE} "
                 f"with {cpus} CPUs")
        rc, secs = run_engine(LINUX_ENGINE, iso, log, cpus, limit)
        progress(f"linux: {name}: done in {secs:.0f} s, serial log {log}")
        text = read_log(log)
        ok = all([g.judge(layer, text) for g in guests])
        if "hv: all guests finished:" not in text:
            report("FAIL", layer, f"{name}: hv runs every guest and powers off",
                   "timed out" if rc == 124 else "the log ends early")
            ok = False
        if not ok:
            print(f"--- serial log tail ({log}) ---\n{tail(log, 60)}", file=sys.stderr)


# --- host tests ----------------------------------------------------------------

def host_tests(fuzz_seconds):
    progress(f"unit: host unit tests and fuzzing ({fuzz_seconds} s per target)")
    r = subprocess.run([os.path.join(TOOLS, "run-host-tests.sh"), "--fuzz-seconds",
                        str(fuzz_seconds)], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        m = re.match(r"^(PASS|FAIL|SKIP) (\S+): (.*)$", line)
        if m:
            report(m.group(1), m.group(2), m.group(3))
    if r.returncode != 0 and not any(s == "FAIL" for s, *_ in results):
        report("FAIL", "unit", "host test runner", r.stderr[-500:])
    sys.stderr.write(r.stderr[-2000:] if r.returncode else "")


# --- benchmarks -----------------------------------------------------------------

NATIVE_BENCH = re.compile(r"^BENCH (\S+) (\S+) (\S+)")


def bench(engine, suite, workdir, limit):
    """Runs the bench guests under hv and t-bench natively; prints
    "BENCH <name> <value> <unit> engine=<engine>" lines."""
    modules = load_suite(suite)
    unit = "instructions" if engine in ("bochs", "bochs3") else "tsc-cycles"
    iso = os.path.join(workdir, f"bench-{engine}.iso")
    log = os.path.join(workdir, f"serial-bench-{engine}.log")
    if engine == "bochs3" and bochs3_unavailable():
        print(f"hvtest: bench: {bochs3_unavailable()[1]}", file=sys.stderr)
        return 1
    make_iso(iso, "testing", modules)
    progress(f"bench: {len(modules)} bench guests under hv ({engine})")
    run_engine(engine, iso, log, 1, limit)
    hv_figures = {}
    for line in read_log(log).splitlines():
        m = BENCH.match(line)
        if m:
            hv_figures[m.group(2)] = int(m.group(3))
            # Guests count TSC ticks: instructions only where Bochs counts them.
            print(f"BENCH {m.group(2)} {m.group(3)} "
                  f"{unit if m.group(4) == 'instructions' else m.group(4)} engine={engine}")
    if not service_cpu_bench(engine, modules, workdir, limit, unit):
        return 1
    native_iso = os.path.join(workdir, f"bench-native-{engine}.iso")
    native_log = os.path.join(workdir, f"serial-bench-native-{engine}.log")
    native = [m for m in modules if m.name == "t-bench"]
    if not native:
        return 0 if hv_figures else 1
    make_iso(native_iso, "", native, native=True)
    progress("bench: t-bench without hv")
    run_engine(engine, native_iso, native_log, 1, limit)
    for line in read_log(native_log).splitlines():
        m = NATIVE_BENCH.match(line)
        if m and m.group(1) == "compute_loop" and "compute_loop" in hv_figures:
            native_ticks = int(m.group(2))
            print(f"BENCH compute_loop_native {native_ticks} {unit} engine={engine}")
            overhead = 100.0 * (hv_figures["compute_loop"] - native_ticks) / native_ticks
            print(f"BENCH guest_overhead {overhead:.3f} % engine={engine}")
    if not hv_figures:
        print(f"--- serial log tail ({log}) ---\n{tail(log)}", file=sys.stderr)
        return 1
    return 0


# With 2 CPUs the service partition has the second to itself (hv/core/partition.c
# places it on the last CPU): a device round trip then crosses CPUs and needs no
# partition switch. Bochs 2.7's clock with 2 CPUs counts no instructions (the
# mean of both CPUs' traces: tools/bochs/patches/0010), so those figures come
# from the engines whose clock does.
SERVICE_CPU_FIGURES = ("ioreq_pio", "ioreq_mmio", "ioreq_wp")


def service_cpu_bench(engine, modules, workdir, limit, unit):
    """t-bench with 2 CPUs: "BENCH <figure>_service_cpu" lines; false if it
    printed none it should have."""
    if engine == "bochs":
        print("hvtest: bench: no 2-CPU figures on Bochs 2.7: its clock with 2 CPUs does not "
              "count instructions (bochs3 and KVM give them)", file=sys.stderr)
        return True
    tbench = [m for m in modules if m.name == "t-bench"]
    if not tbench:
        return True
    iso = os.path.join(workdir, f"bench-2cpu-{engine}.iso")
    log = os.path.join(workdir, f"serial-bench-2cpu-{engine}.log")
    make_iso(iso, "testing", tbench)
    progress(f"bench: t-bench under hv with 2 CPUs, the service on its own ({engine})")
    run_engine(engine, iso, log, 2, limit)
    found = 0
    for line in read_log(log).splitlines():
        m = BENCH.match(line)
        if m and m.group(2) in SERVICE_CPU_FIGURES:
            found += 1
            print(f"BENCH {m.group(2)}_service_cpu {m.group(3)} "
                  f"{unit if m.group(4) == 'instructions' else m.group(4)} engine={engine}")
    if found != len(SERVICE_CPU_FIGURES):
        print(f"--- serial log tail ({log}) ---\n{tail(log)}", file=sys.stderr)
        return False
    return True


# Natively, Linux runs on a model it boots on (it hangs on sapphire_rapids);
# told the TSC's rate (Bochs's TSC counts instructions, at the run's ips), its
# clock counts instructions as hv's guests' does.
LINUX_NATIVE_MODEL = "corei7_skylake_x"
LINUX_NATIVE_TSC_KHZ = 10000


def linux_uptime(text, name=None):
    """The kernel's uptime at init (tools/linux/init.sh's LINUX-UPTIME line)."""
    prefix = rf"\[{re.escape(name)}\] " if name else ""
    m = re.search(rf"^{prefix}LINUX-UPTIME: ([0-9.]+)$", text, re.M)
    return float(m.group(1)) if m else None


def bench_linux(workdir, limit):
    """Debian's kernel to its init with 2 CPUs: under hv (PVH, 2 vCPUs) and
    natively (its bzImage, GRUB), both in bochs3; prints BENCH lines."""
    unavailable = bochs3_unavailable()
    if unavailable:
        print(f"hvtest: bench-linux: {unavailable[1]}", file=sys.stderr)
        return 1
    error = linux_prepare()
    if error:
        print(f"hvtest: bench-linux: {error}", file=sys.stderr)
        return 1
    hv_iso = os.path.join(workdir, "bench-linux-hv.iso")
    hv_log = os.path.join(workdir, "serial-bench-linux-hv.log")
    make_linux_iso(hv_iso, [LinuxGuest("linux", "vmlinux", 2, "PVH")])
    native_iso = os.path.join(workdir, "bench-linux-native.iso")
    native_log = os.path.join(workdir, "serial-bench-linux-native.log")
    subprocess.run([os.path.join(TOOLS, "mkiso.sh"), native_iso,
                    os.path.join(LINUX_DIR, "vmlinuz"),
                    f"{LINUX_CMDLINE} tsc_early_khz={LINUX_NATIVE_TSC_KHZ}",
                    os.path.join(LINUX_DIR, "initramfs.cpio"), "initrd"],
                   check=True, env=dict(os.environ, EFI_APP="", NATIVE="linux"))
    progress("bench-linux: under hv, 2 vCPUs (bochs3, sapphire_rapids)")
    run_engine(LINUX_ENGINE, hv_iso, hv_log, 2, limit)
    progress(f"bench-linux: natively, 2 CPUs (bochs3, {LINUX_NATIVE_MODEL})")
    run_engine(LINUX_ENGINE, native_iso, native_log, 2, limit, model=LINUX_NATIVE_MODEL)
    hv_text = read_log(hv_log)
    under_hv, native = linux_uptime(hv_text, "linux"), linux_uptime(read_log(native_log))
    for name, value, log in (("linux_boot_hv", under_hv, hv_log),
                             ("linux_boot_native", native, native_log)):
        if value is None:
            print(f"--- serial log tail ({log}) ---\n{tail(log)}", file=sys.stderr)
            return 1
        print(f"BENCH {name} {value * 1e3 * LINUX_NATIVE_TSC_KHZ:.0f} instructions "
              f"engine={LINUX_ENGINE}")
    print(f"BENCH linux_boot_ratio {under_hv / native:.3f} x engine={LINUX_ENGINE}")
    # hv's own account of the guest's boot: exits and device requests per second.
    for line in hv_text.splitlines():
        if line.startswith("hv: linux: exits") or line.startswith("hv: linux: device"):
            print(line)
    return 0


def style():
    """clang-format (the tree's .clang-format) must have nothing to change."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard",
                            "*.c", "*.h"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    files = [f for f in files if not f.startswith("tests/fuzz/corpus/")]
    bad = []
    for f in files:
        r = subprocess.run(["clang-format", "--dry-run", "--Werror", f], cwd=ROOT,
                           capture_output=True, text=True)
        if r.returncode:
            bad.append(f)
    if bad:
        report("FAIL", "style", "clang-format has nothing to change",
               "run clang-format -i on: " + " ".join(bad))
    else:
        report("PASS", "style", f"clang-format has nothing to change ({len(files)} files)")


def start_layer_child(layer, timeout, workdir):
    """Runs one layer in a child hvtest; its lines come in finish_layer_child()."""
    out = os.path.join(workdir, f"layer-{layer}.out")
    err = os.path.join(workdir, f"layer-{layer}.err")
    progress(f"{layer}: runs beside the guest suites (its progress: {err})")
    with open(out, "w") as o, open(err, "w") as e:
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--layers", layer,
                                 "--timeout", str(timeout)], stdout=o, stderr=e)
    return (layer, proc, out, err)


def finish_layer_child(child):
    """Waits for the child and reports its results as this run's."""
    layer, proc, out, err = child
    progress(f"{layer}: waiting for it to finish")
    rc = proc.wait()
    lines = read_lines(out)
    for line in lines:
        m = re.match(r"^(PASS|FAIL|SKIP) ([^:]+): (.*)$", line)
        if m:
            report(m.group(1), m.group(2), m.group(3))
    # Its progress, and on a failure the serial tail it printed.
    sys.stderr.write("".join(l + "\n" for l in read_lines(err)))
    if rc and not any(l.startswith("FAIL") for l in lines):
        report("FAIL", layer, "the layer runs to its end", f"exit status {rc}")


def summary():
    passed = sum(1 for r in results if r[0] == "PASS")
    failed = sum(1 for r in results if r[0] == "FAIL")
    skipped = sum(1 for r in results if r[0] == "SKIP")
    if skipped:
        print(f"{skipped} skipped (each SKIP line says why)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def guest_engines(arg):
    """The engines the guest suite runs in: --engine, else HV_ENGINE, else both
    Bochs engines (and QEMU/KVM first where tools/engine.sh finds it)."""
    if arg or os.environ.get("HV_ENGINE"):
        return (arg or os.environ["HV_ENGINE"]).split(",")
    best = subprocess.run([os.path.join(TOOLS, "engine.sh")], capture_output=True,
                          text=True).stdout.strip()
    return (["kvm"] if best == "kvm" else []) + ["bochs3", "bochs"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--layers", default="unit,guests,native,linux,bootpaths",
                    help="comma-separated: unit, guests, native, linux, bootpaths\n"
                    "(linux: Debian's kernel under hv; beside the guest suites\n"
                    "when both run)")
    ap.add_argument("--engine", default=None,
                    help="comma-separated engines for the guest suite: bochs3, bochs, kvm\n"
                    "(default: HV_ENGINE, else bochs3 and bochs, and kvm where it works);\n"
                    "with --bench one engine (default: tools/engine.sh)")
    ap.add_argument("--cpus", default="1,2", help="guest-suite runs, by CPU count")
    ap.add_argument("--suite", default=os.path.join(ROOT, "guest-tests", "suite.txt"))
    ap.add_argument("--native-suite", default=os.path.join(ROOT, "guest-tests", "native.txt"),
                    help="kernels the native layer boots without hv")
    ap.add_argument("--cmdline", default="testing", help="hv's command line for the suite")
    ap.add_argument("--fuzz-seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", "15")))
    ap.add_argument("--timeout", type=int, default=600, help="per engine run, seconds")
    ap.add_argument("--make-iso", metavar="PATH", help="only build the suite's ISO at PATH")
    ap.add_argument("--bench", action="store_true", help="run the benchmarks instead")
    ap.add_argument("--bench-linux", action="store_true",
                    help="Debian's kernel to its init under hv and natively (bochs3)")
    args = ap.parse_args()
    if args.make_iso:
        make_iso(args.make_iso, args.cmdline, load_suite(args.suite))
        return 0
    layers = args.layers.split(",")
    workdir = os.path.join(BUILD, "test-runs")
    os.makedirs(workdir, exist_ok=True)
    if args.bench_linux:
        return bench_linux(workdir, max(args.timeout, 1200))
    if args.bench:
        engine = args.engine or subprocess.run([os.path.join(TOOLS, "engine.sh")],
                                               capture_output=True, text=True).stdout.strip()
        return bench(engine, os.path.join(ROOT, "guest-tests", "bench.txt"), workdir,
                     args.timeout)

    if "unit" in layers:
        style()
        host_tests(args.fuzz_seconds)
    # Linux takes minutes in one engine process, the guest suites as long in
    # another: each Bochs is one thread, so on two cores they run side by side.
    linux_child = None
    if "linux" in layers and "guests" in layers:
        bochs3_unavailable()  # built once, here, before both need it
        linux_child = start_layer_child("linux", args.timeout, workdir)
    if "guests" in layers:
        for engine in guest_engines(args.engine):
            unavailable = bochs3_unavailable() if engine == "bochs3" else None
            for cpus in args.cpus.split(","):
                if unavailable:
                    report(unavailable[0], f"{engine}-{cpus}cpu", "the guest suite",
                           unavailable[1])
                else:
                    guest_suite(engine, int(cpus), args.suite, args.cmdline, args.timeout,
                                workdir)
    if "native" in layers:
        native_layer(args.native_suite, args.timeout, workdir)
    if linux_child:
        finish_layer_child(linux_child)
    elif "linux" in layers:
        linux_layer(max(args.timeout, 1200), workdir)
    if "bootpaths" in layers:
        boot_paths(workdir, args.suite)
        uefi_app(workdir)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
