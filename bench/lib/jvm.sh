# Shell helpers of bench/proxy and bench/proxy-ab (sourced after wrk.sh): what a proxy process
# holds (RSS, peak RSS, threads), the heap bytes a JVM allocates over a window (JFR) and where its
# CPU goes, by thread (/proc).
# Needs $work (a scratch directory) set by the caller.

# RSS MB, peak RSS MB (VmHWM) and thread count of the given pids, summed: "rss hwm threads".
# (nginx: its master and workers; a process has one thread each.)
proc_mem() {
  local p
  for p in "$@"; do
    awk '/^VmRSS/ {r=$2} /^VmHWM/ {h=$2} /^Threads/ {t=$2} END {print r, h, t}' "/proc/$p/status" 2>/dev/null
  done | awk '{r+=$1; h+=$2; t+=$3} END {printf "%.1f %.1f %d\n", r/1024, h/1024, t}'
}

# jcmd, tried again: on a loaded machine its attach can time out.
jcmd_retry() {
  local i
  for i in 1 2 3; do jcmd "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "bench: jcmd $* failed" >&2; return 1
}

# Only the per-thread allocation counters: the recording itself must cost next to nothing.
jfr_settings() {
  [[ -f $work/alloc.jfc ]] || cat > "$work/alloc.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">everyChunk</setting></event>
</configuration>
JFC
  echo "$work/alloc.jfc"
}

# Allocated bytes between the first and last sample of each thread in a recording: "all io", all
# threads and the XNIO I/O threads only ("<worker> I/O-<n>", Undertow's request threads). At low
# req/s the per-second work of the other threads (the /proc reads of the pools) swamps the first;
# the second is what a request costs.
alloc_bytes() {
  jfr print --json --events jdk.ThreadAllocationStatistics "$1" | python3 -c '
import json, re, sys
per = {}
for e in json.load(sys.stdin)["recording"]["events"]:
    v = e["values"]; th = v.get("thread") or {}
    t = th.get("javaThreadId", v.get("thread"))
    lo, hi, _ = per.get(t, (v["allocated"], v["allocated"], ""))
    per[t] = (min(lo, v["allocated"]), max(hi, v["allocated"]), th.get("javaName") or "")
io = re.compile(r" I/O-\d+$")
print(sum(hi - lo for lo, hi, _ in per.values()), sum(hi - lo for lo, hi, n in per.values() if io.search(n)))'
}

# JFR's allocation counters around a window: alloc_start PID NAME ... alloc_stop PID NAME -> "all io" bytes.
alloc_start() { jcmd_retry "$1" JFR.start name="$2" settings="$(jfr_settings)"; }
alloc_stop() {
  jcmd_retry "$1" JFR.stop name="$2" filename="$work/$2.jfr"
  alloc_bytes "$work/$2.jfr"
}

# CPU ticks (10 ms) of a JVM's threads so far, by what they do: "io jit gc pumps other". io: the
# XNIO I/O threads ("<worker> I/O-<n>": parsing, routing, forwarding, the access line); jit: the C1/C2
# compiler threads (a daemon still compiling is not warm yet); gc: the VM thread (Serial GC collects
# there, with every other safepoint operation); pumps: the thread copying the workers' stdout and
# stderr to their log files (PM2's God daemon does that work beside nginx).
thread_ticks() {
  local t comm stat
  for t in /proc/"$1"/task/*; do
    comm=$(cat "$t/comm" 2>/dev/null) && stat=$(cat "$t/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    printf '%s\t%s\n' "$comm" "$(awk '{print $12 + $13}' <<<"$stat")"
  done | awk -F'\t' '{ k = $1 ~ / I\/O-[0-9]+$/ ? "io" : $1 ~ /^C[12] CompilerThre/ ? "jit" : $1 == "VM Thread" ? "gc" : $1 == "log-pumps" ? "pumps" : "other"; a[k] += $2 }
    END { printf "%d %d %d %d %d\n", a["io"], a["jit"], a["gc"], a["pumps"], a["other"] }'
}

# µs per request of each thread class between two thread_ticks readings and $3 requests: "io jit gc pumps other".
thread_us_per_req() {
  awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { split(a, x, " "); split(b, y, " ");
    for (i = 1; i <= 5; i++) printf "%.1f%s", (n > 0 ? (y[i] - x[i]) * 10000 / n : 0), (i < 5 ? " " : "\n") }'
}

# Young collections so far and the seconds all collections (young and full) paused, from the JVM's perf data
# (jstat reads hsperfdata: no attach, nothing stopped): "count seconds".
young_gcs() {
  jstat -gc "$1" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 2 { print $c["YGC"], $c["GCT"] }'
}
