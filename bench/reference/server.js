'use strict';
// Reference server for bench/: the Node.js tutorial's stack, doing the same work as realtime-service
// for the benchmarked paths (POST /login, the authenticated WebSocket at / with welcome and echo).
//
//   Express + cors + helmet + morgan (one access-log line per HTTP request, to a file) + express.json,
//   POST /login: bcrypt (native `bcrypt` package, cost from the hash) and an HS256 JWT (`jsonwebtoken`),
//   a `ws` WebSocketServer on the same HTTP server; the token (?token= or Authorization: Bearer) is
//   checked on the upgrade (401 without it), a log line per connection opened/closed (as ours), none
//   per message; welcome on open; echo answered with the same id and payload; anything else: error.
//
// Settings (environment): PORT (3000), HOST (127.0.0.1), JWT_SECRET (32+ bytes), JWT_ISSUER
// (realtime-service), TOKEN_TTL_SECONDS (3600), BENCH_USER, BENCH_PASSWORD_HASH (bcrypt),
// BENCH_ROLES (user), CORS_ORIGIN (http://localhost:3000), ACCESS_LOG (file; /dev/null allowed),
// WS_MAX_MESSAGE_BYTES (65536), WS_PING_INTERVAL_SECONDS (30), MAX_BODY_BYTES (16384).

const http = require('node:http');
const fs = require('node:fs');
const crypto = require('node:crypto');
const express = require('express');
const cors = require('cors');
const helmet = require('helmet');
const morgan = require('morgan');
const bcrypt = require('bcrypt');
const jwt = require('jsonwebtoken');
const { WebSocketServer } = require('ws');

const env = process.env;
const PORT = Number(env.PORT || 3000);
const HOST = env.HOST || '127.0.0.1';
const SECRET = env.JWT_SECRET;
const ISSUER = env.JWT_ISSUER || 'realtime-service';
const TTL = Number(env.TOKEN_TTL_SECONDS || 3600);
const ORIGINS = (env.CORS_ORIGIN || 'http://localhost:3000').split(',').map((s) => s.trim()).filter(Boolean);
const MAX_MESSAGE = Number(env.WS_MAX_MESSAGE_BYTES || 65536);
const PING_MS = Number(env.WS_PING_INTERVAL_SECONDS || 30) * 1000;
const MAX_BODY = Number(env.MAX_BODY_BYTES || 16384);
const MAX_ID = 128;

if (!SECRET || Buffer.byteLength(SECRET) < 32) {
  console.error('JWT_SECRET must be set to at least 32 bytes');
  process.exit(2);
}
if (!env.BENCH_USER || !env.BENCH_PASSWORD_HASH) {
  console.error('BENCH_USER and BENCH_PASSWORD_HASH must be set');
  process.exit(2);
}
const users = new Map([[env.BENCH_USER, {
  username: env.BENCH_USER,
  hash: env.BENCH_PASSWORD_HASH,
  roles: (env.BENCH_ROLES || 'user').split(',').map((s) => s.trim()).filter(Boolean),
}]]);
// An unknown user costs one bcrypt comparison too (as ours), so timing does not tell who exists.
const DECOY = bcrypt.hashSync('decoy password never matches', Number(env.BENCH_PASSWORD_HASH.substring(4, 6)));

function problem(res, status, code, title, detail) {
  res.status(status).type('application/problem+json').json({
    type: `urn:realtime:problem:${code}`, title, status, detail, instance: res.req.path, code,
  });
}

const app = express();
app.disable('x-powered-by');
const accessLog = env.ACCESS_LOG ? fs.createWriteStream(env.ACCESS_LOG, { flags: 'a' }) : process.stdout;
// Like Helidon's "%h %t %r %s %b %D" (%D in microseconds; morgan has milliseconds with decimals).
app.use(morgan(':remote-addr [:date[clf]] ":method :url HTTP/:http-version" :status :res[content-length] :response-time',
  { stream: accessLog }));
app.use(helmet());
app.use(cors({ origin: ORIGINS.includes('*') ? '*' : ORIGINS, methods: ['GET', 'POST'],
  allowedHeaders: ['Content-Type', 'Authorization'], maxAge: 3600 }));
app.use(express.json({ limit: MAX_BODY }));

app.post('/login', async (req, res) => {
  const body = req.body;
  const valid = (v, max) => typeof v === 'string' && v.length > 0 && v.length <= max;
  if (!body || typeof body !== 'object' || !valid(body.username, 128) || !valid(body.password, 1024)) {
    return problem(res, 400, 'validation_failed', 'Validation failed', "'username' and 'password' are required non-empty strings.");
  }
  const account = users.get(body.username);
  const matches = await bcrypt.compare(body.password, account ? account.hash : DECOY);
  if (!account || !matches) {
    return problem(res, 401, 'invalid_credentials', 'Invalid credentials', 'Unknown user or wrong password.');
  }
  const token = jwt.sign({ roles: account.roles }, SECRET, {
    algorithm: 'HS256', issuer: ISSUER, subject: account.username, expiresIn: TTL, jwtid: crypto.randomUUID(),
  });
  res.set('Cache-Control', 'no-store').json({ token, tokenType: 'Bearer', expiresIn: TTL });
});
app.get('/', (req, res) => problem(res, 426, 'upgrade_required', 'Upgrade required', 'Open a WebSocket here.'));
app.use((req, res) => problem(res, 404, 'not_found', 'Not found', 'Nothing here.'));
app.use((err, req, res, next) => {
  if (err.type === 'entity.parse.failed') return problem(res, 400, 'malformed_json', 'Malformed JSON', 'Not valid JSON.');
  if (err.type === 'entity.too.large') return problem(res, 413, 'payload_too_large', 'Payload too large', 'Body too large.');
  return problem(res, 500, 'internal_error', 'Internal error', 'Something went wrong.');
});

const server = http.createServer(app);
const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });

// Helidon's access log has a line for every upgrade request (101, or the refusal); morgan never sees
// upgrades (they bypass Express), so the same line is written here. Format as morgan's above.
function logUpgrade(req, status, started) {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  accessLog.write(`${req.socket.remoteAddress} [${morgan['date'](req, null, 'clf')}] "${req.method} ${req.url.split('?')[0]} HTTP/${req.httpVersion}" ${status} - ${ms.toFixed(3)}\n`);
}

function refuseWith(socket, status, reason, code, detail) {
  const body = JSON.stringify({ type: `urn:realtime:problem:${code}`, title: reason, status, detail, instance: '/', code });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

server.on('upgrade', (req, socket, head) => {
  const started = process.hrtime.bigint();
  const refuse = (...args) => { logUpgrade(req, args[1], started); return refuseWith(...args); };
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname !== '/') return refuse(socket, 404, 'Not Found', 'not_found', 'Nothing here.');
  const origin = req.headers.origin;
  if (origin && !ORIGINS.includes(origin)) return refuse(socket, 403, 'Forbidden', 'origin_not_allowed', 'Origin not allowed.');
  let token = url.searchParams.get('token');
  if (token === null) {
    const auth = req.headers.authorization || '';
    if (/^bearer /i.test(auth)) token = auth.substring(7).trim();
  }
  if (!token) return refuse(socket, 401, 'Unauthorized', 'missing_token', 'No token.');
  let claims;
  try {
    claims = jwt.verify(token, SECRET, { algorithms: ['HS256'], issuer: ISSUER });
    if (!claims.sub || !claims.jti) throw new Error('claims');
  } catch (e) {
    const expired = e.name === 'TokenExpiredError';
    return refuse(socket, 401, 'Unauthorized', expired ? 'token_expired' : 'invalid_token', 'Bad token.');
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    logUpgrade(req, 101, started);
    wss.emit('connection', ws, claims);
  });
});

function error(ws, code, message, id) {
  ws.send(JSON.stringify(id === undefined ? { type: 'error', code, message } : { type: 'error', code, message, id }));
}

const validId = (id) => typeof id === 'string' && id.length > 0 && (id.length <= MAX_ID || [...id].length <= MAX_ID);

wss.on('connection', (ws, claims) => {
  const session = { id: crypto.randomUUID(), user: claims.sub, roles: claims.roles || [], connectedAt: new Date().toISOString() };
  ws.isAlive = true;
  console.log(`${new Date().toISOString()} INFO WebSocket open: session ${session.id}, user ${session.user}`);
  ws.send(JSON.stringify({ type: 'welcome', sessionId: session.id, user: session.user, roles: session.roles, connectedAt: session.connectedAt }));
  ws.on('pong', () => { ws.isAlive = true; });
  ws.on('message', (data, isBinary) => {
    ws.isAlive = true;
    if (isBinary) return ws.close(1003, 'Binary frames are not supported; send JSON text');
    let msg;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch (e) {
      return error(ws, 'malformed_json', `Not valid JSON: ${e.message}`);
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return error(ws, 'validation_failed', 'A message must be a JSON object.');
    if (typeof msg.type !== 'string') return error(ws, 'validation_failed', "The message has no string member 'type'.");
    const id = validId(msg.id) ? msg.id : undefined;
    if (msg.type !== 'echo') return error(ws, 'unknown_type', `Unknown message type '${msg.type.substring(0, 64)}'.`, id);
    if (id === undefined) return error(ws, 'validation_failed', `'id' must be a string of 1 to ${MAX_ID} characters.`);
    for (const key of Object.keys(msg)) {
      if (key !== 'type' && key !== 'id' && key !== 'payload') return error(ws, 'validation_failed', `Unexpected member '${key}' in a echo message.`, id);
    }
    if (!('payload' in msg)) return error(ws, 'validation_failed', "A echo message needs 'payload'.", id);
    ws.send(JSON.stringify({ type: 'echo', id, payload: msg.payload }));
  });
  ws.on('close', (code) => {
    console.log(`${new Date().toISOString()} INFO WebSocket closed by client: session ${session.id}, user ${session.user}, code ${code}`);
  });
  ws.on('error', () => {});
});

// Keepalive as ours: ping every PING_MS; a peer that missed the previous ping is dropped.
const keepalive = setInterval(() => {
  for (const ws of wss.clients) {
    if (!ws.isAlive) { ws.terminate(); continue; }
    ws.isAlive = false;
    ws.ping();
  }
}, PING_MS);

function stop() {
  clearInterval(keepalive);
  for (const ws of wss.clients) ws.close(1001, 'Server shutting down');
  server.close();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

server.listen(PORT, HOST, () => console.log(`reference up on ${HOST}:${PORT} (node ${process.version}, pid ${process.pid})`));
