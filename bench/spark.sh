#!/usr/bin/env bash
# kreplay-spark on local[2] beside kreplay batch -j 2 on the same generated corpus: one table of
# medians over RUNS interleaved runs each (wall time, peak RSS) and their ratio, and a check that
# both wrote the same JSON (per-file millis aside). Not a test: run it on demand.
#
#   bench/spark.sh [RUNS]          (default 3)
#
# The corpus (about 2.2 GB in 221 files, made under $CORPUS, /tmp/kreplay-spark-corpus by default,
# and deleted at the end unless KEEP_CORPUS=1):
#   64 copies of traces/cyclictest-loaded/report.txt.xz decompressed (33.6 MB of trace-cmd report
#   text each, 298,734 events); 48 copies of the three bundled trace.dat recordings; the eight seed
#   traces and the kernel reader's test logs with their golden outputs (61 files: the many small
#   files of a fuzzing farm's corpus); 40 READMEs and expected outputs that are not traces (named
#   unreadable, as in a real dump).
# Build first: ./mvnw -q package -DskipTests (kreplay.jar and spark/target/kreplay-spark.jar).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=${1:-3}
corpus=${CORPUS:-/tmp/kreplay-spark-corpus}
out=$here/out
mkdir -p "$out"
[ -f "$root/report/target/kreplay.jar" ] && [ -f "$root/spark/target/kreplay-spark.jar" ] ||
  { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 2; }
command -v /usr/bin/time > /dev/null || { echo "spark.sh needs /usr/bin/time" >&2; exit 2; }

make_corpus() {
  rm -rf "$corpus"
  mkdir -p "$corpus/text" "$corpus/dat" "$corpus/small" "$corpus/other"
  xz -dc "$root/traces/cyclictest-loaded/report.txt.xz" > "$corpus/text/loaded-00.txt"
  for i in $(seq -w 1 63); do cp "$corpus/text/loaded-00.txt" "$corpus/text/loaded-$i.txt"; done
  for i in $(seq -w 0 15); do
    for t in cyclictest cyclictest-loaded stress-ng-deadline; do cp "$root/traces/$t/trace.dat" "$corpus/dat/$t-$i.dat"; done
  done
  for f in "$root"/traces/seeds/*/before.txt "$root"/traces/seeds/*/after.txt; do
    cp "$f" "$corpus/small/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
  done
  cp "$root"/ingest/src/test/resources/org/kreplay/ingest/log/* "$corpus/small/"
  find "$root/traces" \( -name README.md -o -name 'expected*.txt' \) | sort | head -40 | while read -r f; do
    cp "$f" "$corpus/other/$(echo "${f#"$root"/}" | tr / -)"
  done
}

[ -d "$corpus" ] && [ -n "${KEEP_CORPUS:-}" ] || make_corpus
files=$(find "$corpus" -type f | wc -l)
bytes=$(du -sb "$corpus" | cut -f1)
echo "corpus: $corpus, $files files, $((bytes / 1000000)) MB" >&2

# one run: "wall_seconds max_rss_kb" of the command, its report written to $2
run() { # NAME OUT
  local name=$1 json=$2
  local cmd=("$root/kreplay" batch -j 2 -f json -o "$json" "$corpus")
  [ "$name" = spark ] && cmd=("$root/kreplay-spark" batch --master 'local[2]' -f json -o "$json" "$corpus")
  /usr/bin/time -f "%e %M" -o "$out/spark-time.txt" "${cmd[@]}" 2> "$out/spark-$name.err" || {
    echo "$name failed:" >&2; cat "$out/spark-$name.err" >&2; exit 1; }
  cat "$out/spark-time.txt"
}

declare -a batch_wall spark_wall batch_rss spark_rss
for r in $(seq 1 "$runs"); do
  read -r w m < <(run batch "$out/spark-batch.json"); batch_wall+=("$w"); batch_rss+=("$m")
  read -r w m < <(run spark "$out/spark-spark.json"); spark_wall+=("$w"); spark_rss+=("$m")
  echo "run $r: batch ${batch_wall[-1]} s, spark ${spark_wall[-1]} s" >&2
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
bw=$(median "${batch_wall[@]}"); sw=$(median "${spark_wall[@]}")
bm=$(median "${batch_rss[@]}"); sm=$(median "${spark_rss[@]}")
same=no
if cmp -s <(sed -E 's/"millis" : [0-9]+/"millis" : 0/g' "$out/spark-batch.json") \
          <(sed -E 's/"millis" : [0-9]+/"millis" : 0/g' "$out/spark-spark.json"); then same=yes; fi

printf '\n%d files, %d MB; medians of %d interleaved runs on %d cores\n\n' "$files" "$((bytes / 1000000))" "$runs" "$(nproc)"
printf '| %-32s | %8s | %12s |\n' "command" "wall s" "peak RSS MB" "--------------------------------" "--------" "------------"
printf '| %-32s | %8s | %12d |\n' "kreplay batch -j 2" "$bw" "$((bm / 1024))"
printf '| %-32s | %8s | %12d |\n' "kreplay-spark --master local[2]" "$sw" "$((sm / 1024))"
printf '| %-32s | %8s | %12s |\n' "ratio spark / batch" "$(awk -v a="$sw" -v b="$bw" 'BEGIN { printf "%.2f", a / b }')" \
  "$(awk -v a="$sm" -v b="$bm" 'BEGIN { printf "%.2f", a / b }')"
printf '\nsame JSON (per-file millis aside): %s\n' "$same"
grep -h "kreplay: spark:\|kreplay: batch:" "$out/spark-batch.err" "$out/spark-spark.err" 2>/dev/null || true
[ -n "${KEEP_CORPUS:-}" ] || rm -rf "$corpus"
