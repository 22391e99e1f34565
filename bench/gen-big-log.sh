#!/bin/sh
# Generates a large dmesg-style kernel log for the splat benchmark: the real reports of the ingest test
# logs (every kind) between runs of ordinary boot lines, re-stamped with increasing timestamps, so the
# result is one long, ordered log with thousands of reports.
#   bench/gen-big-log.sh OUT.log [MB] [GAP]   (MB defaults to 600; output goes where you say, e.g. bench/out/)
# GAP is the average number of ordinary lines between two reports (default 250: a dense, report-heavy
# log of ~40,000 reports in 600 MB; 2500 gives ~4,000, closer to a real console log of a bad day).
# Deterministic: the same MB gives the same file.
set -eu
out=$1
mb=${2:-600}
gap=${3:-250}
logs=$(dirname "$0")/../ingest/src/test/resources/org/kreplay/ingest/log
# reports: every test log except the report-free boot log and the deliberately damaged ones
reports=$(ls "$logs"/*.log | grep -v -e boot-normal -e corrupted -e truncated -e interleaved)
awk -v target=$((mb * 1000000)) -v gap="$gap" -v bootfile="$logs/boot-normal-2.6.32.log" '
  # the kernel message of a line in any of the test logs prefix styles
  function message(l) {
    sub(/^<[0-9]+>/, "", l)                                           # console/syslog priority
    sub(/^[0-9]+,[0-9]+,[0-9]+,[^;]*;/, "", l)                        # /dev/kmsg record
    k = index(l, " kernel: ")                                         # syslog, journal: "... host kernel: "
    if (k > 0 && k < 60 && substr(l, 1, 1) != "[") l = substr(l, k + 9)
    sub(/^\[[A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]+ [0-9]+\] /, "", l)   # dmesg -T
    sub(/^\[ *[0-9]+\.[0-9]+\](\[ *[TC][0-9]+\])? ?/, "", l)          # dmesg timestamp and caller tag
    gsub(/\r|\033\[[0-9;]*[A-Za-z]/, "", l)
    return l
  }
  FNR == 1 { nfiles++ }
  /^#/ { next }
  FILENAME == bootfile { if ($0 != "") boot[nboot++] = message($0); next }
  { rep[nfiles, nrep[nfiles]++] = message($0); files[nfiles] = 1 }
  END {
    srand(42)
    ts = 0; bytes = 0; r = 0; b = 0
    nr = 0; for (f in files) order[nr++] = f
    while (bytes < target) {
      n = int(gap * (0.6 + rand() * 0.8))
      for (i = 0; i < n; i++) {
        ts += 0.000137 + rand() * 0.002
        line = sprintf("[%12.6f] %s", ts, boot[b]); b = (b + 1) % nboot
        print line; bytes += length(line) + 1
      }
      f = order[r]; r = (r + 1) % nr
      for (i = 0; i < nrep[f]; i++) {
        ts += 0.000011
        line = sprintf("[%12.6f] %s", ts, rep[f, i])
        print line; bytes += length(line) + 1
      }
      ts += 0.5
    }
  }' "$logs/boot-normal-2.6.32.log" $reports > "$out"
