package dev.realtime.http;

import java.time.Clock;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import dev.realtime.auth.Authenticator;
import dev.realtime.auth.Identity;
import dev.realtime.auth.IssuedToken;
import dev.realtime.auth.RequestAuthenticator;
import dev.realtime.auth.TokenService;
import dev.realtime.auth.VerifiedToken;
import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;

/**
 * {@code POST /login/refresh}: a still-valid bearer token in, a new one out, with the roles the configuration
 * gives its user now and its login's {@code auth_time} (openapi.yaml {@code refreshToken}).
 */
public final class RefreshHandler implements Handler {
    private final RequestAuthenticator requests;
    private final Authenticator users;
    private final TokenService tokens;
    private final Clock clock;

    /** @param users to check that the token's user still has an account */
    public RefreshHandler(RequestAuthenticator requests, Authenticator users, TokenService tokens, Clock clock) {
        this.requests = requests;
        this.users = users;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        VerifiedToken old = requests.bearerToken(req.headers());
        Identity current = users.current(old.identity().user())
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN, "The token's user no longer exists."));
        IssuedToken fresh = tokens.refresh(old, current);
        // In the token's whole seconds, as its iat and exp are.
        TokenResponse.send(res, fresh.token(), fresh.expiresAt().getEpochSecond() - clock.instant().getEpochSecond());
    }
}
