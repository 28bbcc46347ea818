// The realtime-service web console: log in with POST /login (openapi.yaml), then talk over the
// WebSocket at / (asyncapi.yaml). The token lives only in the variable `token` of this module: never
// in localStorage, sessionStorage or a cookie, so it is gone with the tab and no other page can read it.

// What the client sends, shaped as asyncapi.yaml's ClientMessage (Echo, BroadcastRequest, DirectRequest,
// Subscribe, Unsubscribe, Refresh). Each payload is an object with the typed text, as in the document's examples.
const outgoing = {
    echo: (id, text) => ({type: 'echo', id, payload: {text}}),
    broadcast: (id, text) => ({type: 'broadcast', id, payload: {text}}),
    direct: (id, to, text) => ({type: 'direct', id, to, payload: {text}}),
    subscribe: (id, topic) => ({type: 'subscribe', id, topic}),
    unsubscribe: (id, topic) => ({type: 'unsubscribe', id, topic}),
    refresh: (id, newToken) => ({type: 'refresh', id, token: newToken}),
};

// Close codes in plain words: the server's (x-close-codes in asyncapi.yaml), plus 1006, which the browser
// reports by itself when a connection ends without a close frame or the handshake is refused.
const CLOSE_CODES = {
    1000: 'closed normally',
    1001: 'server shutting down (or it did not hear from this browser in time)',
    1003: 'the server only takes JSON text messages',
    1006: 'the connection was lost, or the server refused to open it',
    1008: 'you were too slow to read your messages, so the server dropped you',
    1009: 'message too big for the server',
    1011: 'the server hit an internal error',
    4001: 'your token expired and could not be refreshed',
};

// Reconnecting after these would only repeat what caused them: the user decides (Reconnect button).
const NO_RECONNECT = new Set([1000, 1003, 1008, 1009]);
// Back-off for unexpected drops: 1 s, 2 s, 4 s ... capped at 30 s, each delay drawn at random from the upper
// half of its step, so that the consoles a server restart dropped together do not all come back at once.
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 30000;
// The log keeps this many entries, so that a console left open for days stays small.
const LOG_LIMIT = 500;

const $ = (id) => document.getElementById(id);

let token = null;
let tokenExpiresAt = 0;
let socket = null;
let retries = 0; // reconnect attempts since the last welcome
let retryTimer = null;
let sent = 0;
/** stream name → the last position seen of it (welcome, then each broadcast and direct): where a reconnect resumes. */
let positions = new Map();

$('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    showProblem('login-error', null);
    const username = $('username').value;
    let response;
    try {
        response = await fetch('/login', {
            method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({username, password: $('password').value}),
        });
    } catch (e) {
        showProblem('login-error', `The server cannot be reached (${e.message}).`);
        return;
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
        showProblem('login-error', `Log-in refused: ${problemInWords(response, body)}`);
        log('problem', `POST /login answered ${response.status}`, body && JSON.stringify(body));
        return;
    }
    $('password').value = '';
    token = body.token;
    tokenExpiresAt = Date.now() + body.expiresIn * 1000;
    log('info', `Logged in as ${username}; the token is valid for ${body.expiresIn} s.`);
    showSession(true);
    retries = 0;
    connect();
});

$('logout').addEventListener('click', () => logout());

$('reconnect').addEventListener('click', () => {
    retries = 0;
    connect();
});

$('echo-form').addEventListener('submit', (event) => {
    event.preventDefault();
    send(outgoing.echo, $('echo-text').value);
});

$('broadcast-form').addEventListener('submit', (event) => {
    event.preventDefault();
    send(outgoing.broadcast, $('broadcast-text').value);
});

$('direct-form').addEventListener('submit', (event) => {
    event.preventDefault();
    send(outgoing.direct, $('direct-to').value, $('direct-text').value);
});

$('presence').addEventListener('change', () => {
    // Without an open socket there is nothing to tell: the next welcome subscribes if the box is ticked.
    if (isOpen()) {
        send($('presence').checked ? outgoing.subscribe : outgoing.unsubscribe, 'presence');
    }
});

$('clear-log').addEventListener('click', () => $('log').replaceChildren());

function connect() {
    clearTimeout(retryTimer);
    if (Date.now() >= tokenExpiresAt) {
        logout('Your token has expired: log in again.');
        return;
    }
    const url = new URL('/', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    for (const p of positions.values()) {
        if (p.epoch) { // no epoch: the server could not read its history then; nothing to resume from
            url.searchParams.append('since', `${p.stream}:${p.epoch}:${p.offset}`);
        }
    }
    setStatus('Connecting…');
    showProblem('connection-problem', null);
    $('reconnect').hidden = true;
    const ws = new WebSocket(url);
    socket = ws;
    let opened = false;
    ws.addEventListener('open', () => {
        opened = true;
    });
    ws.addEventListener('message', (event) => receive(event.data));
    ws.addEventListener('close', (event) => closed(ws, event, opened));
}

function closed(ws, event, opened) {
    if (ws !== socket) {
        return; // logged out, or already replaced
    }
    socket = null;
    const words = `${event.code} — ${CLOSE_CODES[event.code] ?? 'no description'}${event.reason ? ` (“${event.reason}”)` : ''}`;
    log('problem', `Connection closed: ${words}`);
    if (event.code === 4001) {
        logout('Your token has expired: log in again.');
        return;
    }
    // A connection that never opened on the first try is a refused handshake, and trying again will not help.
    const retry = !NO_RECONNECT.has(event.code) && (opened || retries > 0);
    if (!retry) {
        const hint = opened ? '' : ` Is ${location.origin} an allowed origin (CORS_ORIGIN)?`;
        showProblem('connection-problem', `Disconnected: ${words}.${hint}`);
        setStatus('Not connected.');
        $('reconnect').hidden = false;
        return;
    }
    retries++;
    const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retries - 1));
    const delay = step / 2 + Math.random() * step / 2;
    setStatus(`Connection lost (${words}). Reconnecting in ${(delay / 1000).toFixed(1)} s (attempt ${retries})…`);
    retryTimer = setTimeout(connect, delay);
}

/** Forgets the token and closes the socket; `problem` says why, when it was not the user's choice. */
function logout(problem = null) {
    token = null;
    clearTimeout(retryTimer);
    if (socket) {
        const ws = socket;
        socket = null;
        ws.close(1000, 'logout');
    }
    positions = new Map(); // the next login starts afresh
    log(problem ? 'problem' : 'info', problem ?? 'Logged out.');
    showSession(false);
    showProblem('login-error', problem);
}

function send(build, ...args) {
    if (!isOpen()) {
        log('problem', 'Not connected: nothing was sent.');
        return;
    }
    // Ids name the request (echo-1, broadcast-2 ...), so an ack or error says in itself what it answers.
    const message = build(`${build.name}-${++sent}`, ...args);
    socket.send(JSON.stringify(message));
    // A token is never shown, not even in the log.
    const shown = message.token ? {...message, token: '…'} : message;
    log('out', `${message.type} ${message.id}`, JSON.stringify(shown));
}

/** Asked by token_expiring: a new token from POST /login/refresh, handed to the open session with refresh. */
async function refreshToken() {
    let response;
    try {
        response = await fetch('/login/refresh', {method: 'POST', headers: {Authorization: `Bearer ${token}`}});
    } catch (e) {
        log('problem', `The token could not be refreshed (${e.message}); the session ends when it expires.`);
        return;
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
        log('problem', `The token could not be refreshed: ${problemInWords(response, body)}. The session ends when it expires.`);
        return;
    }
    token = body.token;
    tokenExpiresAt = Date.now() + body.expiresIn * 1000;
    log('info', `Token refreshed by the console; the new one is valid for ${body.expiresIn} s.`);
    send(outgoing.refresh, token);
}

function receive(text) {
    let message;
    try {
        message = JSON.parse(text);
    } catch {
        log('problem', 'The server sent something that is not JSON', text);
        return;
    }
    log(message.type === 'error' ? 'in problem' : 'in', describe(message), text);
    if (message.stream) {
        positions.set(message.stream, {stream: message.stream, epoch: message.epoch, offset: message.offset});
    }
    if (message.type === 'welcome') {
        retries = 0;
        positions = new Map(message.streams.map((p) => [p.stream, p]));
        if (message.recovery) {
            logRecovery(message.recovery);
        }
        showWelcome(message);
        if ($('presence').checked) {
            send(outgoing.subscribe, 'presence');
        }
    }
    if (message.type === 'token_expiring') {
        refreshToken();
    }
}

/** What a resume after a reconnect recovered, in words; what it could not, with why, so the user knows to reload. */
function logRecovery(recovery) {
    if (recovery.recovered) {
        log('info', `Recovered ${recovery.replayed} message(s) missed while disconnected.`);
        return;
    }
    const lost = recovery.streams.filter((s) => !s.recovered).map((s) => `${s.stream} (${s.reason})`).join(', ');
    log('problem', `Recovered ${recovery.replayed} message(s), but not everything missed while disconnected: ${lost}. `
        + 'Messages may be missing; reload what you show from its source.');
}

/** One line in plain words for each ServerMessage of asyncapi.yaml. */
function describe(m) {
    switch (m.type) {
        case 'welcome':
            return `Welcome, ${m.user} (session ${m.sessionId})`;
        case 'echo':
            return `Echo reply to ${m.id}`;
        case 'broadcast':
            return `Broadcast from ${m.from}`;
        case 'direct':
            return `Direct message from ${m.from}`;
        case 'ack':
            if (m.tokenExpiresAt) {
                return `Session token replaced (${m.id}): the session lasts until ${m.tokenExpiresAt}`;
            }
            return m.delivered === undefined ? `Done: ${m.id}` : `${m.id} reached ${m.delivered} session(s)`;
        case 'token_expiring':
            return `The session's token expires at ${m.expiresAt}; refreshing it`;
        case 'presence':
            return `${m.user} ${m.event === 'join' ? 'connected' : 'disconnected'} (session ${m.sessionId})`;
        case 'tick':
            return `Tick: ${m.sessions} session(s) open`;
        case 'error':
            return `Error ${m.code}${m.id ? ` on ${m.id}` : ''}: ${m.message}`;
        default:
            return `Message of type ${m.type}`;
    }
}

function problemInWords(response, problem) {
    if (problem && problem.code) {
        return `${problem.detail ?? problem.title} (${problem.code}, HTTP ${response.status})`;
    }
    return `HTTP ${response.status} ${response.statusText}`;
}

function isOpen() {
    return socket !== null && socket.readyState === WebSocket.OPEN;
}

function showSession(loggedIn) {
    $('login').hidden = loggedIn;
    $('session').hidden = !loggedIn;
    if (!loggedIn) {
        setStatus('Not connected.');
        showWelcome({user: '', roles: [], sessionId: '', connectedAt: ''});
        showProblem('connection-problem', null);
        $('username').focus();
    }
}

function showWelcome(w) {
    $('welcome-user').textContent = w.user;
    $('welcome-roles').textContent = w.roles.join(', ') || '(none)';
    $('welcome-session').textContent = w.sessionId;
    $('welcome-at').textContent = w.connectedAt;
    if (w.user) {
        setStatus(`Connected as ${w.user}.`);
    }
}

function showProblem(id, text) {
    $(id).textContent = text ?? '';
    $(id).hidden = !text;
}

function setStatus(text) {
    $('status').textContent = text;
}

/** A log line: time, direction, plain words and, for messages, the JSON as sent or received. */
function log(kind, words, json) {
    const now = new Date();
    const entry = document.createElement('li');
    entry.className = kind;
    const time = document.createElement('time');
    time.dateTime = now.toISOString();
    time.textContent = `${now.toTimeString().slice(0, 8)}.${String(now.getMilliseconds()).padStart(3, '0')}`;
    const direction = document.createElement('span');
    direction.className = 'direction';
    direction.textContent = kind.startsWith('in') ? '← in' : kind === 'out' ? '→ out' : '•';
    entry.append(time, ' ', direction, ' ', words);
    if (json) {
        const code = document.createElement('code');
        code.textContent = json;
        entry.append(' ', code);
    }
    const list = $('log');
    list.append(entry);
    while (list.childElementCount > LOG_LIMIT) {
        list.firstElementChild.remove();
    }
    list.scrollTop = list.scrollHeight; // the newest entry in view, without scrolling the page
}
