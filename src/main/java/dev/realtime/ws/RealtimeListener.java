package dev.realtime.ws;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.UUID;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import dev.realtime.auth.VerifiedToken;
import dev.realtime.config.WsSettings;
import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;
import dev.realtime.history.Position;
import dev.realtime.limits.MessageRateLimit;
import dev.realtime.metrics.RealtimeMetrics;
import dev.realtime.ws.protocol.ServerCloseListener;
import dev.realtime.ws.protocol.Utf8Text;

/**
 * One WebSocket connection at {@code /} (a new instance per connection, so it can hold who is
 * on the other end). The handshake is authenticated here: an {@link ApiException} thrown from
 * {@link #onHttpUpgrade} becomes the 401 problem response and the connection is not upgraded.
 * The protocol engine ({@link dev.realtime.ws.protocol}) hands over whole, valid messages, answers
 * pings, and calls {@link #onClose} once however the connection ends.
 */
public final class RealtimeListener implements WsListener, Utf8Text.Listener, ServerCloseListener {
    private static final System.Logger LOG = System.getLogger(RealtimeListener.class.getName());

    private final RealtimeEndpoint endpoint;
    private final SessionRegistry registry;
    private final WsSettings settings;
    private final MessageRateLimit messageRate;
    /** Push requests a session may have waiting for the broker at once. */
    private static final int PUSHES_IN_FLIGHT = 16;
    private final Semaphore pushesInFlight = new Semaphore(PUSHES_IN_FLIGHT);
    private VerifiedToken token;
    private List<Position> resumeFrom = List.of();
    private ConnectedSession session;

    RealtimeListener(RealtimeEndpoint endpoint) {
        this.endpoint = endpoint;
        this.registry = endpoint.sessions();
        this.settings = endpoint.ws();
        this.messageRate = new MessageRateLimit(endpoint.limits());
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        token = endpoint.authenticator().handshake(prologue, headers);
        resumeFrom = ResumeRequest.of(prologue, token.identity());
        endpoint.connectionLimits().checkRoomFor(token.identity());
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession socket) {
        String id = UUID.randomUUID().toString();
        session = new ConnectedSession(id, token, endpoint.clock().instant(), socket, settings.outboxCapacity(),
                                       this::slowConsumer);
        if (registry.isDraining()) {
            session.closeWith(WsCloseCodes.GOING_AWAY, "Server shutting down");
            session.closed();
            return;
        }
        // The upgrade is in the access log (101); one INFO line per session comes when it ends, with how long it lasted.
        LOG.log(Level.DEBUG, "WebSocket open: session {0}, user {1}", session.id(), session.user());
        // The welcome (and what a resuming client missed) is queued first, but written only once the session is
        // registered: a client that has its welcome is reachable by every push (and listed), and nothing reaches it
        // before its welcome.
        if (endpoint.hub().admit(session, resumeFrom,
                                 (streams, recovery) -> reply(new Outbound.Welcome(session, endpoint.hub().instanceId(),
                                                                                   streams, recovery)))) {
            session.start();
        }
    }

    /**
     * A whole text message, as the UTF-8 bytes it came in: the engine reassembles fragments, validates UTF-8 and
     * enforces the size limit; the bytes are parsed where they lie (and valid only during this call).
     */
    @Override
    public void onText(WsSession socket, byte[] utf8, int offset, int length) {
        session.markAlive();
        handle(utf8, offset, length);
    }

    @Override
    public void onMessage(WsSession socket, BufferData buffer, boolean last) {
        session.markAlive();
        session.closeWith(WsCloseCodes.CANNOT_ACCEPT, "Binary frames are not supported; send JSON text");
    }

    /** The engine has answered it already. */
    @Override
    public void onPing(WsSession socket, BufferData buffer) {
        session.markAlive();
    }

    @Override
    public void onPong(WsSession socket, BufferData buffer) {
        session.markAlive();
    }

    /**
     * The connection ended, however it ended: the peer's close handshake (its code), or no close frame
     * from the peer at all (1006: a reset, end of stream, a protocol error we closed, a timeout).
     */
    @Override
    public void onClose(WsSession socket, int status, String reason) {
        if (session == null) {
            return; // onOpen never ran
        }
        registry.remove(session);
        LOG.log(Level.INFO, "WebSocket closed: session {0}, user {1}, code {2}, after {3}", session.id(), session.user(),
                String.valueOf(status), Duration.between(session.connectedAt(), endpoint.clock().instant()));
    }

    /** Every close frame the server sends on its own initiative comes through here: logged and counted once. */
    @Override
    public void onServerClose(WsSession socket, int code, String reason) {
        if (session != null) {
            session.closed();
        }
        RealtimeMetrics.serverClose(code);
        LOG.log(Level.INFO, "Closing session {0} (user {1}) with {2}: {3}",
                session == null ? "-" : session.id(), session == null ? "-" : session.user(), String.valueOf(code), reason);
    }

    @Override
    public void onError(WsSession socket, Throwable t) {
        // A callback above threw; the engine then closes with 1011 and calls onClose.
        LOG.log(Level.ERROR, "WebSocket error: session " + (session == null ? "-" : session.id()), t);
    }

    private void handle(byte[] utf8, int offset, int length) {
        switch (messageRate.next()) {
        case ACCEPT -> dispatch(utf8, offset, length);
        case REFUSE -> error(ErrorCode.RATE_LIMITED, "Over " + endpoint.limits().messagesPerSecond()
                + " messages per second; this one was not acted on. Keep going and the connection is closed.",
                              Inbound.idOf(utf8, offset, length));
        case CLOSE -> session.closeWith(WsCloseCodes.VIOLATED_POLICY, "Message rate exceeded");
        }
    }

    private void dispatch(byte[] utf8, int offset, int length) {
        try {
            Inbound message = Inbound.parse(utf8, offset, length);
            RealtimeMetrics.messageIn(typeOf(message));
            switch (message) {
            case Inbound.EchoRequest echo -> reply(new Outbound.Echo(echo.id(), echo.payload()));
            case Inbound.BroadcastRequest broadcast -> broadcast(broadcast);
            case Inbound.DirectRequest direct -> direct(direct);
            case Inbound.PresenceSubscription subscription -> {
                endpoint.hub().presenceEvents(session, subscription.on());
                reply(Outbound.Ack.of(subscription.id()));
            }
            case Inbound.RefreshRequest refresh -> refresh(refresh);
            }
        } catch (ApiException e) {
            LOG.log(Level.DEBUG, "Rejected message on session {0}: {1}", session.id(), e.code().wireName());
            error(e.code(), e.detail(), Inbound.idOf(utf8, offset, length));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Failed to handle a message on session " + session.id(), e);
            error(ErrorCode.INTERNAL_ERROR, "The server could not handle this message.", Inbound.idOf(utf8, offset, length));
        }
    }

    private void broadcast(Inbound.BroadcastRequest request) {
        session.identity().requireRole(endpoint.push().broadcastRole());
        answer(request.id(), endpoint.hub().broadcast(session.user(), request.payload())
                .thenApply(delivery -> Outbound.Ack.of(request.id(), delivery)));
    }

    /** A new token for this session's user: the session lives on until it expires, with its roles. */
    private void refresh(Inbound.RefreshRequest request) {
        VerifiedToken newToken = endpoint.authenticator().token(request.token());
        if (!newToken.identity().user().equals(session.user())) {
            throw new ApiException(ErrorCode.FORBIDDEN, "A refresh token must be for this session's user, "
                    + session.user() + "; the session keeps its token.");
        }
        session.refreshed(newToken);
        LOG.log(Level.DEBUG, "Session {0} (user {1}) refreshed its token, now expiring at {2}", session.id(), session.user(),
                newToken.expiresAt());
        reply(Outbound.Ack.refreshed(request.id(), session));
    }

    private void direct(Inbound.DirectRequest request) {
        answer(request.id(), endpoint.hub().direct(session.user(), request.to(), request.payload()).thenApply(delivery -> {
            if (delivery.delivered() == 0 && delivery.degraded()) {
                return errorMessage(ErrorCode.BACKPLANE_UNAVAILABLE, "'" + request.to() + "' is not on this instance, and the "
                        + "other instances cannot be reached now; only sessions that resume will get it.", request.id());
            }
            if (delivery.delivered() == 0) {
                return errorMessage(ErrorCode.USER_NOT_CONNECTED, "'" + request.to() + "' has no open session; the message is "
                        + "kept for a session of theirs that resumes.", request.id());
            }
            return Outbound.Ack.of(request.id(), delivery);
        }));
    }

    /**
     * The answer to a push request: written at once when it is ready now (one instance: the message was delivered
     * before the hub returned), else queued when the broker has it (a cluster: the connection goes on reading
     * meanwhile, so that one sender's messages do not each wait for Redis's round trip).
     */
    private void answer(String id, CompletableFuture<Outbound> answer) {
        if (answer.isDone() && !answer.isCompletedExceptionally()) {
            reply(answer.join());
            return;
        }
        // At most PUSHES_IN_FLIGHT unanswered: past that, this connection is not read until one is answered, so a
        // client that sends faster than the cluster delivers is slowed down by TCP instead of piling up answers.
        pushesInFlight.acquireUninterruptibly();
        answer.whenComplete((message, failure) -> {
            pushesInFlight.release();
            if (failure != null) {
                LOG.log(Level.ERROR, "Failed to push a message of session " + session.id(), failure);
                message = errorMessage(ErrorCode.INTERNAL_ERROR, "The server could not handle this message.", id);
            }
            if (session.send(message.frame())) {
                RealtimeMetrics.messagesOut(message.type(), 1);
            }
        });
    }

    private void error(ErrorCode code, String detail, String id) {
        reply(errorMessage(code, detail, id));
    }

    private static Outbound errorMessage(ErrorCode code, String detail, String id) {
        RealtimeMetrics.error(code.wireName());
        return new Outbound.Error(code, detail, id);
    }

    private void reply(Outbound message) {
        if (session.reply(message.frame())) {
            RealtimeMetrics.messagesOut(message.type(), 1);
        }
    }

    private void slowConsumer() {
        RealtimeMetrics.slowConsumerClosed();
        registry.remove(session);
    }

    private static String typeOf(Inbound message) {
        return switch (message) {
            case Inbound.EchoRequest e -> "echo";
            case Inbound.BroadcastRequest b -> "broadcast";
            case Inbound.DirectRequest d -> "direct";
            case Inbound.PresenceSubscription s -> s.on() ? "subscribe" : "unsubscribe";
            case Inbound.RefreshRequest r -> "refresh";
        };
    }
}
