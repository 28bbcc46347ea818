package dev.realtime.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

import dev.realtime.contract.ErrorCode;

/**
 * Problem documents (and the security headers) for the errors Helidon answers before routing:
 * a body over {@code server.max-payload-size} (413), a malformed request or WebSocket handshake (400),
 * a WebSocket upgrade from an origin that is not allowed (403).
 */
public final class ProblemDirectHandler implements DirectHandler {
    /** This handler for every event Helidon answers before routing. */
    public static DirectHandlers handlers() {
        var handler = new ProblemDirectHandler();
        var builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request,
                                    EventType eventType,
                                    Status defaultStatus,
                                    ServerResponseHeaders responseHeaders,
                                    String message) {
        ErrorCode code = eventType == EventType.FORBIDDEN
                ? ErrorCode.ORIGIN_NOT_ALLOWED
                : ErrorCode.forStatus(defaultStatus.code());
        SecurityHeaders.applyTo(responseHeaders);
        byte[] problem = Problems.answer(responseHeaders, code, detail(code, message), request.path());
        return TransportResponse.builder()
                .status(code.status())
                .headers(responseHeaders)
                .entity(problem)
                .build();
    }

    /** Helidon's own message where it explains a client mistake; never for a server failure. */
    private static String detail(ErrorCode code, String message) {
        return switch (code) {
            case ORIGIN_NOT_ALLOWED -> "This origin may not open a WebSocket here (see CORS_ORIGIN).";
            case PAYLOAD_TOO_LARGE -> "The request body is over the configured limit (MAX_BODY_BYTES).";
            case INTERNAL_ERROR -> "The server failed to handle this request.";
            default -> message == null || message.isBlank() ? "The request could not be understood." : message;
        };
    }
}
