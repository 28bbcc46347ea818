// bench/history/run.sh's table: per server variant and kind, deliveries/s and the server's CPU time per delivery,
// median (min–max) of the rounds after round 0 (the warm-up), each against "off" (medians, and paired by round).
const rows = require("fs").readFileSync(process.argv[2], "utf8").trim().split("\n").map(JSON.parse).filter((r) => r.run > 0);
const med = (v) => { v = [...v].sort((a, b) => a - b); return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2; };
const n = (x) => Math.round(x).toLocaleString("en-US");
const range = (v, f) => `${f(Math.min(...v))}–${f(Math.max(...v))}`;
const variants = ["off", "unbatched", "on"].filter((v) => rows.some((r) => r.variant === v));
const out = [
  "| message | server | deliveries/s: median (min–max) | ÷ off | server CPU per delivery, µs: median (min–max) | ÷ off | ÷ off, same round: median (min–max) |",
  "|---|---|---:|---:|---:|---:|---:|",
];
for (const kind of ["broadcast", "direct"]) {
  const of = (variant) => rows.filter((r) => r.kind === kind && r.variant === variant);
  const off = of("off");
  const offRate = med(off.map((r) => r.deliveries_per_s));
  const offCpu = med(off.map((r) => r.server_cpu_us_per_delivery));
  for (const variant of variants) {
    const rs = of(variant);
    const rate = rs.map((r) => r.deliveries_per_s);
    const cpu = rs.map((r) => r.server_cpu_us_per_delivery);
    const paired = rs.map((r) => r.server_cpu_us_per_delivery / off.find((o) => o.run === r.run).server_cpu_us_per_delivery);
    out.push(`| ${kind} | ${variant} | ${n(med(rate))} (${range(rate, n)}) | ${(med(rate) / offRate).toFixed(2)} | `
      + `${med(cpu).toFixed(2)} (${range(cpu, (x) => x.toFixed(2))}) | ${(med(cpu) / offCpu).toFixed(2)} | `
      + `${med(paired).toFixed(2)} (${range(paired, (x) => x.toFixed(2))}) |`);
  }
}
out.push("", `${Math.max(...rows.map((r) => r.run))} rounds after a warm-up round; off = before positions and history, `
  + "unbatched = positions and history before queued pushes were combined into one write, on = this code with the defaults "
  + "(1,000 messages, 600 s). CPU: user + system time of the server process during the closed loop ÷ deliveries.");
console.log(out.join("\n"));
