package dev.realtime.auth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;

import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;

/**
 * Finds and verifies the bearer token of a request: on a WebSocket upgrade the {@code token}
 * query parameter (browsers cannot set headers on a WebSocket) or else an
 * {@code Authorization: Bearer} header; on plain HTTP the header only, so tokens stay out of URLs.
 */
public final class RequestAuthenticator {
    private static final String BEARER = "Bearer ";

    private final TokenService tokens;

    /** @param tokens verifies the tokens requests carry */
    public RequestAuthenticator(TokenService tokens) {
        this.tokens = tokens;
    }

    /**
     * @throws ApiException {@code missing_token}, {@code invalid_token} or {@code token_expired}
     */
    public VerifiedToken handshake(HttpPrologue prologue, Headers headers) {
        var query = prologue.query();
        if (query.contains("token")) {
            return tokens.verifyToken(query.get("token"));
        }
        return bearer(headers, "pass ?token=<token> or an Authorization: Bearer header");
    }

    /**
     * @throws ApiException {@code missing_token}, {@code invalid_token} or {@code token_expired}
     */
    public Identity bearer(Headers headers) {
        return bearerToken(headers).identity();
    }

    /**
     * As {@link #bearer}, with the token's expiry and login time.
     *
     * @throws ApiException {@code missing_token}, {@code invalid_token} or {@code token_expired}
     */
    public VerifiedToken bearerToken(Headers headers) {
        return bearer(headers, "send an Authorization: Bearer header");
    }

    /**
     * A token sent on its own (a WebSocket {@code refresh}).
     *
     * @throws ApiException {@code invalid_token} or {@code token_expired}
     */
    public VerifiedToken token(String token) {
        return tokens.verifyToken(token);
    }

    /**
     * @throws ApiException as {@link #bearer(Headers)}, or {@code forbidden} if the user lacks {@code role}
     */
    public Identity bearerWithRole(Headers headers, String role) {
        return bearer(headers).requireRole(role);
    }

    private VerifiedToken bearer(Headers headers, String how) {
        if (!headers.contains(HeaderNames.AUTHORIZATION)) {
            throw new ApiException(ErrorCode.MISSING_TOKEN, "No token: " + how + " (POST /login issues one).");
        }
        String authorization = headers.get(HeaderNames.AUTHORIZATION).get();
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiException(ErrorCode.INVALID_TOKEN, "The Authorization header must use the Bearer scheme.");
        }
        return tokens.verifyToken(authorization.substring(BEARER.length()).trim());
    }
}
