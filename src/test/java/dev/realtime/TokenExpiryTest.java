package dev.realtime;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.metrics.RealtimeMetrics;
import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.TestClock;
import dev.realtime.support.TestServer;
import dev.realtime.support.Tokens;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A session lives no longer than its token (asyncapi.yaml {@code sendTokenExpiring}, {@code receiveRefresh}, close
 * 4001) and {@code POST /login/refresh} (openapi.yaml {@code refreshToken}). Time passes on a {@link TestClock};
 * a 2 s ping interval makes the server look at its sessions every 125 ms.
 */
@Timeout(60)
class TokenExpiryTest {
    private static final long TTL = 3600;

    private final TestClock clock = new TestClock();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(Map.of("TOKEN_TTL_SECONDS", String.valueOf(TTL), "WS_PING_INTERVAL_SECONDS", "2",
                                         "WS_TOKEN_EXPIRY_WARNING_SECONDS", "60", "SESSION_MAX_LIFETIME_SECONDS", "7200"),
                                  clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theWelcomeSaysWhenTheSessionsTokenExpires() {
        Instant loggedIn = clock.instant();
        try (WsClient client = connect(Http.login(server, "alice", "alice-password"))) {
            Instant expiresAt = Instant.parse(client.next("welcome").get("tokenExpiresAt").asText());
            assertEquals(loggedIn.getEpochSecond() + TTL, expiresAt.getEpochSecond());
        }
    }

    @Test
    void aMinuteBeforeItsTokenExpiresASessionIsToldAndThenClosedWith4001() {
        try (WsClient client = connect(Http.login(server, "alice", "alice-password"))) {
            String expiresAt = client.next("welcome").get("tokenExpiresAt").asText();
            clock.advance(Duration.ofSeconds(TTL - 61));
            client.send("{\"type\":\"echo\",\"id\":\"e1\",\"payload\":1}");
            assertEquals("echo", client.next().path("type").asText(), "61 s before expiry: no warning yet");

            clock.advance(Duration.ofSeconds(1));
            assertEquals(expiresAt, client.next("token_expiring").get("expiresAt").asText());

            long closes = RealtimeMetrics.count("realtime.closes", "code", "4001");
            clock.advance(Duration.ofSeconds(60));
            assertEquals(4001, client.awaitClose());
            assertEquals("Token expired", client.closeReason());
            assertEquals(closes + 1, RealtimeMetrics.count("realtime.closes", "code", "4001"), "counted like every server close");
        }
    }

    @Test
    void aRefreshWithANewTokenIsAckedWithItsExpiryAndKeepsTheSessionOpenPastTheOldOne() {
        String first = Http.login(server, "alice", "alice-password");
        try (WsClient client = connect(first)) {
            client.next("welcome");
            clock.advance(Duration.ofSeconds(TTL - 30));
            client.next("token_expiring");

            String second = refresh(first);
            client.send("{\"type\":\"refresh\",\"id\":\"r1\",\"token\":\"" + second + "\"}");
            JsonNode ack = client.next("ack");
            assertEquals("r1", ack.get("id").asText());
            assertEquals(clock.instant().getEpochSecond() + TTL, Instant.parse(ack.get("tokenExpiresAt").asText()).getEpochSecond());

            clock.advance(Duration.ofSeconds(60)); // past the first token's expiry
            client.send("{\"type\":\"echo\",\"id\":\"e1\",\"payload\":1}");
            assertEquals("echo", client.next().path("type").asText(), "the session lives on with the new token");
            assertFalse(client.isClosed());

            clock.advance(Duration.ofSeconds(TTL - 60 - 60)); // the new token's warning comes in its turn
            client.next("token_expiring");
        }
    }

    @Test
    void aRefreshWithAnotherUsersTokenIsForbiddenAndChangesNothing() {
        try (WsClient client = connect(Http.login(server, "alice", "alice-password"))) {
            String expiresAt = client.next("welcome").get("tokenExpiresAt").asText();
            clock.advance(Duration.ofSeconds(10));
            client.send("{\"type\":\"refresh\",\"id\":\"r1\",\"token\":\"" + Http.login(server, "bob", "bob-password") + "\"}");
            assertError(client.next("error"), "forbidden");

            clock.advance(Duration.ofSeconds(TTL - 10));
            assertEquals(4001, client.awaitClose(), "the session still ends at " + expiresAt);
        }
    }

    @Test
    void aRefreshWithAnExpiredOrTamperedTokenIsRefused() {
        String token = Http.login(server, "alice", "alice-password");
        try (WsClient client = connect(token)) {
            client.next("welcome");
            client.send("{\"type\":\"refresh\",\"id\":\"r1\",\"token\":\"" + Tokens.expired("alice") + "\"}");
            assertError(client.next("error"), "token_expired");
            client.send("{\"type\":\"refresh\",\"id\":\"r2\",\"token\":\"" + tampered(token) + "\"}");
            assertError(client.next("error"), "invalid_token");
            client.send("{\"type\":\"refresh\",\"id\":\"r3\",\"token\":\"" + Tokens.signedWithAnotherKey("alice") + "\"}");
            assertError(client.next("error"), "invalid_token");
        }
    }

    @Test
    void postLoginRefreshGivesANewTokenForTheSameUserWithTheRolesTheConfigurationGivesItNow() {
        clock.advance(Duration.ofSeconds(5)); // past the moment Tokens signs at (the real clock)
        String stale = Tokens.withRoles("alice", "admin", "publisher"); // alice is only "user" in test-users.yaml
        clock.advance(Duration.ofSeconds(100));
        var response = refreshResponse(stale);
        JsonNode body = Contract.assertHttp("POST", "/login/refresh", 200, response.headers(), response.body());
        assertEquals(TTL, body.get("expiresIn").asLong());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        try (WsClient client = connect(body.get("token").asText())) {
            JsonNode welcome = client.next("welcome");
            assertEquals("alice", welcome.get("user").asText());
            assertEquals(List.of("user"), textList(welcome.get("roles")));
        }
    }

    @Test
    void postLoginRefreshIsCappedByTheLoginsAbsoluteLifetime() {
        String token = Http.login(server, "alice", "alice-password");
        // 7200 s after the login at most, whatever the chain of refreshes.
        clock.advance(Duration.ofSeconds(3000));
        token = Contract.parseJson(refreshResponse(token).body()).get("token").asText();
        clock.advance(Duration.ofSeconds(3000));
        var capped = refreshResponse(token);
        assertEquals(1200, Contract.parseJson(capped.body()).get("expiresIn").asLong(), "7200 - 6000 s left of the login");
        token = Contract.parseJson(capped.body()).get("token").asText();
        clock.advance(Duration.ofSeconds(1200));
        var over = refreshResponse(token);
        Contract.assertProblem(Contract.assertHttp("POST", "/login/refresh", over.statusCode(), over.headers(), over.body()),
                               401, "token_expired");
    }

    @Test
    void postLoginRefreshRefusesAMissingExpiredOrTamperedToken() {
        String token = Http.login(server, "alice", "alice-password");
        var missing = Http.send(HttpRequest.newBuilder(server.http("/login/refresh")).POST(HttpRequest.BodyPublishers.noBody()).build());
        Contract.assertProblem(Contract.assertHttp("POST", "/login/refresh", missing.statusCode(), missing.headers(), missing.body()),
                               401, "missing_token");
        var tampered = refreshResponse(tampered(token));
        Contract.assertProblem(Contract.assertHttp("POST", "/login/refresh", tampered.statusCode(), tampered.headers(), tampered.body()),
                               401, "invalid_token");
        clock.advance(Duration.ofSeconds(TTL));
        var expired = refreshResponse(token);
        Contract.assertProblem(Contract.assertHttp("POST", "/login/refresh", expired.statusCode(), expired.headers(), expired.body()),
                               401, "token_expired");
    }

    @Test
    void getLoginRefreshIs405() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/login/refresh")).GET().build());
        Contract.assertProblem(Contract.assertHttp("POST", "/login/refresh", response.statusCode(), response.headers(), response.body()),
                               405, "method_not_allowed");
    }

    private WsClient connect(String token) {
        return WsClient.connect(server.ws("/?token=" + token));
    }

    private String refresh(String token) {
        var response = refreshResponse(token);
        assertEquals(200, response.statusCode(), response.body());
        return Contract.parseJson(response.body()).get("token").asText();
    }

    private HttpResponse<String> refreshResponse(String token) {
        return Http.send(HttpRequest.newBuilder(server.http("/login/refresh"))
                                 .header("Authorization", "Bearer " + token)
                                 .POST(HttpRequest.BodyPublishers.noBody())
                                 .build());
    }

    /** The same token with one character of its claims changed: its signature no longer matches. */
    private static String tampered(String token) {
        int claims = token.indexOf('.') + 5;
        char changed = token.charAt(claims) == 'A' ? 'B' : 'A';
        return token.substring(0, claims) + changed + token.substring(claims + 1);
    }

    private static void assertError(JsonNode error, String code) {
        assertEquals(code, error.get("code").asText(), error.toString());
    }

    private static List<String> textList(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
