# analyse.awk - independent cross-check of kreplay results.
# Input: tracefs text (trace.txt) or `trace-cmd report -R -t` output.
# Usage: awk -f analyse.awk trace.txt
#    or: trace-cmd report -R -t trace.dat | awk -f analyse.awk
# Timestamps are converted to integer nanoseconds (trace.txt has 6 decimals = us
# resolution, report -t has 9 decimals = ns resolution).
# Only POSIX awk features (tested with mawk 1.3.4).

function fld(name,   s) {          # value of " name=value" in body
    if (match(body, " " name "=[^ ]*")) {
        s = substr(body, RSTART + length(name) + 2, RLENGTH - length(name) - 2)
        return s
    }
    return ""
}
function tons(t,   i, ip, fp) {    # "245.759582" -> 245759582000 (ns)
    i = index(t, "."); ip = substr(t, 1, i - 1); fp = substr(t, i + 1)
    while (length(fp) < 9) fp = fp "0"
    return ip * 1000000000 + fp
}
/^#/ { next }
/^cpus=/ { next }
{
    # locate "TIMESTAMP: EVENT:" ; everything after it is the body
    if (!match($0, / [0-9]+\.[0-9]+: [A-Za-z_0-9]+:/)) { unparsed++; next }
    hdr = substr($0, RSTART + 1, RLENGTH - 2)       # "245.759582: sched_switch"
    split(hdr, h, ": ")
    ts = tons(h[1]); ev = h[2]
    body = " " substr($0, RSTART + RLENGTH)
    pre = substr($0, 1, index($0, " [") - 1)         # "   cyclictest-2998"
    tpid = pre; sub(/.*-/, "", tpid); gsub(/ /, "", tpid)   # pid of the current task
    gsub(/  +/, " ", body)
    nev++; count[ev]++

    if (ev == "sched_waking") {
        p = fld("pid")
        # cyclictest measurement threads: SCHED_FIFO 80 -> kernel prio 19
        if (fld("comm") == "cyclictest" && fld("prio") == "19") { wake[p] = ts; rt[p] = 1 }
    } else if (ev == "sched_switch") {
        pp = fld("prev_pid"); np = fld("next_pid")
        if (pp in wake) delete wake[pp]      # waking before switch-out is not a wakeup latency
        if (np in wake) {
            lat = ts - wake[np]; delete wake[np]
            nwl++; wl[nwl] = lat
            if (nwl == 1 || lat < wmin) wmin = lat
            if (nwl == 1 || lat > wmax) wmax = lat
            wsum += lat; perpid[np]++
            if (!(np in pmin) || lat < pmin[np]) pmin[np] = lat
            if (!(np in pmax) || lat > pmax[np]) pmax[np] = lat
        }
    } else if (ev == "hrtimer_start") {
        f = fld("function"); sub(/\/0x0$/, "", f); ptr = fld("hrtimer")
        hstart[f]++; lastsoft[ptr] = fld("softexpires"); lastfn[ptr] = f; lastpid[ptr] = tpid
    } else if (ev == "hrtimer_expire_entry") {
        f = fld("function"); sub(/\/0x0$/, "", f); ptr = fld("hrtimer")
        hexp[f]++
        if (!(ptr in lastfn)) { noprev++ }
        else if (lastfn[ptr] == "hrtimer_wakeup") {
            late = fld("now") - lastsoft[ptr]
            nl++; hl[nl] = late; hlpid[nl] = lastpid[ptr]
            if (nl == 1 || late < lmin) lmin = late
            if (nl == 1 || late > lmax) lmax = late
        }
    } else if (ev == "softirq_raise" || ev == "softirq_entry") {
        v = fld("vec"); a = ""
        if (match(body, /\[action=[A-Z_]+\]/)) a = substr(body, RSTART + 8, RLENGTH - 9)
        sq[ev " vec=" v " " a]++
    }
}
function median(arr, n,   i, cmd, m, k, x, tmp) {   # lower median: sorted[int((n+1)/2)]
    tmp = "/tmp/analyse_awk_median.tmp"
    cmd = "sort -n > " tmp
    for (i = 1; i <= n; i++) print arr[i] | cmd
    close(cmd)
    k = int((n + 1) / 2); i = 0
    while ((getline x < tmp) > 0) { i++; if (i == k) m = x }
    close(tmp); system("rm -f " tmp)
    return m
}
END {
    printf "events parsed: %d (unparsed lines: %d)\n", nev, unparsed
    print "--- event counts"
    for (e in count) printf "%-32s %d\n", e, count[e] | "sort"
    close("sort")
    print "--- workqueue"
    printf "workqueue_queue_work %d  workqueue_activate_work %d  workqueue_execute_start %d  workqueue_execute_end %d\n", \
        count["workqueue_queue_work"], count["workqueue_activate_work"], count["workqueue_execute_start"], count["workqueue_execute_end"]
    print "--- softirq per vector"
    for (k in sq) printf "%-40s %d\n", k, sq[k] | "sort"
    close("sort")
    print "--- hrtimer_start / hrtimer_expire_entry per function"
    for (k in hstart) printf "hrtimer_start        %-32s %d\n", k, hstart[k] | "sort"
    for (k in hexp)   printf "hrtimer_expire_entry %-32s %d\n", k, hexp[k] | "sort"
    close("sort")
    print "--- cyclictest (comm=cyclictest prio=19) sched_waking -> sched_switch(next_pid)"
    for (p in rt) printf "pid %s: %d pairs  min %.3f us  max %.3f us\n", p, perpid[p], pmin[p] / 1000, pmax[p] / 1000
    if (nwl) printf "pairs %d  min %.3f us  max %.3f us  mean %.3f us  median %.3f us\n", \
        nwl, wmin / 1000, wmax / 1000, wsum / nwl / 1000, median(wl, nwl) / 1000
    print "--- hrtimer_wakeup lateness (expire_entry now - preceding hrtimer_start softexpires, same hrtimer ptr)"
    printf "expire_entry with no preceding start in trace: %d\n", noprev
    if (nl) printf "all hrtimer_wakeup timers: n %d  min %d ns  max %d ns  median %d ns\n", nl, lmin, lmax, median(hl, nl)
    # only timers armed (hrtimer_start) by the cyclictest SCHED_FIFO threads, overall and per thread
    for (q in rt) { n2 = 0; for (i = 1; i <= nl; i++) if (hlpid[i] == q) { n2++; sel[n2] = hl[i] } ; report_sel("pid " q, n2) }
    n2 = 0; for (i = 1; i <= nl; i++) if (hlpid[i] in rt) { n2++; sel[n2] = hl[i] }
    report_sel("cyclictest RT threads", n2)
}
function report_sel(label, n,   i, mn, mx) {
    if (!n) { printf "%s: n 0\n", label; return }
    mn = sel[1]; mx = sel[1]
    for (i = 2; i <= n; i++) { if (sel[i] < mn) mn = sel[i]; if (sel[i] > mx) mx = sel[i] }
    printf "%s: n %d  min %d ns  max %d ns  median %d ns\n", label, n, mn, mx, median(sel, n)
}
