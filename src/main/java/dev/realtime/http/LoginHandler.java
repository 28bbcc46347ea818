package dev.realtime.http;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.auth.Authenticator;
import dev.realtime.auth.Identity;
import dev.realtime.auth.TokenService;
import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;
import dev.realtime.contract.Fields;
import dev.realtime.limits.LoginGuard;
import dev.realtime.metrics.RealtimeMetrics;

/** {@code POST /login}: a username and password in, a bearer token out (openapi.yaml {@code login}). */
public final class LoginHandler implements Handler {
    private static final int MAX_PASSWORD = 1024;

    private final Authenticator authenticator;
    private final TokenService tokens;
    private final LoginGuard guard;

    /** @param guard the throttles and lockouts every attempt passes first */
    public LoginHandler(Authenticator authenticator, TokenService tokens, LoginGuard guard) {
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.guard = guard;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        JsonNode body = JsonBodies.readObject(req, "'username' and 'password'");
        String username = Fields.text(body.get("username"), "username", Fields.MAX_USER_LENGTH);
        String password = Fields.text(body.get("password"), "password", MAX_PASSWORD);

        var authenticated = guard.attempt(req.remotePeer().host(), username,
                                          () -> authenticator.authenticate(username, password));
        RealtimeMetrics.login(authenticated.isPresent());
        Identity identity = authenticated
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_CREDENTIALS, "Unknown user or wrong password."));
        TokenResponse.send(res, tokens.issue(identity), tokens.ttl().toSeconds());
    }
}
