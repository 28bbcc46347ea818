package dev.realtime.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** {@code TokenResponse} in openapi.yaml: what {@code POST /login} and {@code POST /login/refresh} answer. */
record TokenResponse(String token, String tokenType, long expiresIn) {
    static void send(ServerResponse res, String token, long expiresInSeconds) {
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        JsonBodies.send(res, Status.OK_200, new TokenResponse(token, "Bearer", expiresInSeconds));
    }
}
