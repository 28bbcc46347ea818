'use strict';
// The tutorial's own part-2 server, for bench/ (server "tutorial"): the Portuguese Node.js article this
// project started from ("Como criar um servidor de WebSockets em Node.js - Parte 2", LuizTools, 2021),
// written out to its text and its companion repository's server (index.js + app.js + app-ws.js, here
// in one file). Measured AS-IS: Express with cors, helmet, morgan('dev') and express.json; POST /login
// hands out the fixed token "123456"; a `ws` WebSocketServer on the same HTTP server whose verifyClient
// allows the upgrade only for an allowed Origin (CORS_ORIGIN, the tutorial's .env recommends *) and
// ?token=123456; every message is logged with console.log and answered "recebido!"; broadcast and
// direct helpers on the server object.
//
// Changed for the benchmark: only HOST from the environment (PORT and CORS_ORIGIN were already read
// from it; the harness sets them as the tutorial's .env would, instead of dotenv), and the harness sends
// stdout to a log file (bench/logs/). Left out: index.js's demo timer that broadcasts a random number to
// every client each second -- it is an example of a push, not part of serving a request, and its
// messages would be taken by the load client for replies.
// Versions: the ranges of the tutorial's package.json, resolved today and pinned (package-lock.json).

const express = require('express');
const cors = require('cors');
const helmet = require('helmet');
const morgan = require('morgan');
const WebSocket = require('ws');

// ---- app.js: the HTTP side
const app = express();
app.use(cors({ origin: process.env.CORS_ORIGIN || '*' }));
app.use(helmet());
app.use(express.json());
app.use(morgan('dev'));

app.post('/login', (req, res) => {
  res.json({ token: '123456' });
});

// ---- app-ws.js: the WebSocket side
function onError(ws, err) {
  console.error(`onError: ${err.message}`);
}

function onMessage(ws, data) {
  console.log(`onMessage: ${data}`);
  ws.send('recebido!');
}

function onConnection(ws, req) {
  ws.on('message', (data) => onMessage(ws, data));
  ws.on('error', (error) => onError(ws, error));
  console.log('onConnection');
}

// Sends to every open client (the article's asynchronous push).
function broadcast(jsonObject) {
  if (!this.clients) return;
  this.clients.forEach((client) => {
    if (client.readyState === WebSocket.OPEN) client.send(JSON.stringify(jsonObject));
  });
}

// Sends to one client (the article: keep each client's identity with its ws to reach it alone).
function direct(ws, jsonObject) {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(jsonObject));
}

function corsValidation(origin) {
  return process.env.CORS_ORIGIN === '*' || process.env.CORS_ORIGIN.startsWith(origin);
}

function verifyClient(info, callback) {
  if (!corsValidation(info.origin)) return callback(false);
  const token = info.req.url.split('token=')[1];
  if (token && token === '123456') return callback(true);
  return callback(false);
}

function appWs(server) {
  const wss = new WebSocket.Server({ server, verifyClient });
  wss.on('connection', onConnection);
  wss.broadcast = broadcast;
  wss.direct = direct;
  console.log('App Web Socket Server is running!');
  return wss;
}

// ---- index.js
const server = app.listen(process.env.PORT || 3000, process.env.HOST || '127.0.0.1', () => {
  console.log('App Express is running!');
});
appWs(server);
