package dev.realtime.http;

import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.http.ServerResponse;

import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;
import dev.realtime.contract.Json;
import dev.realtime.contract.Problem;
import dev.realtime.metrics.RealtimeMetrics;

/** Writes problem documents: the one place an {@link ErrorCode} becomes an HTTP response. */
public final class Problems {
    private static final String WWW_AUTHENTICATE_REALM = "Bearer realm=\"realtime-service\"";

    private Problems() {
    }

    /** Answers {@code e} as its problem document (with Retry-After when it says when). */
    public static void send(ServerResponse res, ApiException e, String instance) {
        if (e.retryAfterSeconds() > 0) {
            res.headers().set(HeaderNames.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        send(res, e.code(), e.detail(), instance);
    }

    /** Answers {@code code} as its problem document, counted in {@code realtime.errors}. */
    public static void send(ServerResponse res, ErrorCode code, String detail, String instance) {
        res.status(code.status()).send(answer(res.headers(), code, detail, instance));
    }

    /**
     * Counts the error in {@code realtime.errors}, sets the problem's headers and returns its body: the answers
     * Helidon makes before routing ({@link ProblemDirectHandler}) come through here too, so the count misses none.
     */
    static byte[] answer(WritableHeaders<?> headers, ErrorCode code, String detail, String instance) {
        RealtimeMetrics.error(code.wireName());
        applyHeaders(headers, code);
        return Json.write(Problem.of(code, detail, instance)).getBytes(StandardCharsets.UTF_8);
    }

    private static void applyHeaders(WritableHeaders<?> headers, ErrorCode code) {
        headers.set(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        headers.set(HeaderNames.CACHE_CONTROL, "no-store");
        if (code.status() == Status.UNAUTHORIZED_401) {
            String error = switch (code) {
                case INVALID_TOKEN, TOKEN_EXPIRED -> ", error=\"invalid_token\"";
                default -> "";
            };
            headers.set(HeaderNames.WWW_AUTHENTICATE, WWW_AUTHENTICATE_REALM + error);
        }
    }
}
