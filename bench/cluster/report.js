// Summarises bench/results/cluster.jsonl as Markdown: median of the runs, min–max, cross ÷ single; with case "before"
// rows, a second table: two instances at that commit (argv[3]) against this checkout, in the same run, and the CPU
// each process spent per request (a, b, Redis: the order of SERVER_PIDS).
const fs = require('fs');
const rows = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map(JSON.parse);
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const figures = [
  ['latency', 'p50_ms', 'p50 (ms) ↓'], ['latency', 'p99_ms', 'p99 (ms) ↓'], ['latency', 'p999_ms', 'p99.9 (ms) ↓'],
  ['latency', 'received', 'deliveries received'], ['throughput', 'deliveries_per_s', 'deliveries/s ↑'],
  ['throughput', 'server_cpu_us_per_delivery', 'CPU of servers (+ Redis) per delivery, µs ↓'],
];
const fmt = x => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(3));
let out = '| message | figure | one instance (median) | min–max | two instances, a → b (median) | min–max | two ÷ one |\n|---|---|---:|---:|---:|---:|---:|\n';
for (const kind of ['broadcast', 'direct']) {
  for (const [phase, key, label] of figures) {
    const pick = c => rows.filter(r => r.case === c && r.kind === kind && r.phase === phase && r[key] !== undefined).map(r => r[key]);
    const one = pick('single'), two = pick('cross');
    if (!one.length || !two.length) continue;
    const suffix = key === 'received' ? ` (of ${rows.find(r => r.phase === 'latency').expected.toLocaleString('en-US')})` : '';
    out += `| ${kind} | ${label}${suffix} | ${fmt(median(one))} | ${fmt(Math.min(...one))}–${fmt(Math.max(...one))} | ` +
           `${fmt(median(two))} | ${fmt(Math.min(...two))}–${fmt(Math.max(...two))} | ${(median(two) / median(one)).toFixed(2)} |\n`;
  }
}
process.stdout.write(out);

const before = rows.filter(r => r.case === 'before');
if (before.length) {
  const commit = process.argv[3] || 'before';
  const cpuOf = (c, kind, i) => rows.filter(r => r.case === c && r.kind === kind && r.phase === 'throughput' && r.cpu_us_per_request_by_pid)
    .map(r => r.cpu_us_per_request_by_pid[i]);
  const extra = [[0, 'CPU of instance a per request, µs ↓'], [1, 'CPU of instance b per request, µs ↓'], [2, 'CPU of Redis per request, µs ↓']];
  let more = `\n| message | figure | two instances at ${commit} (median) | min–max | two instances, this checkout (median) | min–max | this ÷ ${commit} |\n|---|---|---:|---:|---:|---:|---:|\n`;
  for (const kind of ['broadcast', 'direct']) {
    const lines = figures.filter(([, key]) => key !== 'received').map(([phase, key, label]) => {
      const pick = c => rows.filter(r => r.case === c && r.kind === kind && r.phase === phase && r[key] !== undefined).map(r => r[key]);
      return [label, pick('before'), pick('cross')];
    }).concat(extra.map(([i, label]) => [label, cpuOf('before', kind, i), cpuOf('cross', kind, i)]));
    for (const [label, old, now] of lines) {
      if (!old.length || !now.length) continue;
      more += `| ${kind} | ${label} | ${fmt(median(old))} | ${fmt(Math.min(...old))}–${fmt(Math.max(...old))} | ` +
              `${fmt(median(now))} | ${fmt(Math.min(...now))}–${fmt(Math.max(...now))} | ${(median(now) / median(old)).toFixed(2)} |\n`;
    }
  }
  process.stdout.write(more);
}
