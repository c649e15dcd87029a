'use strict';
// node bench/lib/sweep.js RUN_ID WORK_DIR [EXCLUDE_PID...]: ends (SIGKILL) every process of a
// bench/compare run that is still alive (the trap of bench/compare calls it); prints what it ended.
const procs = require('./procs');

const [runId, work, ...exclude] = process.argv.slice(2);
const left = procs.leftovers(runId, [work], [process.pid, process.ppid, ...exclude.map(Number)]);
for (const p of left) procs.kill(p.pid);
if (left.length) process.stderr.write(`bench/compare: ended ${left.length} leftover process(es): ${left.map((p) => `${p.pid} ${p.cmd}`).join('; ')}\n`);
