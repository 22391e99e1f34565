#!/bin/sh
# Generates a large `trace-cmd report -l` text trace by repeating a real recording with its
# timestamps shifted, so the result is one long, ordered, realistic trace.
#   bench/gen-big-trace.sh OUT.txt [MB] [SOURCE]
# SOURCE defaults to traces/cyclictest-loaded/report-l.txt.xz; MB to 600.
set -eu
out=$1
mb=${2:-600}
src=${3:-$(dirname "$0")/../traces/cyclictest-loaded/report-l.txt.xz}
xz -dc "$src" | awk -v target=$((mb * 1000000)) '
  /^cpus=/ { if (!printed) { print; printed = 1 } ; next }
  { lines[n++] = $0 }
  END {
    # span of the source, to shift each copy after the previous one
    for (i = 0; i < n; i++) if (match(lines[i], / [0-9]+\.[0-9]+: /)) { first = substr(lines[i], RSTART + 1, RLENGTH - 3); break }
    for (i = n - 1; i >= 0; i--) if (match(lines[i], / [0-9]+\.[0-9]+: /)) { last = substr(lines[i], RSTART + 1, RLENGTH - 3); break }
    span = last - first + 0.001
    bytes = 0; copy = 0
    while (bytes < target) {
      off = copy * span
      for (i = 0; i < n; i++) {
        l = lines[i]
        if (match(l, / [0-9]+\.[0-9]+: /)) {
          ts = substr(l, RSTART + 1, RLENGTH - 3) + off
          l = substr(l, 1, RSTART) sprintf("%.6f", ts) substr(l, RSTART + RLENGTH - 2)
        }
        print l
        bytes += length(l) + 1
      }
      copy++
    }
  }' > "$out"
