'use strict';
// Hot methods of a JFR recording, from `jfr print --json --events jdk.ExecutionSample <file>` on stdin:
// "self" counts a sample for its top frame; "total" counts it once for every method on its stack.
// Also groups the samples by the first frame (from the top) in a package of interest, so the cost
// can be attributed: JSON (Jackson), WebSocket framing (Helidon), the service's code, bcrypt, ...
//   jfr print --json --events jdk.ExecutionSample rec.jfr | node bench/jfr-top.js [N]
const N = Number(process.argv[2] || 25);
let text = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { text += d; });
process.stdin.on('end', () => {
  const events = JSON.parse(text).recording.events;
  const self = new Map();
  const total = new Map();
  const areas = new Map();
  const area = (m) => {
    const rules = [
      [/^com\.fasterxml\.jackson/, 'JSON (Jackson)'],
      [/^org\.bouncycastle\.crypto\.generators\.(OpenBSD)?BCrypt/, 'bcrypt (Bouncy Castle, pure Java)'],
      [/^com\.auth0\.jwt|^javax\.crypto|^com\.sun\.crypto/, 'JWT / crypto'],
      [/^io\.helidon\.websocket\.ClientWsFrame\.(unmask|lambda\$unmaskedValue)/, 'Helidon WebSocket: unmasking client frames'],
      [/^io\.helidon\.websocket|^io\.helidon\.webserver\.websocket/, 'Helidon WebSocket (framing, read/write)'],
      [/^io\.helidon\.common\.buffers|^io\.helidon\.common\.socket/, 'Helidon buffers / socket I/O'],
      [/^io\.helidon\.webserver\.accesslog|^java\.util\.logging|^io\.helidon\.logging/, 'logging (JUL, access log)'],
      [/^io\.helidon\.metrics|^io\.micrometer/, 'metrics'],
      [/^io\.helidon\.webserver|^io\.helidon\.http/, 'Helidon HTTP server'],
      [/^dev\.realtime/, 'realtime-service code'],
      [/^java\.util\.concurrent|^java\.lang\.VirtualThread|^jdk\.internal\.vm\.Continuation|^java\.lang\.Thread\./, 'threads, queues, virtual-thread scheduling'],
      [/^sun\.nio\.ch|^java\.net|^sun\.net/, 'JDK socket I/O'],
      [/^java\.lang\.String|^java\.lang\.StringLatin1|^java\.lang\.StringCoding|^java\.lang\.AbstractStringBuilder|^sun\.nio\.cs/, 'JDK strings / charset coding'],
    ];
    for (const [re, name] of rules) if (re.test(m)) return name;
    return null;
  };
  for (const e of events) {
    const frames = (e.values.stackTrace && e.values.stackTrace.frames) || [];
    if (!frames.length) continue;
    const names = frames.map((f) => `${f.method.type.name.replace(/\//g, ".")}.${f.method.name}`);
    self.set(names[0], (self.get(names[0]) || 0) + 1);
    for (const n of new Set(names)) total.set(n, (total.get(n) || 0) + 1);
        // generic layers (buffers, JDK I/O and strings, threads) count for the first specific caller above them
    const generic = /^JDK|^threads|^Helidon buffers/;
    const topArea = area(names[0]);
    let a = null;
    for (const n of names) {
      const x = area(n);
      if (x && !generic.test(x)) { a = x; break; }
    }
    a = a || topArea || 'other';
    areas.set(a, (areas.get(a) || 0) + 1);
  }
  const count = events.length;
  const table = (title, map) => {
    console.log(`\n${title} (${count} samples)`);
    for (const [name, n] of [...map.entries()].sort((x, y) => y[1] - x[1]).slice(0, N)) {
      console.log(`${(100 * n / count).toFixed(1).padStart(6)}%  ${name}`);
    }
  };
  table('By area (first frame from the top in a library or our code; buffers, JDK I/O, strings and threads count for their caller)', areas);
  table('Self (top frame)', self);
  table('Total (on the stack)', total);
});
