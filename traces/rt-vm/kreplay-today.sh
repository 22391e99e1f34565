#!/bin/bash
# kreplay-today.sh - run today's kreplay on every recording under rec/ and keep what it says
# (analyze on trace.txt.xz and trace.dat, compare of each bug with its fixes, splat on the
# console logs) in kreplay-today/ (not kept in git: the goldens beside each recording are what is
# pinned), plus a one-line-per-finding summary in kreplay-today/SUMMARY.
# Usage (from anywhere, after ./mvnw -ntp -q package -DskipTests): traces/rt-vm/kreplay-today.sh
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$HERE/kreplay-today
K=$ROOT/kreplay
cd "$ROOT"
rm -rf "$OUT" && mkdir -p "$OUT"

summary() { # summary NAME FILE: rules, findings (kind, culprit, context), RT-relevant deferral rows
	awk -v n="$1" '
	/^  format /       { sub(/^  format +/, ""); fmt = $0 }
	/^  flags column / { sub(/^  flags column +/, ""); flags = $0 }
	/^  rules /        { sub(/^  rules +/, ""); rules = $0 }
	/^  [0-9]+\. /     { f = $0; sub(/^ +/, "", f); sub(/: .*/, "", f); findings[++nf] = f }
	/^     culprit /   { c = $0; sub(/^ +culprit +/, "", c); findings[nf] = findings[nf] " culprit=" c }
	/^     context /   { c = $0; sub(/^ +context +/, "", c); sub(/;.*/, "", c); findings[nf] = findings[nf] " ctx=" c }
	/^  (rcu|workqueue|irq_work|hrtimer) / && /rtvm|all/ { d = $0; gsub(/  +/, " ", d); defer[++nd] = d }
	END {
		printf "%s | %s | %s | %s\n", n, fmt, flags, rules
		for (i = 1; i <= nf; i++) printf "    finding %s\n", findings[i]
		if (!nf) print "    no findings"
		for (i = 1; i <= nd; i++) printf "    deferral%s\n", defer[i]
	}' "$2"
}

: >"$OUT/SUMMARY"
for d in "$HERE"/rec/*/*/; do
	k=$(basename "$(dirname "$d")")
	s=$(basename "$d")
	for f in trace.txt.xz trace.dat; do
		[[ -f $d/$f ]] || continue
		o=$OUT/$k-$s.$([[ $f == trace.dat ]] && echo dat || echo txt).analyze.txt
		"$K" analyze "${d#$ROOT/}$f" >"$o" 2>&1
		echo "exit=$?" >>"$o"
		summary "$k/$s/$f" "$o" >>"$OUT/SUMMARY"
	done
	if [[ -f $d/console.log.xz ]]; then
		xz -dc "$d/console.log.xz" >"$OUT/.console.log"
		"$K" splat "$OUT/.console.log" >"$OUT/$k-$s.splat.txt" 2>&1
		echo "exit=$?" >>"$OUT/$k-$s.splat.txt"
		rm -f "$OUT/.console.log"
	fi
done
# bug -> fix comparisons, text and trace.dat
for k in "$HERE"/rec/*/; do
	k=$(basename "$k")
	for bug in "$HERE"/rec/$k/s?-bug/; do
		[[ -d $bug ]] || continue
		sc=$(basename "$bug")
		sc=${sc%-bug}
		for fix in "$HERE"/rec/$k/$sc-*/; do
			v=$(basename "$fix")
			[[ $v == "$sc-bug" || ! -f $fix/trace.txt.xz ]] && continue
			for f in trace.txt.xz trace.dat; do
				o=$OUT/$k-$sc-bug-vs-${v#$sc-}.$([[ $f == trace.dat ]] && echo dat || echo txt).compare.txt
				"$K" compare "${bug#$ROOT/}$f" "${fix#$ROOT/}$f" >"$o" 2>&1
				echo "exit=$?" >>"$o"
			done
		done
	done
done
echo "kreplay-today: $(ls "$OUT" | wc -l) files in ${OUT#$ROOT/}"
