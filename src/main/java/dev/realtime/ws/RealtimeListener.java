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

import dev.realtime.auth.Identity;
import dev.realtime.auth.RequestAuthenticator;
import dev.realtime.config.PushSettings;
import dev.realtime.config.WsSettings;
import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;
import dev.realtime.contract.Json;
import dev.realtime.metrics.RealtimeMetrics;

/**
 * One WebSocket connection at {@code /} (a new instance per connection, so it can hold who is
 * on the other end). The handshake is authenticated here: an {@link ApiException} thrown from
 * {@link #onHttpUpgrade} becomes the 401 problem response and the connection is not upgraded.
 */
public final class RealtimeListener implements WsListener {
    private static final System.Logger LOG = System.getLogger(RealtimeListener.class.getName());

    private final RequestAuthenticator authenticator;
    private final SessionRegistry registry;
    private final MessageHub hub;
    private final WsSettings settings;
    private final PushSettings push;
    private final Clock clock;
    private final StringBuilder fragments = new StringBuilder();
    private int fragmentBytes;
    /** Set once we sent a close frame: RFC 6455 allows no data frame after it, so later messages are dropped. */
    private boolean closing;
    private Identity identity;
    private ConnectedSession session;

    public RealtimeListener(RequestAuthenticator authenticator, SessionRegistry registry, MessageHub hub,
                            WsSettings settings, PushSettings push, Clock clock) {
        this.authenticator = authenticator;
        this.registry = registry;
        this.hub = hub;
        this.settings = settings;
        this.push = push;
        this.clock = clock;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        identity = authenticator.handshake(prologue, headers);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession socket) {
        String id = UUID.randomUUID().toString();
        session = new ConnectedSession(id, identity, clock.instant(), socket, settings.outboxCapacity(), this::slowConsumer);
        if (registry.isDraining()) {
            socket.close(WsCloseCodes.GOING_AWAY, "Server shutting down");
            return;
        }
        LOG.log(Level.INFO, "WebSocket open: session {0}, user {1}", session.id(), session.user());
        // The welcome is queued first, but written only once the session is registered: a client that has its
        // welcome is reachable by every push (and listed), and nothing reaches it before its welcome.
        reply(new Outbound.Welcome(session));
        registry.add(session);
        session.start();
    }

    @Override
    public void onMessage(WsSession socket, String text, boolean last) {
        session.markAlive();
        if (closing) {
            return;
        }
        fragmentBytes += text.getBytes(StandardCharsets.UTF_8).length;
        if (fragmentBytes > settings.maxMessageBytes()) {
            fragments.setLength(0);
            fragmentBytes = 0;
            close(WsCloseCodes.TOO_BIG, "Message over " + settings.maxMessageBytes() + " bytes");
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
        session.markAlive();
        if (!closing) {
            close(WsCloseCodes.CANNOT_ACCEPT, "Binary frames are not supported; send JSON text");
        }
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
        if (session != null) {
            registry.remove(session);
        }
        LOG.log(Level.ERROR, "WebSocket error: session " + (session == null ? "-" : session.id()), t);
    }

    private void handle(String text) {
        try {
            Inbound message = Inbound.parse(text);
            RealtimeMetrics.messageIn(typeOf(message));
            switch (message) {
            case Inbound.EchoRequest echo -> reply(new Outbound.Echo(echo.id(), echo.payload()));
            case Inbound.BroadcastRequest broadcast -> broadcast(broadcast);
            case Inbound.DirectRequest direct -> direct(direct);
            case Inbound.PresenceSubscription subscription -> {
                session.presenceSubscriber(subscription.on());
                reply(new Outbound.Ack(subscription.id(), null));
            }
            }
        } catch (ApiException e) {
            LOG.log(Level.DEBUG, "Rejected message on session {0}: {1}", session.id(), e.code().wireName());
            error(e.code(), e.detail(), Inbound.idOf(text));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Failed to handle a message on session " + session.id(), e);
            error(ErrorCode.INTERNAL_ERROR, "The server could not handle this message.", Inbound.idOf(text));
        }
    }

    private void broadcast(Inbound.BroadcastRequest request) {
        if (!session.identity().hasRole(push.broadcastRole())) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Broadcasting needs the '" + push.broadcastRole() + "' role.");
        }
        reply(new Outbound.Ack(request.id(), hub.broadcast(session.user(), request.payload())));
    }

    private void direct(Inbound.DirectRequest request) {
        int delivered = hub.direct(session.user(), request.to(), request.payload());
        if (delivered == 0) {
            throw new ApiException(ErrorCode.USER_NOT_CONNECTED, "'" + request.to() + "' has no open session.");
        }
        reply(new Outbound.Ack(request.id(), delivered));
    }

    private void error(ErrorCode code, String detail, String id) {
        RealtimeMetrics.error(code.wireName());
        reply(new Outbound.Error(code, detail, id));
    }

    private void reply(Outbound message) {
        if (session.send(Json.write(message))) {
            RealtimeMetrics.messagesOut(message.type(), 1);
        }
    }

    private void slowConsumer() {
        RealtimeMetrics.slowConsumerClosed();
        registry.remove(session);
    }

    private void close(int code, String reason) {
        closing = true;
        LOG.log(Level.INFO, "Closing session {0} (user {1}) with {2}: {3}", session.id(), session.user(), code, reason);
        session.closeWith(code, reason);
    }

    private static String typeOf(Inbound message) {
        return switch (message) {
            case Inbound.EchoRequest e -> "echo";
            case Inbound.BroadcastRequest b -> "broadcast";
            case Inbound.DirectRequest d -> "direct";
            case Inbound.PresenceSubscription s -> s.on() ? "subscribe" : "unsubscribe";
        };
    }
}
