'use strict';
// Finds replies held back by Nagle's algorithm in a loopback capture of the benchmark's echo traffic.
//   tcpdump -i lo -nn -tt -s 96 -c 400000 'tcp port 3101' -w cap.pcap     (while bench/load runs)
//   tcpdump -r cap.pcap -tt -nn | node bench/experiments/nagle-pcap.js 3101 [reply bytes, default 80]
// A reply (a server segment of exactly one 32-byte echo reply: 2-byte header + 78-byte message) that
// leaves more than 20 ms after the client's last request on that connection, right after a pure ACK
// from the client, is the signature of Nagle (server side, TCP_NODELAY off) waiting for the client's
// delayed ACK (about 40 ms on Linux).
const port = Number(process.argv[2] || 3101);
const replyBytes = Number(process.argv[3] || 80);
let text = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { text += d; });
process.stdin.on('end', () => {
  const conns = new Map();
  const re = /^(\d+\.\d+) IP [\d.]+\.(\d+) > [\d.]+\.(\d+): Flags \[([^\]]*)\].*length (\d+)/;
  for (const line of text.split('\n')) {
    const m = line.match(re);
    if (!m) continue;
    const [t, sp, dp, flags, len] = [Number(m[1]), Number(m[2]), Number(m[3]), m[4], Number(m[5])];
    if (sp !== port && dp !== port) continue;
    const client = sp === port ? dp : sp;
    if (!conns.has(client)) conns.set(client, []);
    conns.get(client).push({ t, dir: sp === port ? 'server>client' : 'client>server', flags, len });
  }
  let replies = 0;
  let late = 0;
  let lateAfterPureAck = 0;
  const delays = [];
  let example = null;
  for (const [client, events] of conns) {
    let lastRequest = null;
    events.forEach((e, i) => {
      if (e.dir === 'client>server' && e.len > 0) lastRequest = e.t;
      if (e.dir === 'server>client' && e.len === replyBytes && lastRequest !== null) {
        replies++;
        const ms = (e.t - lastRequest) * 1000;
        if (ms > 20) {
          late++;
          delays.push(ms);
          const prev = events[i - 1];
          if (prev && prev.dir === 'client>server' && prev.len === 0) lateAfterPureAck++;
          if (!example) {
            const from = Math.max(0, i - 5);
            example = { client_port: client, segments: events.slice(from, i + 1).map((x) => `+${((x.t - events[from].t) * 1000).toFixed(3)} ms ${x.dir} [${x.flags}] ${x.len} B`) };
          }
        }
      }
    });
  }
  delays.sort((a, b) => a - b);
  console.log(JSON.stringify({
    connections: conns.size,
    single_reply_segments: replies,
    later_than_20ms_after_the_request: late,
    of_which_right_after_a_pure_client_ack: lateAfterPureAck,
    their_delay_ms_median: delays.length ? Number(delays[Math.floor(delays.length / 2)].toFixed(1)) : null,
    example,
  }, null, 2));
});
