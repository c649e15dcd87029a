# Shell helpers of bench/proxy and bench/isolation (sourced): free ports, wrk's summary, medians.

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
