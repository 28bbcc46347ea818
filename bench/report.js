'use strict';
// Summarises bench/results/raw.jsonl: for every figure, each server's median and min–max over the
// measured runs (run 0, the JIT warm-up, is left out) and the ratios of the medians ours ÷ reference and
// ours ÷ tutorial (the tutorial's own server, bench/tutorial).
//   node bench/report.js <raw.jsonl> <output dir>   -> summary.json, summary.csv, summary.md
const fs = require('node:fs');
const path = require('node:path');

const [rawFile, outDir] = process.argv.slice(2);
if (!rawFile || !outDir) {
  console.error('usage: node bench/report.js <raw.jsonl> <output dir>');
  process.exit(2);
}
const rows = fs.readFileSync(rawFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  .filter((r) => r.run > 0);

const OURS = 'ours';
const REF = 'reference';
const TUT = 'tutorial';
const size = (b) => (b >= 65536 ? '64 KiB' : b >= 1024 ? `${b / 1024} KiB` : `${b} B`);

// figure id, label, unit, which way is better, how to pick the rows, the value
const figures = [];
const echoKeys = [...new Set(rows.filter((r) => r.scenario === 'echo').map((r) => `${r.payload_bytes}|${r.connections}|${r.window}`))]
  .map((k) => k.split('|').map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
// The usual window is 4 messages in flight per connection; a deeper one is named in the label.
const echoLabel = (bytes, conns, window) => `echo ${size(bytes)}, ${conns} conn${conns > 1 ? 's' : ''}${window > 4 ? `, ${window} in flight each` : ''}`;
for (const [bytes, conns, window] of echoKeys) {
  const pick = (r) => r.scenario === 'echo' && r.payload_bytes === bytes && r.connections === conns && r.window === window;
  figures.push({ id: `echo_${bytes}_${conns}_${window}`, label: echoLabel(bytes, conns, window), unit: 'msg/s', better: 'higher', pick, value: (r) => r.msgs_per_s });
}
for (const [bytes, conns, window] of echoKeys) {
  const pick = (r) => r.scenario === 'echo' && r.payload_bytes === bytes && r.connections === conns && r.window === window;
  figures.push({ id: `echo_cpu_${bytes}_${conns}_${window}`, label: `server CPU, ${echoLabel(bytes, conns, window)}`, unit: '% of a core', better: 'info', pick, value: (r) => r.server_cpu_pct });
}
const latencyKeys = [...new Set(rows.filter((r) => r.scenario === 'latency').map((r) => `${r.rate_per_s}|${r.burst || 1}`))]
  .map((k) => k.split('|').map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
for (const [rate, burst] of latencyKeys) {
  const lat = (r) => r.scenario === 'latency' && r.rate_per_s === rate && (r.burst || 1) === burst;
  const how = `, ${rate.toLocaleString('en-US')} msg/s${burst === 1 ? '' : `, ${burst} at a time`}`;
  // 2,000 msg/s keeps the ids it had before there were several rates
  const id = (rate === 2000 ? 'latency' : `latency_${rate}`) + (burst === 1 ? '' : `_burst${burst}`);
  for (const [key, name] of [['p50_ms', 'p50'], ['p90_ms', 'p90'], ['p99_ms', 'p99'], ['p999_ms', 'p99.9'], ['max_ms', 'max']]) {
    figures.push({ id: `${id}_${name}`, label: `latency ${name} (open loop${how})`, unit: 'ms', better: 'lower', pick: lat, value: (r) => r[key] });
  }
  figures.push({ id: `${id}_lost`, label: `latency: requests lost${how}`, unit: 'count', better: 'lower', pick: lat, value: (r) => r.lost });
  figures.push({ id: `${id}_client_lag`, label: `latency: client's worst send delay${how}`, unit: 'ms', better: 'info', pick: lat, value: (r) => r.client_max_send_lag_ms });
  figures.push({ id: `${id}_server_cpu`, label: `latency: server CPU${how}`, unit: '% of a core', better: 'info', pick: lat, value: (r) => r.server_cpu_pct });
  figures.push({ id: `${id}_server_cpu_per_msg`, label: `latency: server CPU per message${how}`, unit: 'µs', better: 'lower', pick: lat, value: (r) => r.server_cpu_us_per_msg });
}
const idle = (r) => r.scenario === 'idle';
figures.push({ id: 'idle_open_s', label: 'idle: time to open all', unit: 's', better: 'lower', pick: idle, value: (r) => r.open_s });
figures.push({ id: 'idle_opened', label: 'idle: connections open after settle', unit: 'count', better: 'higher', pick: idle, value: (r) => r.open_after_settle });
figures.push({ id: 'idle_rss_before', label: 'idle: server RSS before', unit: 'MiB', better: 'lower', pick: idle, value: (r) => r.rss_before_mib });
figures.push({ id: 'idle_rss_after', label: 'idle: server RSS with all open', unit: 'MiB', better: 'lower', pick: idle, value: (r) => r.rss_after_mib });
figures.push({ id: 'idle_rss_delta', label: 'idle: RSS growth', unit: 'MiB', better: 'lower', pick: idle, value: (r) => r.rss_delta_mib });
figures.push({ id: 'idle_server_cpu', label: 'idle: server CPU to open all', unit: 'CPU s', better: 'lower', pick: idle, value: (r) => r.server_cpu_s_opening });
const hs = (r) => r.scenario === 'handshake';
figures.push({ id: 'handshake_rate', label: 'handshakes (connect+welcome+echo+close)', unit: '/s', better: 'higher', pick: hs, value: (r) => r.handshakes_per_s });
figures.push({ id: 'handshake_welcome_p99', label: 'handshake: connect→welcome p99', unit: 'ms', better: 'lower', pick: hs, value: (r) => r.welcome_p99_ms });
const login = (r) => r.scenario === 'login';
figures.push({ id: 'login_rate', label: 'POST /login', unit: '/s', better: 'higher', pick: login, value: (r) => r.logins_per_s });
figures.push({ id: 'login_p50', label: 'POST /login p50', unit: 'ms', better: 'lower', pick: login, value: (r) => r.p50_ms });

function stats(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length, values: v };
}

const problems = rows.filter((r) => r.error || r.failures > 0 || r.mismatches > 0 || r.protocol_errors > 0 || r.unclosed > 0)
  .map((r) => ({ server: r.server, run: r.run, scenario: r.scenario, connections: r.connections, payload_bytes: r.payload_bytes,
    error: r.error, failures: r.failures, failure_reasons: r.failure_reasons, mismatches: r.mismatches, protocol_errors: r.protocol_errors, unclosed: r.unclosed }));

const ratio = (a, b) => (a && b && b.median !== 0 ? a.median / b.median : null);
const summary = figures.map((f) => {
  const of = (server) => stats(rows.filter((r) => r.server === server && f.pick(r)).map(f.value));
  const ours = of(OURS);
  const ref = of(REF);
  const tut = of(TUT);
  return { id: f.id, label: f.label, unit: f.unit, better: f.better, ours, reference: ref, tutorial: tut,
    ratio: ratio(ours, ref), ratio_tutorial: ratio(ours, tut) };
}).filter((s) => s.ours || s.reference || s.tutorial);

const num = (x) => {
  if (x === null || x === undefined) return '–';
  const a = Math.abs(x);
  return a >= 1000 ? Math.round(x).toLocaleString('en-US') : a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toFixed(3);
};
const spread = (s) => (s ? `${num(s.min)}–${num(s.max)}` : '–');

fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify({ generated: new Date().toISOString(), figures: summary, problems }, null, 2) + '\n');
const csv = ['figure,unit,better,ours_median,ours_min,ours_max,ours_runs,reference_median,reference_min,reference_max,reference_runs,ratio_ours_over_reference,'
  + 'tutorial_median,tutorial_min,tutorial_max,tutorial_runs,ratio_ours_over_tutorial'];
const fixed = (r) => (r === null ? '' : r.toFixed(3));
for (const s of summary) {
  csv.push([s.id, s.unit, s.better, s.ours?.median, s.ours?.min, s.ours?.max, s.ours?.n, s.reference?.median, s.reference?.min,
    s.reference?.max, s.reference?.n, fixed(s.ratio), s.tutorial?.median, s.tutorial?.min, s.tutorial?.max, s.tutorial?.n,
    fixed(s.ratio_tutorial)].map((x) => (x === undefined ? '' : x)).join(','));
}
fs.writeFileSync(path.join(outDir, 'summary.csv'), csv.join('\n') + '\n');
const md = ['| figure | unit | ours (median) | ours min–max | reference (median) | reference min–max | tutorial (median) | tutorial min–max | ours ÷ ref | ours ÷ tutorial |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
const times = (r) => (r === null ? '–' : r.toFixed(2));
for (const s of summary) {
  const arrow = s.better === 'higher' ? ' ↑' : s.better === 'lower' ? ' ↓' : '';
  md.push(`| ${s.label} | ${s.unit}${arrow} | ${num(s.ours?.median)} | ${spread(s.ours)} | ${num(s.reference?.median)} | ${spread(s.reference)} | ${num(s.tutorial?.median)} | ${spread(s.tutorial)} | ${times(s.ratio)} | ${times(s.ratio_tutorial)} |`);
}
md.push('', `↑ higher is better, ↓ lower is better. Median of ${Math.max(...summary.map((s) => s.ours?.n || s.reference?.n || s.tutorial?.n || 0))} runs; min–max is the spread of the runs.`,
  'The tutorial (bench/tutorial, the article\'s server as-is) sends no welcome and answers every message "recebido!": its handshake is connect + 101 + one message and its reply + close, "welcome" figures are the time to the 101, any reply counts (nothing to check), and it has no login figures (its /login returns a constant token).');
if (problems.length) {
  md.push('', 'Measurements with errors, failures, mismatched replies or connections left open:', '');
  for (const p of problems) md.push(`- ${JSON.stringify(p)}`);
}
fs.writeFileSync(path.join(outDir, 'summary.md'), md.join('\n') + '\n');
console.log(md.join('\n'));
