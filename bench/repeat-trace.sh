#!/bin/sh
# Writes a text trace K times over into one longer trace, each copy's timestamps shifted past the
# previous copy's end, so the result is one ordered trace K times as long (streamed: any size).
#   bench/repeat-trace.sh IN.txt OUT.txt K
# For `trace-cmd report` / `report -l` text ("cpus=N" first, "secs.usecs:" timestamps).
set -eu
in=$1
out=$2
k=$3
# the span of the input: first and last timestamp
span=$(awk 'match($0, / [0-9]+\.[0-9]+: /) { t = substr($0, RSTART + 1, RLENGTH - 3); if (first == "") first = t; last = t }
  END { printf "%.6f", last - first + 0.001 }' "$in")
tmp=$out.tmp.$$
i=0
: > "$tmp"
while [ "$i" -lt "$k" ]; do
  awk -v off="$(awk -v s="$span" -v i="$i" 'BEGIN { printf "%.6f", s * i }')" -v copy="$i" '
    /^cpus=/ { if (copy == 0) print; next }
    off == 0 { print; next }
    match($0, / [0-9]+\.[0-9]+: /) {
      ts = substr($0, RSTART + 1, RLENGTH - 3) + off
      print substr($0, 1, RSTART) sprintf("%.6f", ts) substr($0, RSTART + RLENGTH - 2); next
    }
    { print }' "$in" >> "$tmp"
  i=$((i + 1))
done
mv "$tmp" "$out"
