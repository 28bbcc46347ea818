package dev.realtime;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.RawHttp;
import dev.realtime.support.RunningServer;
import dev.realtime.support.TestServer;
import dev.realtime.support.Tokens;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upgrade on {@code /} is authenticated (openapi.yaml {@code GET /}, asyncapi.yaml channel bindings). */
class WebSocketHandshakeTest {
    @RegisterExtension
    static final RunningServer server = RunningServer.perClass();

    @Test
    void aTokenInTheQueryIsAcceptedAndTheWelcomeNamesTheUser() {
        String token = Http.login(server, "alice", "alice-password");
        try (WsClient client = WsClient.connect(server.ws("/?token=" + token))) {
            JsonNode welcome = client.next("welcome");
            assertEquals("alice", welcome.get("user").asText());
            assertEquals("user", welcome.get("roles").get(0).asText());
        }
    }

    @Test
    void aBearerHeaderIsAccepted() {
        String token = Http.login(server, "bob", "bob-password");
        try (WsClient client = WsClient.connect(server.ws("/"), Map.of("Authorization", "Bearer " + token))) {
            assertEquals("bob", client.next("welcome").get("user").asText());
        }
    }

    @Test
    void anAllowedOriginIsAccepted() {
        String token = Http.login(server, "alice", "alice-password");
        try (WsClient client = WsClient.connect(server.ws("/?token=" + token), Map.of("Origin", TestServer.ALLOWED_ORIGIN))) {
            client.next("welcome");
        }
    }

    @Test
    void theUpgradeAnswers101WithTheSecurityHeaders() {
        String token = Http.login(server, "alice", "alice-password");
        var response = RawHttp.upgrade(server.port(), "/?token=" + token, Map.of());
        assertEquals(101, response.status());
        Contract.assertHttp("GET", "/", 101, response.headers(), response.body());
    }

    @Test
    void noTokenIs401MissingToken() {
        assertRejected("/", Map.of(), 401, "missing_token");
    }

    @Test
    void aGarbageTokenIs401InvalidToken() {
        assertRejected("/?token=not-a-jwt", Map.of(), 401, "invalid_token");
    }

    @Test
    void aTokenSignedWithAnotherKeyIs401InvalidToken() {
        assertRejected("/?token=" + Tokens.signedWithAnotherKey("alice"), Map.of(), 401, "invalid_token");
    }

    @Test
    void anUnsignedAlgNoneTokenIs401InvalidToken() {
        assertRejected("/?token=" + Tokens.unsigned("alice"), Map.of(), 401, "invalid_token");
    }

    @Test
    void anExpiredTokenIs401TokenExpired() {
        assertRejected("/?token=" + Tokens.expired("alice"), Map.of(), 401, "token_expired");
    }

    @Test
    void aNonBearerAuthorizationIs401InvalidToken() {
        assertRejected("/", Map.of("Authorization", "Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQ="), 401, "invalid_token");
    }

    @Test
    void aForeignOriginIs403EvenWithAValidToken() {
        String token = Http.login(server, "alice", "alice-password");
        assertRejected("/?token=" + token, Map.of("Origin", "https://evil.example"), 403, "origin_not_allowed");
    }

    @Test
    void aPlainGetWithoutUpgradeIs426() {
        var response = Http.send(java.net.http.HttpRequest.newBuilder(server.http("/")).GET().build());
        JsonNode problem = Contract.assertHttp("GET", "/", 426, response.headers(), response.body());
        Contract.assertProblem(problem, 426, "upgrade_required");
    }

    @Test
    void aRejectedUpgradeOpensNoSession() {
        int before = server.sessions().size();
        RawHttp.upgrade(server.port(), "/?token=nope", Map.of());
        assertEquals(before, server.sessions().size());
    }

    private static void assertRejected(String pathAndQuery, Map<String, String> headers, int status, String code) {
        var response = RawHttp.upgrade(server.port(), pathAndQuery, headers);
        assertEquals(status, response.status(), response.body());
        assertFalse(response.headers().firstValue("Upgrade").isPresent(), "must not be upgraded");
        JsonNode problem = Contract.assertHttp("GET", "/", status, response.headers(), response.body());
        Contract.assertProblem(problem, status, code);
        assertTrue(problem.path("detail").asText().length() > 0);
    }
}
