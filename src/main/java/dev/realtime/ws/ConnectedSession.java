package dev.realtime.ws;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;

import dev.realtime.auth.Identity;
import dev.realtime.auth.VerifiedToken;
import dev.realtime.cluster.SessionInfo;
import dev.realtime.history.History;
import dev.realtime.history.Position;
import dev.realtime.ws.protocol.TextFrame;

/**
 * One open WebSocket connection: who it belongs to (and until when: its token's expiry, moved by a
 * {@code refresh}), its outbound queue, and whether it answered the last ping.
 */
public final class ConnectedSession {
    private static final System.Logger LOG = System.getLogger(ConnectedSession.class.getName());

    private final String id;
    /** The user never changes; its roles and the token's expiry do, with a {@code refresh}. */
    private volatile VerifiedToken token;
    private final AtomicBoolean expiryWarned = new AtomicBoolean();
    private final Instant connectedAt;
    private final WsSession socket;
    private final Outbox outbox;
    private final Runnable onSlowConsumer;
    private final AtomicBoolean pingUnanswered = new AtomicBoolean();
    private final AtomicBoolean slow = new AtomicBoolean();
    /** The last position of the broadcast stream and of the user's stream this session was given (under their locks). */
    private Position broadcastSeen;
    private Position ownSeen;

    /**
     * @param onSlowConsumer called once if the outbound queue overflows (before the session is closed with 1008)
     */
    ConnectedSession(String id, VerifiedToken token, Instant connectedAt, WsSession socket, int outboxCapacity,
                     Runnable onSlowConsumer) {
        this.id = id;
        this.token = token;
        this.connectedAt = connectedAt;
        this.socket = socket;
        this.onSlowConsumer = onSlowConsumer;
        this.outbox = new Outbox(socket, outboxCapacity, id, this::disconnect);
    }

    /** The session id: a random UUID, as {@code welcome.sessionId} says. */
    public String id() {
        return id;
    }

    /** The user and roles of its current token. */
    public Identity identity() {
        return token.identity();
    }

    /** The user it belongs to (a refresh never changes it). */
    public String user() {
        return token.identity().user();
    }

    /** When its current token expires, and the session with it unless it refreshes. */
    public Instant tokenExpiresAt() {
        return token.expiresAt();
    }

    /** The session goes on with a new token for its user (the caller checked the user). */
    void refreshed(VerifiedToken newToken) {
        token = newToken;
        expiryWarned.set(false);
    }

    /** @return true the first time it is called for the current token */
    boolean startExpiryWarning() {
        return !expiryWarned.getAndSet(true);
    }

    /** When it opened. */
    public Instant connectedAt() {
        return connectedAt;
    }

    /** What the other instances are told of this session. */
    public SessionInfo info() {
        return new SessionInfo(id, user(), connectedAt);
    }

    /** Sends a ping (the keepalive's); blocks while the peer's receive window is full. */
    void ping() {
        socket.ping(BufferData.empty());
    }

    /** Writes the messages queued so far, on the calling (connection) thread, and lets the next ones be written. */
    void start() {
        outbox.start();
    }

    /**
     * Queues a message for this session, sent from any thread; the caller never waits for the peer. If
     * the queue is full the session is a slow consumer: it is closed with 1008 and the message is not delivered.
     *
     * @return whether the message was queued
     */
    public boolean send(TextFrame message) {
        return accepted(outbox.push(message));
    }

    /** As {@link #send}, for the session's own connection thread: written right away when nothing is queued. */
    boolean reply(TextFrame message) {
        return accepted(outbox.reply(message));
    }

    private boolean accepted(boolean queued) {
        // A session that closed meanwhile (a fan-out works on a snapshot) is not a slow consumer.
        if (!queued && !outbox.isClosed() && slow.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "Slow consumer: session {0} (user {1}) did not keep up; closing with 1008", id, user());
            onSlowConsumer.run();
            closeUnresponsive(WsCloseCodes.VIOLATED_POLICY, "Slow consumer: outbound queue full");
        }
        return queued;
    }

    /**
     * Records that the session is given the message at {@code position} (or, from its welcome, stands there).
     *
     * @return false if it was given that message, or a later one of the same epoch, already (a resume's replay
     *         and the live messages that overlap it): not to be sent again
     */
    boolean saw(Position position) {
        boolean broadcast = History.BROADCAST.equals(position.stream());
        Position last = broadcast ? broadcastSeen : ownSeen;
        if (last != null && last.epoch().equals(position.epoch()) && last.offset() >= position.offset()) {
            return false;
        }
        if (broadcast) {
            broadcastSeen = position;
        } else {
            ownSeen = position;
        }
        return true;
    }

    /** Any frame from the peer proves it is alive. */
    void markAlive() {
        pingUnanswered.set(false);
    }

    /**
     * Marks a ping as sent.
     *
     * @return false if the previous ping is still unanswered (the peer is gone or stuck)
     */
    boolean startPing() {
        return !pingUnanswered.getAndSet(true);
    }

    /**
     * Sends a close frame after dropping whatever is still queued (the engine writes no data frame after
     * it, and reports the close to {@link RealtimeListener#onServerClose}, which logs and counts it).
     */
    public void closeWith(int code, String reason) {
        outbox.close();
        socket.close(code, reason);
    }

    /**
     * Closes a peer that may not be reading (its queue overflowed, or it stopped answering pings), or one a timer
     * closes (its token expired), which must not wait on any one peer: the close
     * frame may wait behind a frame stuck in the socket, so it is sent off the caller's thread; the engine
     * cuts the TCP connection if the close handshake is not done within its close timeout.
     */
    void closeUnresponsive(int code, String reason) {
        outbox.close();
        Thread.ofVirtual().name("ws-close-" + id).start(() -> {
            try {
                socket.close(code, reason);
            } catch (RuntimeException e) {
                disconnect(); // the connection is already broken
            }
        });
    }

    /** The connection ended (or is ending): write nothing more. */
    void closed() {
        outbox.close();
    }

    /** Cuts the TCP connection (the peer is gone, or would not take its close frame). */
    private void disconnect() {
        outbox.close();
        if (socket.socketContext() instanceof ConnectionContext connection) {
            try {
                connection.serverSocket().close();
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Closing the socket of session " + id + " failed", e);
            }
        }
    }
}
