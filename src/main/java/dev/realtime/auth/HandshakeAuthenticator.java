package dev.realtime.auth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;

import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;

/**
 * Finds and verifies the token of a WebSocket upgrade: the {@code token} query parameter
 * (browsers cannot set headers on a WebSocket) or else an {@code Authorization: Bearer} header.
 */
public final class HandshakeAuthenticator {
    private static final String BEARER = "Bearer ";

    private final TokenService tokens;

    public HandshakeAuthenticator(TokenService tokens) {
        this.tokens = tokens;
    }

    /**
     * @throws ApiException {@code missing_token}, {@code invalid_token} or {@code token_expired}
     */
    public Identity authenticate(HttpPrologue prologue, Headers headers) {
        var query = prologue.query();
        if (query.contains("token")) {
            return tokens.verify(query.get("token"));
        }
        if (headers.contains(HeaderNames.AUTHORIZATION)) {
            String authorization = headers.get(HeaderNames.AUTHORIZATION).get();
            if (authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                return tokens.verify(authorization.substring(BEARER.length()).trim());
            }
            throw new ApiException(ErrorCode.INVALID_TOKEN, "The Authorization header must use the Bearer scheme.");
        }
        throw new ApiException(ErrorCode.MISSING_TOKEN,
                               "No token: pass ?token=<token> or an Authorization: Bearer header (POST /login issues one).");
    }
}
