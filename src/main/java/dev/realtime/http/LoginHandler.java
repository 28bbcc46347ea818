package dev.realtime.http;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.auth.Authenticator;
import dev.realtime.auth.Identity;
import dev.realtime.auth.TokenService;
import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;
import dev.realtime.contract.Json;

/** {@code POST /login}: a username and password in, a bearer token out (openapi.yaml {@code login}). */
public final class LoginHandler implements Handler {
    private static final int MAX_USERNAME = 128;
    private static final int MAX_PASSWORD = 1024;

    private final Authenticator authenticator;
    private final TokenService tokens;

    public LoginHandler(Authenticator authenticator, TokenService tokens) {
        this.authenticator = authenticator;
        this.tokens = tokens;
    }

    record TokenResponse(String token, String tokenType, long expiresIn) {
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        var contentType = req.headers().contentType();
        if (contentType.isEmpty() || !contentType.get().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the credentials as application/json.");
        }
        // A request without a body has no entity at all, and reading it would throw (a 500): it is empty JSON.
        String text = req.content().hasEntity() ? req.content().as(String.class) : "";
        JsonNode body = Json.parse(text);
        if (!body.isObject()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The body must be a JSON object with 'username' and 'password'.");
        }
        String username = requiredString(body, "username", MAX_USERNAME);
        String password = requiredString(body, "password", MAX_PASSWORD);

        Identity identity = authenticator.authenticate(username, password)
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_CREDENTIALS, "Unknown user or wrong password."));
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.headers().set(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON.text());
        res.send(Json.write(new TokenResponse(tokens.issue(identity), "Bearer", tokens.ttl().toSeconds())));
    }

    private static String requiredString(JsonNode body, String name, int maxLength) {
        JsonNode value = body.get(name);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "'" + name + "' is required and must be a non-empty string.");
        }
        if (value.asText().length() > maxLength) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "'" + name + "' is longer than " + maxLength + " characters.");
        }
        return value.asText();
    }
}
