# Shell helpers of the bench scripts (sourced): free ports, wrk's summary, CPU ticks, medians, and
# stopping a daemon.

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wrk against $1 with the caller's $conns and $duration -> "rps p50ms p99ms errors requests"
# (errors: non-2xx responses plus socket errors; requests: how many wrk completed); further
# arguments go to wrk before the URL (e.g. -H 'Accept-Encoding: gzip').
run_wrk() {
  local url=$1; shift
  wrk -t2 -c"$conns" -d"${duration}s" --latency "$@" "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps=$2 }
    / requests in / { reqs=$1 }
    /^ +50%/ { p50=ms($2) } /^ +99%/ { p99=ms($2) }
    /Non-2xx/ { err+=$NF } /Socket errors/ { n=split($0, f, /[ ,]+/); for (i=1; i<=n; i++) if (f[i] ~ /^[0-9]+$/) err+=f[i] }
    END { printf "%s %.2f %.2f %d %d\n", rps, p50, p99, err, reqs }'
}

# CPU time (user + system) of the given pids so far, in clock ticks of 10 ms, from /proc.
cpu_ticks() {
  local p total=0 stat
  for p in "$@"; do
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    total=$((total + $(awk '{print $12 + $13}' <<<"$stat")))
  done
  echo "$total"
}

# Busy CPU ticks (10 ms) of the whole machine so far, every core (/proc/stat: user, nice, system,
# irq, softirq; not idle, iowait or steal, the hypervisor's time): every process's, so it is the
# proxy's, wrk's and the workers' only while nothing else runs.
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }

# The median of the numbers on stdin, one per line.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Ends the Corral daemon of CORRAL_HOME $1 with its bin/control $2, and by its pid when that fails:
# a control client can fail (e.g. while a build rewrites the jar), and a daemon was once left
# running so, with its workers, under the next benchmarks. SIGTERM stops its pools, then it exits.
stop_daemon() {
  local home=$1 control=$2 pid i
  pid=$(cat "$home/run/daemon.pid" 2>/dev/null || true)
  CORRAL_HOME=$home "$control" kill >/dev/null 2>&1 || true
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  echo "bench: daemon $pid did not stop" >&2
}
