package dev.realtime.ws.protocol;

import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.NotFoundException;
import io.helidon.http.RequestException;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1RoutedUpgrade;
import io.helidon.webserver.http1.spi.Http1RoutedUpgrader;
import io.helidon.webserver.http1.spi.Http1UpgradeResponse;
import io.helidon.webserver.http1.spi.Http1UpgradeResult;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRoute;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.webserver.websocket.WsUpgrader;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsUpgradeException;

/**
 * The opening handshake (RFC 6455 section 4.2), as Helidon's: the route from the application's
 * {@link WsRouting}, GET only, a 16-byte {@code Sec-WebSocket-Key}, version 13, the {@code Origin}
 * checked against {@link WsConfig#origins()} (Helidon's own check, inherited), and the upgrade run
 * through the HTTP routing's filters and error handlers (Helidon's routed upgrade), so that an
 * exception thrown by {@link WsListener#onHttpUpgrade} becomes the routing's error response. Only the
 * connection it hands over is ours: {@link WebSocketConnection}.
 */
final class WebSocketUpgrader extends WsUpgrader implements Http1RoutedUpgrader {
    private static final Headers NO_HEADERS = WritableHeaders.create();
    private static final HeaderName ACCEPT = HeaderNames.create("Sec-WebSocket-Accept");

    private final int maxMessageBytes;
    private final MessageBuffers buffers;

    WebSocketUpgrader(WsConfig config) {
        super(config);
        this.maxMessageBytes = config.maxFrameLength();
        this.buffers = new MessageBuffers(maxMessageBytes);
    }

    @Override
    public Optional<Http1RoutedUpgrade> routedUpgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        WsRoute route;
        try {
            route = ctx.router().routing(WsRouting.class, WsRouting.empty()).findRoute(prologue);
        } catch (NotFoundException e) {
            return Optional.empty(); // not a WebSocket path: ordinary HTTP routing answers
        }
        String key = validate(ctx, prologue, headers);
        return Optional.of((response, requestHeaders) -> upgrade(ctx, prologue, requestHeaders, response, route, key));
    }

    /** Helidon calls {@link #routedUpgrade} on this upgrader, never this. */
    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        throw new UnsupportedOperationException("WebSocket upgrades go through the HTTP routing (routedUpgrade)");
    }

    private Http1UpgradeResult upgrade(ConnectionContext ctx, HttpPrologue prologue, Headers headers,
                                       Http1UpgradeResponse response, WsRoute route, String key) {
        if (!isWebSocketUpgrade(headers)) {
            return Http1UpgradeResult.notApplicable();
        }
        WsListener listener = route.listener();
        Optional<Headers> listenerHeaders;
        try {
            listenerHeaders = Objects.requireNonNull(listener.onHttpUpgrade(prologue, headers));
        } catch (WsUpgradeException e) {
            response.send(Status.BAD_REQUEST_400);
            return Http1UpgradeResult.responded();
        }
        ServerResponseHeaders switching = ServerResponseHeaders.create();
        listenerHeaders.ifPresent(switching::from);
        switching.set(HeaderValues.create(HeaderNames.CONNECTION, "Upgrade"));
        switching.set(HeaderValues.create(HeaderNames.UPGRADE, "websocket"));
        switching.set(HeaderValues.create(ACCEPT, hash(ctx, key)));
        response.sendSwitchingProtocols(switching);
        return Http1UpgradeResult.upgraded(
                new WebSocketConnection(ctx, prologue, listenerHeaders.orElse(NO_HEADERS), listener, maxMessageBytes, buffers));
    }

    /** @return the {@code Sec-WebSocket-Key}; a request that cannot be a valid handshake is refused with 400 (or 403) */
    private String validate(ConnectionContext ctx, HttpPrologue prologue, Headers headers) {
        if (prologue.method() != Method.GET) {
            throw badRequest("WebSocket upgrade must use GET");
        }
        String key = headers.first(WS_KEY).orElseThrow(() -> badRequest("Missing Sec-WebSocket-Key header"));
        if (!isNonce(key)) {
            throw badRequest("Invalid Sec-WebSocket-Key header");
        }
        String version = headers.first(WS_VERSION).orElse(SUPPORTED_VERSION);
        if (!SUPPORTED_VERSION.equals(version)) {
            throw RequestException.builder()
                    .type(DirectHandler.EventType.BAD_REQUEST)
                    .message("Unsupported WebSocket Version")
                    .header(SUPPORTED_VERSION_HEADER)
                    .build();
        }
        headers.first(HeaderNames.ORIGIN).ifPresent(origin -> validateOrigin(ctx, headers, origin));
        return key;
    }

    /**
     * The service's own origin (see {@link SameOrigin}) or one of {@link WsConfig#origins()}; Helidon's own check
     * takes the first only when no origins are configured.
     */
    private void validateOrigin(ConnectionContext ctx, Headers headers, String origin) {
        if (!origins().contains(origin) && !SameOrigin.matches(origin, headers.first(HeaderNames.HOST), ctx.isSecure())) {
            throw RequestException.builder()
                    .type(DirectHandler.EventType.FORBIDDEN)
                    .message("Invalid Origin")
                    .build();
        }
    }

    /** RFC 6455 4.1: the key is 16 random bytes, base64-encoded. */
    private static boolean isNonce(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static RequestException badRequest(String message) {
        return RequestException.builder()
                .type(DirectHandler.EventType.BAD_REQUEST)
                .message(message)
                .build();
    }
}
