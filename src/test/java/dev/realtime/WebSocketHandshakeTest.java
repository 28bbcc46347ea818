package dev.realtime;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.RawHttp;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestServer;
import dev.realtime.support.TestService;
import dev.realtime.support.Tokens;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upgrade on {@code /} is authenticated (openapi.yaml {@code GET /}, asyncapi.yaml channel bindings). */
@ServerTest
class WebSocketHandshakeTest {
    private static RealtimeService service;
    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        service = TestService.configure(server);
    }

    WebSocketHandshakeTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

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
        try (WsClient client = WsClient.connect(server.ws("/?token=" + token), Map.of("Origin", TestService.ALLOWED_ORIGIN))) {
            client.next("welcome");
        }
    }

    @Test
    void theUpgradeAnswers101WithTheSecurityHeaders() {
        String token = Http.login(server, "alice", "alice-password");
        var response = RawHttp.upgrade(server, "/?token=" + token, Map.of());
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

    /** The console reached by any host name opens its WebSocket: its origin is the Host it sent the upgrade to. */
    @ParameterizedTest(name = "Host {0}, Origin {1}")
    @CsvSource({
            "127.0.0.1:PORT,              http://127.0.0.1:PORT",
            "realtime.example.test:PORT,  http://realtime.example.test:PORT",
            "realtime.example.test,       http://realtime.example.test",
            "realtime.example.test,       http://realtime.example.test:80",
            "realtime.example.test:80,    http://realtime.example.test",
            "[::1]:PORT,                  http://[::1]:PORT",
    })
    void theServicesOwnOriginMayUpgradeUnderAnyHostName(String host, String origin) {
        String token = Http.login(server, "alice", "alice-password");
        var response = RawHttp.upgrade(server, "/?token=" + token, Map.of("Host", withPort(host), "Origin", withPort(origin)));
        assertEquals(101, response.status(), response.body());
    }

    /** Each look-alike of the service's own origin (the cases above) is still a foreign origin. */
    @ParameterizedTest(name = "Host {0}, Origin {1}")
    @CsvSource({
            "127.0.0.1:PORT,              http://127.0.0.1:OTHER",
            "realtime.example.test:PORT,  http://realtime.example.test.evil:PORT",
            "realtime.example.test:PORT,  http://evil-realtime.example.test:PORT",
            "realtime.example.test:PORT,  http://example.test:PORT",
            "realtime.example.test:PORT,  http://realtime.example:PORT",
            "realtime.example.test,       http://realtime.example.test:8080",
            "realtime.example.test,       https://realtime.example.test:80",
            "realtime.example.test:PORT,  null",
            "realtime.example.test:PORT,  http://realtime.example.test:PORT/",
            "realtime.example.test:PORT,  http://user@realtime.example.test:PORT",
            "realtime.example.test:PORT,  ws://realtime.example.test:PORT",
            // On a plain connection an https page is another origin (behind a TLS proxy: list it in CORS_ORIGIN).
            "realtime.example.test:PORT,  https://realtime.example.test:PORT",
            "realtime.example.test,       https://realtime.example.test",
    })
    void aLookAlikeOfTheServicesOwnOriginIs403(String host, String origin) {
        String token = Http.login(server, "alice", "alice-password");
        assertRejected("/?token=" + token, Map.of("Host", withPort(host), "Origin", withPort(origin)), 403, "origin_not_allowed");
    }

    @Test
    void withCorsOriginStarTheServicesOwnOriginMayUpgradeAndAForeignOneMayNot() {
        try (TestServer open = TestServer.start(Map.of("CORS_ORIGIN", "*"))) {
            String token = Http.login(open, "alice", "alice-password");
            String self = "http://realtime.example.test:" + open.port();
            var own = RawHttp.upgrade(open, "/?token=" + token,
                                      Map.of("Host", "realtime.example.test:" + open.port(), "Origin", self));
            assertEquals(101, own.status(), own.body());
            var foreign = RawHttp.upgrade(open, "/?token=" + token,
                                          Map.of("Host", "realtime.example.test:" + open.port(), "Origin", "https://evil.example"));
            assertEquals(403, foreign.status(), foreign.body());
        }
    }

    private String withPort(String text) {
        return text.replace("OTHER", String.valueOf(server.port() + 1)).replace("PORT", String.valueOf(server.port()));
    }

    @Test
    void aPlainGetWithoutUpgradeIs426() {
        var response = Http.send(java.net.http.HttpRequest.newBuilder(server.http("/")).GET().build());
        JsonNode problem = Contract.assertHttp("GET", "/", 426, response.headers(), response.body());
        Contract.assertProblem(problem, 426, "upgrade_required");
    }

    @Test
    void aRejectedUpgradeOpensNoSession() {
        int before = service.sessions().size();
        RawHttp.upgrade(server, "/?token=nope", Map.of());
        assertEquals(before, service.sessions().size());
    }

    private void assertRejected(String pathAndQuery, Map<String, String> headers, int status, String code) {
        var response = RawHttp.upgrade(server, pathAndQuery, headers);
        assertEquals(status, response.status(), response.body());
        assertFalse(response.headers().firstValue("Upgrade").isPresent(), "must not be upgraded");
        JsonNode problem = Contract.assertHttp("GET", "/", status, response.headers(), response.body());
        Contract.assertProblem(problem, status, code);
        assertTrue(problem.path("detail").asText().length() > 0);
    }
}
