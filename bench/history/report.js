// bench/history/run.sh's table: deliveries/s per server variant and kind, median (min–max) of the rounds after
// round 0 (the warm-up), each variant against "off".
const rows = require("fs").readFileSync(process.argv[2], "utf8").trim().split("\n").map(JSON.parse).filter((r) => r.run > 0);
const med = (v) => { v = [...v].sort((a, b) => a - b); return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2; };
const n = (x) => Math.round(x).toLocaleString("en-US");
const out = ["| message | server | deliveries/s (median) | min–max | ÷ off (medians) | ÷ off, same round (median, min–max) |", "|---|---|---:|---:|---:|---:|"];
for (const kind of ["broadcast", "direct"]) {
  const of = (variant) => rows.filter((r) => r.kind === kind && r.variant === variant);
  const off = of("off");
  for (const variant of ["off", "min", "on"]) {
    const rs = of(variant);
    const v = rs.map((r) => r.deliveries_per_s);
    const paired = rs.map((r) => r.deliveries_per_s / off.find((o) => o.run === r.run).deliveries_per_s);
    out.push(`| ${kind} | ${variant} | ${n(med(v))} | ${n(Math.min(...v))}–${n(Math.max(...v))} | ${(med(v) / med(off.map((r) => r.deliveries_per_s))).toFixed(3)} | ${med(paired).toFixed(3)} (${Math.min(...paired).toFixed(3)}–${Math.max(...paired).toFixed(3)}) |`);
  }
}
out.push("", `${Math.max(...rows.map((r) => r.run))} rounds after a warm-up round; off = before positions and history, min = HISTORY_SIZE=1, on = defaults (1,000 messages, 600 s).`);
console.log(out.join("\n"));
