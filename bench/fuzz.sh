#!/bin/bash
# Fuzzes every parser with Jazzer, one target at a time, each for SECONDS (default 600), in a
# test JVM of -Xmx256m so that an input needing more memory than kreplay's own -Xmx256m is found.
#
#   bench/fuzz.sh [SECONDS] [TARGET...]     targets: text log csv jsonl tracedat catalog sniff (default all)
#   JOBS=2 bench/fuzz.sh 600                two targets at once (each takes one core)
#
# Each target starts from its corpus in src/test/resources/.../<Test>Inputs/<method>/ (the seeds, and
# every input that once broke it) plus what earlier runs found (<module>/.cifuzz-corpus/, not
# committed). Jazzer stops a target at its first finding and writes the input into that Inputs
# directory, where the normal build then runs it as a regression test. Prints, per target:
# executions, coverage (libFuzzer's cov: edges and ft: features), and findings (crashes, hangs
# over TIMEOUT seconds per input, out of memory), with where the inputs were written; logs go to
# bench/out/fuzz/. Exit 1 when any target had a finding.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
seconds=${1:-600}
shift || true
timeout=${TIMEOUT:-30}
jobs=${JOBS:-1}
out=$here/bench/out/fuzz
mkdir -p "$out"

# name module class method max_len
targets_table="
text     ingest  org.kreplay.ingest.internal.FtraceTextFuzzTest        readsAnyText          8192
log      ingest  org.kreplay.ingest.fuzz.LogFuzzTest                   anyBytes              8192
csv      ingest  org.kreplay.ingest.internal.CanonicalCsvFuzzTest      readsAnyCsv           8192
jsonl    ingest  org.kreplay.ingest.internal.CanonicalJsonlFuzzTest    readsAnyJsonl         8192
tracedat ingest  org.kreplay.ingest.internal.tracedat.TraceDatFuzzTest readsAnyBytesCleanly  32768
catalog  analyze org.kreplay.analyze.CatalogFuzzTest                   readsAnyYaml          8192
sniff    ingest  org.kreplay.ingest.fuzz.ReaderFuzzTest                anyBytes              8192
"
if [ $# -gt 0 ]; then wanted=" $* "; else wanted=" $(echo "$targets_table" | awk 'NF {printf "%s ", $1}') "; fi

inputs_dir() { # MODULE CLASS METHOD
  echo "$1/src/test/resources/$(echo "${2%.*}" | tr . /)/${2##*.}Inputs/$3"
}

# Compile once, so that targets running side by side do not write the same class files.
echo "building (test-compile) ..."
./mvnw -ntp -q -pl ingest,analyze -am test-compile > "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 2; }

run() { # NAME MODULE CLASS METHOD MAXLEN
  local name=$1 module=$2 class=$3 method=$4 maxlen=$5 dir
  dir=$(inputs_dir "$module" "$class" "$method")
  ls "$dir" > "$out/$name.before"
  rm -f "$out/$name.rc"
  # -DargLine replaces the module's test JVM options; jazzer.internal.arg.N are libFuzzer's
  # arguments (arg.0 is argv[0]); they override @FuzzTest(maxDuration).
  JAZZER_FUZZ=1 ./mvnw -ntp -pl "$module" -am test -Dtest="$class" -Dsurefire.failIfNoSpecifiedTests=false \
    -DargLine=-Xmx256m -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" \
    -Djazzer.internal.arg.2=-timeout="$timeout" -Djazzer.internal.arg.3=-max_len="$maxlen" \
    -Djazzer.internal.arg.4=-print_final_stats=1 > "$out/$name.log" 2>&1
  echo $? > "$out/$name.rc"
  ls "$dir" > "$out/$name.after"
}

summary() { # NAME MODULE CLASS METHOD
  local name=$1 log=$out/$1.log dir last execs cov ft crashes hangs ooms new
  dir=$(inputs_dir "$2" "$3" "$4")
  last=$(grep -aE '^#[0-9]+' "$log" | tail -1)
  execs=$(grep -a 'stat::number_of_executed_units' "$log" | tail -1 | awk '{print $2}')
  [ -n "$execs" ] || execs=$(echo "$last" | sed -E 's/^#([0-9]+).*/\1/')
  cov=$(echo "$last" | sed -nE 's/.* cov: ([0-9]+).*/\1/p')
  ft=$(echo "$last" | sed -nE 's/.* ft: ([0-9]+).*/\1/p')
  # Jazzer stops at the first finding: each count is 0 or 1.
  crashes=0 hangs=0 ooms=0
  if grep -aqE 'ERROR: libFuzzer: timeout' "$log"; then hangs=1
  elif grep -aqE 'OutOfMemoryError|ERROR: libFuzzer: out-of-memory' "$log"; then ooms=1
  elif grep -aqE '== Java Exception:|FuzzTestFinding' "$log" || [ "$(cat "$out/$name.rc")" != 0 ]; then crashes=1
  fi
  new=$(comm -13 "$out/$name.before" "$out/$name.after" | sed "s|^|$dir/|" | tr '\n' ' ')
  printf '%-9s %12s %7s %8s %8s %6s %5s  %s\n' "$name" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$crashes" "$hangs" "$ooms" \
    "${new:--}"
  [ "$crashes$hangs$ooms" = 000 ]
}

pids=()
while read -r name module class method maxlen; do
  [ -n "$name" ] && [[ $wanted == *" $name "* ]] || continue
  echo "fuzzing $name ($class) for ${seconds}s ..."
  run "$name" "$module" "$class" "$method" "$maxlen" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); else
    # Let this one get past Maven's resource copying before the next starts on the same tree.
    for _ in $(seq 300); do grep -aq 'INITED' "$out/$name.log" 2>/dev/null || [ -e "$out/$name.rc" ] && break; sleep 1; done
  fi
done <<< "$targets_table"
wait

echo
echo "fuzzing, ${seconds} s per target, -Xmx256m, ${timeout} s per input:"
printf '%-9s %12s %7s %8s %8s %6s %5s  %s\n' target executions cov ft crashes hangs ooms "inputs written"
status=0
while read -r name module class method maxlen; do
  [ -n "$name" ] && [[ $wanted == *" $name "* ]] || continue
  summary "$name" "$module" "$class" "$method" || status=1
done <<< "$targets_table"
echo "logs: $out/"
exit $status
