// Summarises bench/results/cluster.jsonl as a Markdown table: median of the runs, min–max, cross ÷ single.
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
