#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets (files named seed-*) from the project's real inputs.

    bench/fuzz-seeds.py        (needs the kreplay jar: ./mvnw -q package -DskipTests)

Seeds are small slices, a few KiB each (libFuzzer mutates inputs up to bench/fuzz.sh's -max_len):
  - ftrace text: of every text form of the recordings in traces/ (tracefs, report, report -l, -R,
    and the stack-trace recording), the header and the first lines of each event type; the seed
    scenarios; the ingest tests' special-events trace.
  - canonical CSV and JSONL: `kreplay convert` of some of those slices, and hand-written variants
    the format allows (no magic line, a few columns, CRLF, blank lines, a quoted body with a line break).
  - kernel logs: the ingest tests' logs, cut at a line end below 8 KiB.
  - catalog: the first entries of each section of the shipped catalog, a user file like the
    README's, and the same as JSON.
  - trace.dat: two of the ingest tests' recordings (one whole, one's first 24 KiB).
Inputs the fuzzer found (crash-*, timeout-*, …) live beside them and are never rewritten here.
"""
import lzma
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INGEST = os.path.join(ROOT, "ingest/src/test/resources/org/kreplay/ingest")
TEXT = os.path.join(INGEST, "internal/FtraceTextFuzzTestInputs/readsAnyText")
CSV = os.path.join(INGEST, "internal/CanonicalCsvFuzzTestInputs/readsAnyCsv")
JSONL = os.path.join(INGEST, "internal/CanonicalJsonlFuzzTestInputs/readsAnyJsonl")
LOG = os.path.join(INGEST, "fuzz/LogFuzzTestInputs/anyBytes")
DAT = os.path.join(INGEST, "internal/tracedat/TraceDatFuzzTestInputs/readsAnyBytesCleanly")
CATALOG = os.path.join(ROOT, "analyze/src/test/resources/org/kreplay/analyze/CatalogFuzzTestInputs/readsAnyYaml")
LIMIT = 8 * 1024

EVENT = re.compile(rb"\d+\.\d+: +([a-z_0-9]+):? ")


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "seed-" + name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    return lzma.decompress(data) if path.endswith(".xz") else data


def cut(data, limit=LIMIT):
    """The whole lines of data that fit in limit bytes."""
    if len(data) <= limit:
        return data
    return data[: data.rfind(b"\n", 0, limit) + 1]


def text_slice(data, per_type=2):
    """Header lines, then the first per_type events of each type with the stack lines that follow them."""
    out, seen, keep = [], {}, False
    for line in data.splitlines(keepends=True):
        s = line.lstrip()
        if s.startswith(b"#") or s.startswith(b"cpus=") or s.startswith(b"version ="):
            out.append(line)
            continue
        if s.startswith(b"=>"):
            if keep:
                out.append(line)
            continue
        m = EVENT.search(line)
        name = m.group(1) if m else b"?"
        if b"<stack trace" in line:
            name = b"<stack>"
        keep = seen.get(name, 0) < per_type
        if keep:
            seen[name] = seen.get(name, 0) + 1
            out.append(line)
    return cut(b"".join(out))


def text_seeds():
    forms = ["trace.txt.xz", "report.txt.xz", "report-l.txt.xz", "report-R.txt.xz"]
    for rec in ["cyclictest", "cyclictest-loaded", "stress-ng-deadline", "stress-ng-deadline/stacks"]:
        for form in forms:
            path = os.path.join(ROOT, "traces", rec, form)
            if os.path.exists(path):
                write(TEXT, rec.replace("/", "-") + "-" + form[: -len(".txt.xz")], text_slice(read(path)))
    for scenario in sorted(os.listdir(os.path.join(ROOT, "traces/seeds"))):
        for side in ["before.txt", "after.txt"]:
            path = os.path.join(ROOT, "traces/seeds", scenario, side)
            if os.path.exists(path):
                write(TEXT, scenario + "-" + side[:-4], cut(read(path)))
    write(TEXT, "special-events", read(os.path.join(ROOT, "ingest/src/test/resources/text/special-events.txt")))


def convert(text, to):
    with tempfile.NamedTemporaryFile(suffix=".txt") as f:
        f.write(text)
        f.flush()
        return subprocess.run([os.path.join(ROOT, "kreplay"), "convert", "-q", "--to", to, f.name],
                              check=True, capture_output=True).stdout


def canonical_seeds():
    for name in ["cyclictest-trace", "stress-ng-deadline-stacks-trace", "cyclictest-loaded-report-l",
                 "4-srcu-rq-abba-before", "special-events"]:
        with open(os.path.join(TEXT, "seed-" + name), "rb") as f:
            text = f.read()
        write(CSV, name, cut(convert(text, "csv")))
        write(JSONL, name, cut(convert(text, "jsonl")))
    write(CSV, "no-magic-few-columns", b"ts_ns,cpu,event,body\n1000,0,softirq_raise,vec=1 [action=TIMER]\n"
          b"2000,1,sched_waking,comm=rcu_preempt pid=16 prio=120 target_cpu=001\n")
    write(CSV, "crlf-blank-quoted", b"# kreplay-events schema_version=1\r\nts_ns,cpu,pid,comm,event,body,stack\r\n"
          b"\r\n5,0,7,\"a, b\",bprint,\"x\ny\",f1;f2\r\n# a comment\r\n6,,,,lost_events,12,\r\n")
    write(JSONL, "blank-and-markers", b"{\"kreplay\":\"events\",\"schema_version\":1}\n\n"
          b"{\"ts_ns\":5,\"cpu\":0,\"event\":\"lost_events\",\"body\":\"12\"}\r\n"
          b"{\"ts_ns\":6,\"cpu\":1,\"event\":\"buffer_started\"}\n"
          b"{\"ts_ns\":7,\"cpu\":1,\"pid\":9,\"comm\":\"k\",\"irqs_off\":true,\"event\":\"lock_acquire\","
          b"\"body\":\"0xffff &rq->__lock\",\"lock\":null,\"stack\":[\"a\",\"b\"]}\n")


def log_seeds():
    logs = os.path.join(INGEST, "log")
    for name in sorted(os.listdir(logs)):
        if name.endswith(".log"):
            write(LOG, name[:-4], cut(read(os.path.join(logs, name))))


def catalog_seeds():
    shipped = read(os.path.join(ROOT, "analyze/src/main/resources/org/kreplay/analyze/catalog.yaml")).decode()
    sections = re.split(r"(?m)^(?=[a-z_]+:\s*$)", shipped)
    for section in sections[1:]:
        name = section.split(":", 1)[0]
        entries = re.split(r"(?m)^(?=  - )", section)
        write(CATALOG, name, ("schema_version: 1\n" + "".join(entries[:13])).encode())
    user = ("schema_version: 1\n"
            "lock_classes:\n"
            "  - {name: \"&mydev->lock\", type: spinlock_t, source: \"drivers/mydev.c\"}\n"
            "  - {name: \"mydev_\", type: mutex, match: prefix, note: \"my driver's locks\"}\n"
            "functions:\n"
            "  - {name: mydev_lock, effect: lock, lock_type: raw_spinlock_t, irq: save, read: false}\n"
            "hrtimer_callbacks:\n"
            "  - {name: mydev_timer, mode: HARD}\n"
            "irq_work_callbacks:\n"
            "  - {name: mydev_work, hard: true}\n"
            "irqs:\n"
            "  - {name: mydev, flags: [NO_THREAD]}\n"
            "skip_frames:\n"
            "  - {name: mydev_, match: prefix, why: locking}\n")
    write(CATALOG, "user-file", user.encode())
    write(CATALOG, "user-file-json", b'{"schema_version": 1, "lock_classes": [{"name": "&mydev->lock", '
          b'"type": "spinlock_t"}], "skip_frames": [{"name": "mydev_", "match": "prefix"}]}\n')


def dat_seeds():
    dat = os.path.join(ROOT, "ingest/src/test/resources/tracedat")
    write(DAT, "kmem-stacks-v7-zstd", read(os.path.join(dat, "kmem-stacks-v7-zstd.dat")))
    write(DAT, "timer-wq-v7-none-head", read(os.path.join(dat, "timer-wq-v7-none-global.dat"))[:24 * 1024])


def main():
    if not os.path.exists(os.path.join(ROOT, "report/target/kreplay.jar")):
        sys.exit("build kreplay first: ./mvnw -q package -DskipTests")
    text_seeds()
    canonical_seeds()
    log_seeds()
    catalog_seeds()
    dat_seeds()


if __name__ == "__main__":
    main()
