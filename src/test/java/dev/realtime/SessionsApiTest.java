package dev.realtime;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Await;
import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.Peer;
import dev.realtime.support.RunningServer;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestServer;
import dev.realtime.support.Tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code GET /sessions} (openapi.yaml {@code listSessions}): for administrators, every open session,
 * grouped by user (sorted by name), each user's connections most recent first, the ids being the
 * welcomes' {@code sessionId}s. A fresh server per test, so that the sessions are exactly the test's.
 */
@Timeout(60)
class SessionsApiTest {
    @RegisterExtension
    final RunningServer server = RunningServer.perTest();

    @Test
    void listsEveryOpenSessionByUserSortedByNameWithTheWelcomesIdsAndTimes() {
        try (Peer demo = Peer.connect(server, "demo");
             Peer alice1 = Peer.connect(server, "alice");
             Peer bob = Peer.connect(server, "bob");
             Peer alice2 = Peer.connect(server, "alice")) {
            JsonNode list = sessions();
            assertEquals(4, list.get("total").asInt(), "list: " + list);
            assertEquals(List.of("alice", "bob", "demo"), users(list));

            JsonNode alice = list.get("users").get(0);
            assertEquals(2, alice.get("sessions").asInt(), "alice: " + alice);
            // Most recent connection first.
            assertConnections(alice, alice2, alice1);
            assertEquals(1, list.get("users").get(1).get("sessions").asInt());
            assertConnections(list.get("users").get(1), bob);
            assertEquals(1, list.get("users").get(2).get("sessions").asInt());
            assertConnections(list.get("users").get(2), demo);
        }
    }

    /** A client that holds its welcome may be pushed to at once: its session is registered before the welcome is sent. */
    @Test
    void aSessionIsListedAsSoonAsItsClientHasTheWelcome() {
        for (int i = 0; i < 100; i++) {
            try (Peer alice = Peer.connect(server, "alice")) {
                JsonNode list = sessions();
                assertEquals(List.of("alice"), users(list), "round " + i + ": " + list);
                assertConnections(list.get("users").get(0), alice);
                assertEquals(1000, alice.client().closeNormally());
            }
        }
    }

    @Test
    void withNoSessionOpenTheListIsEmpty() {
        JsonNode list = sessions();
        assertEquals(0, list.get("total").asInt(), "list: " + list);
        assertEquals(0, list.get("users").size(), "list: " + list);
    }

    @Test
    void theListShrinksWhenSessionsCloseAndAUserWithoutSessionsDisappears() {
        try (Peer alice1 = Peer.connect(server, "alice");
             Peer alice2 = Peer.connect(server, "alice");
             Peer bob = Peer.connect(server, "bob")) {
            assertEquals(3, sessions().get("total").asInt());

            assertEquals(1000, alice1.client().closeNormally());
            JsonNode list = sessions();
            assertEquals(2, list.get("total").asInt(), "list: " + list);
            assertEquals(List.of("alice", "bob"), users(list));
            assertEquals(1, list.get("users").get(0).get("sessions").asInt());
            assertConnections(list.get("users").get(0), alice2);

            assertEquals(1000, bob.client().closeNormally());
            list = sessions();
            assertEquals(1, list.get("total").asInt(), "list: " + list);
            assertEquals(List.of("alice"), users(list));
        }
    }

    @Test
    void aConnectionDroppedWithoutACloseFrameLeavesTheList() {
        try (Peer alice = Peer.connect(server, "alice");
             Peer bob = Peer.connect(server, "bob")) {
            bob.client().abort();
            Await.until(() -> users(sessions()).equals(List.of("alice")), () -> "bob's dropped session is still listed");
            assertEquals(1, sessions().get("total").asInt());
        }
    }

    @Test
    void aUserWithoutTheAdminRoleIs403Forbidden() {
        assertProblem(get(Peer.token(server, "alice")), 403, "forbidden");
        assertProblem(get(Peer.token(server, "jobs")), 403, "forbidden");
    }

    @Test
    void withoutATokenIs401MissingToken() {
        assertProblem(Http.send(HttpRequest.newBuilder(server.http("/sessions")).GET().build()), 401, "missing_token");
    }

    @Test
    void aTokenInTheQueryIsNotAcceptedIs401MissingToken() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/sessions?token=" + Peer.token(server, "bob"))).GET().build());
        assertProblem(response, 401, "missing_token");
    }

    @Test
    void aBadOrExpiredTokenIs401() {
        assertProblem(get("not-a-jwt"), 401, "invalid_token");
        assertProblem(get(Tokens.signedWithAnotherKey("bob")), 401, "invalid_token");
        assertProblem(get(Tokens.expired("bob")), 401, "token_expired");
    }

    @Test
    void adminRoleChangesWhichRoleMayList() {
        try (TestServer publishers = TestServer.start(Map.of("ADMIN_ROLE", "publisher"))) {
            var asJobs = Http.send(request(publishers, Peer.token(publishers, "jobs")).GET().build());
            Contract.assertHttp("GET", "/sessions", asJobs.statusCode(), asJobs.headers(), asJobs.body());
            assertEquals(200, asJobs.statusCode(), asJobs.body());
            var asBob = Http.send(request(publishers, Peer.token(publishers, "bob")).GET().build());
            assertProblem(asBob, 403, "forbidden");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH"})
    void otherMethodsAre405AllowingGet(String method) {
        var response = Http.send(request(server, Peer.token(server, "bob"))
                                         .method(method, HttpRequest.BodyPublishers.noBody())
                                         .build());
        JsonNode problem = Contract.assertHttp(method, "/sessions", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 405, "method_not_allowed");
        assertEquals("GET", response.headers().firstValue("Allow").orElse(""));
    }

    // --- helpers -------------------------------------------------------------------------------

    /** The list, as bob (an admin) sees it, checked against the contract. */
    private JsonNode sessions() {
        var response = get(Peer.token(server, "bob"));
        JsonNode list = Contract.assertHttp("GET", "/sessions", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode(), response.body());
        return list;
    }

    private HttpResponse<String> get(String token) {
        return Http.send(request(server, token).GET().build());
    }

    private static HttpRequest.Builder request(ServiceUnderTest target, String token) {
        return HttpRequest.newBuilder(target.http("/sessions")).header("Authorization", "Bearer " + token);
    }

    /** The user's connections are exactly these sessions, in this order, with their welcomes' times. */
    private static void assertConnections(JsonNode user, Peer... expected) {
        JsonNode connections = user.get("connections");
        assertEquals(expected.length, connections.size(), "user: " + user);
        for (int i = 0; i < expected.length; i++) {
            JsonNode connection = connections.get(i);
            assertEquals(expected[i].user(), user.get("user").asText());
            assertEquals(expected[i].sessionId(), connection.get("sessionId").asText(), "connection " + i + " of " + user);
            Instant connectedAt = OffsetDateTime.parse(connection.get("connectedAt").asText()).toInstant();
            Instant welcomed = OffsetDateTime.parse(expected[i].welcome().get("connectedAt").asText()).toInstant();
            assertEquals(welcomed, connectedAt, "connectedAt is the welcome's; user: " + user);
            if (i > 0) {
                Instant previous = OffsetDateTime.parse(connections.get(i - 1).get("connectedAt").asText()).toInstant();
                assertFalse(connectedAt.isAfter(previous), "most recent connection first; user: " + user);
            }
        }
    }

    private static List<String> users(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("users").forEach(u -> names.add(u.get("user").asText()));
        return names;
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        JsonNode problem = Contract.assertHttp("GET", "/sessions", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, status, code);
    }
}
