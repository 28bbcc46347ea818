package dev.realtime.ws;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import dev.realtime.auth.HandshakeAuthenticator;
import dev.realtime.auth.Identity;
import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;
import dev.realtime.contract.Json;

/**
 * One WebSocket connection at {@code /} (a new instance per connection, so it can hold who is
 * on the other end). The handshake is authenticated here: an {@link ApiException} thrown from
 * {@link #onHttpUpgrade} becomes the 401 problem response and the connection is not upgraded.
 */
public final class RealtimeListener implements WsListener {
    private static final System.Logger LOG = System.getLogger(RealtimeListener.class.getName());

    private final HandshakeAuthenticator authenticator;
    private final SessionRegistry registry;
    private final int maxMessageBytes;
    private final Clock clock;
    private final StringBuilder fragments = new StringBuilder();
    private int fragmentBytes;
    /** Set once we sent a close frame: RFC 6455 allows no data frame after it, so later messages are dropped. */
    private boolean closing;
    private Identity identity;
    private ConnectedSession session;

    public RealtimeListener(HandshakeAuthenticator authenticator, SessionRegistry registry, int maxMessageBytes, Clock clock) {
        this.authenticator = authenticator;
        this.registry = registry;
        this.maxMessageBytes = maxMessageBytes;
        this.clock = clock;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        identity = authenticator.authenticate(prologue, headers);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession socket) {
        session = new ConnectedSession(UUID.randomUUID().toString(), identity, clock.instant(), socket);
        if (registry.isDraining()) {
            socket.close(WsCloseCodes.GOING_AWAY, "Server shutting down");
            return;
        }
        registry.add(session);
        LOG.log(Level.INFO, "WebSocket open: session {0}, user {1}", session.id(), session.user());
        send(new Outbound.Welcome(session));
    }

    @Override
    public void onMessage(WsSession socket, String text, boolean last) {
        session.markAlive();
        if (closing) {
            return;
        }
        fragmentBytes += utf8Length(text);
        if (fragmentBytes > maxMessageBytes) {
            fragments.setLength(0);
            fragmentBytes = 0;
            close(WsCloseCodes.TOO_BIG, "Message over " + maxMessageBytes + " bytes");
            return;
        }
        if (!last) {
            fragments.append(text);
            return;
        }
        String message = fragments.isEmpty() ? text : fragments.append(text).toString();
        fragments.setLength(0);
        fragmentBytes = 0;
        handle(message);
    }

    @Override
    public void onMessage(WsSession socket, BufferData buffer, boolean last) {
        close(WsCloseCodes.CANNOT_ACCEPT, "Binary frames are not supported; send JSON text");
    }

    @Override
    public void onPing(WsSession socket, BufferData buffer) {
        session.markAlive();
        socket.pong(buffer);
    }

    @Override
    public void onPong(WsSession socket, BufferData buffer) {
        session.markAlive();
    }

    @Override
    public void onClose(WsSession socket, int status, String reason) {
        registry.remove(session);
        LOG.log(Level.INFO, "WebSocket closed by client: session {0}, user {1}, code {2}",
                session.id(), session.user(), status);
    }

    @Override
    public void onError(WsSession socket, Throwable t) {
        // Only reached if a callback above throws; Helidon then closes with 1011.
        registry.remove(session);
        LOG.log(Level.ERROR, "WebSocket error: session " + (session == null ? "-" : session.id()), t);
    }

    private void handle(String text) {
        try {
            switch (Inbound.parse(text)) {
            case Inbound.EchoRequest echo -> send(new Outbound.Echo(echo.id(), echo.payload()));
            }
        } catch (ApiException e) {
            LOG.log(Level.DEBUG, "Rejected message on session {0}: {1}", session.id(), e.code().wireName());
            send(new Outbound.Error(e.code(), e.detail(), Inbound.idOf(text)));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Failed to handle a message on session " + session.id(), e);
            send(new Outbound.Error(ErrorCode.INTERNAL_ERROR, "The server could not handle this message.", Inbound.idOf(text)));
        }
    }

    private void send(Outbound message) {
        try {
            session.socket().send(Json.write(message), true);
        } catch (RuntimeException e) {
            // The peer is gone (Helidon gives listeners no callback for a dropped connection).
            registry.remove(session);
            LOG.log(Level.WARNING, "Send failed, dropping session {0} (user {1}): {2}",
                    session.id(), session.user(), e.getMessage());
        }
    }

    private void close(int code, String reason) {
        closing = true;
        LOG.log(Level.INFO, "Closing session {0} (user {1}) with {2}: {3}", session.id(), session.user(), code, reason);
        session.socket().close(code, reason);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
