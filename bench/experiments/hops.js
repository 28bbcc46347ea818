// Per-message hop times of bench/experiments/hops.patch (HOPS=1 on both instances writes /tmp/hops-<INSTANCE_ID>.csv at
// exit: hop,intended send time,now, both System.nanoTime of one machine): node bench/experiments/hops.js SPAN /tmp/hops-a.csv /tmp/hops-b.csv
// SPAN: 0 = the broadcast latency phase of PushLatency, 1 its throughput phase, 2 and 3 the same for direct.
const fs = require("fs");
const k = Number(process.argv[2]);
const rows = [];
for (const f of process.argv.slice(3)) for (const l of fs.readFileSync(f, "utf8").split("\n")) { if (!l) continue; const [h, t, n] = l.split(","); rows.push([h, BigInt(t), BigInt(n)]); }
const ts = [...new Set(rows.map((r) => r[1]))].sort((a, b) => (a < b ? -1 : 1));
const spans = []; let s = [ts[0], ts[0]];
for (const t of ts) { if (t - s[1] > 1500000000n) { spans.push(s); s = [t, t]; } else s[1] = t; }
spans.push(s);
console.log("spans", spans.length, spans.map((x) => Number(x[1] - x[0]) / 1e9));
const [lo, hi] = spans[k];
const per = new Map();
for (const [h, t, n] of rows) { if (t < lo || t > hi) continue; if (!per.has(t)) per.set(t, {}); per.get(t)[h] = Number(n - t) / 1e6; }
const pct = (v, p) => { v.sort((a, b) => a - b); return v[Math.min(v.length - 1, Math.ceil(p * v.length) - 1)]; };
const pairs = [["a.1-read", "a.3-script-reply-loop"], ["a.3-script-reply-loop", "a.4-script-reply-vt"], ["a.1-read", "a.5-sub-recv-loop"], ["a.5-sub-recv-loop", "a.6-deliverer-took"], ["a.1-read", "a.9-ack"], ["a.1-read", "b.5-sub-recv-loop"], ["b.5-sub-recv-loop", "b.6-deliverer-took"], ["b.6-deliverer-took", "b.7-fanned-out"]];
for (const [x, y] of pairs) { const v = []; for (const m of per.values()) if (m[x] !== undefined && m[y] !== undefined) v.push(m[y] - m[x]); if (v.length) console.log(`${x} -> ${y}`.padEnd(50), "n", v.length, "p50", pct(v, .5).toFixed(3), "p90", pct(v, .9).toFixed(3), "p99", pct(v, .99).toFixed(3)); }
const r = []; for (const m of per.values()) if (m["a.1-read"] !== undefined) r.push(m["a.1-read"]); console.log("intended -> a.1-read".padEnd(50), "p50", pct(r, .5).toFixed(3), "p90", pct(r, .9).toFixed(3), "p99", pct(r, .99).toFixed(3));
