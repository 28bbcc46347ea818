package dev.realtime;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.Peer;
import dev.realtime.support.RawHttp;
import dev.realtime.support.RunningServer;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestServer;
import dev.realtime.support.Tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /messages} (openapi.yaml {@code publish}): a back-end job with the publisher role pushes a
 * {@code broadcast} to every session, or a {@code direct} to every session of one user, and learns how
 * many sessions it reached. Every answer is checked against the contract. A fresh server per test.
 */
@Timeout(60)
class PublishApiTest {
    /** application.yaml {@code server.max-payload-size} (MAX_BODY_BYTES). */
    private static final int MAX_BODY_BYTES = 16384;

    @RegisterExtension
    final RunningServer server = RunningServer.perTest();

    // --- delivery ------------------------------------------------------------------------------

    @Test
    void withoutToEveryConnectedSessionGetsABroadcastFromThePublisher() {
        String payload = "{\"job\":\"report-42\",\"status\":\"done\",\"size\":1.50}";
        try (Peer alice = Peer.connect(server, "alice");
             Peer bob1 = Peer.connect(server, "bob");
             Peer bob2 = Peer.connect(server, "bob")) {
            JsonNode result = assertAccepted(publish(jobs(), "{\"payload\":" + payload + "}"));
            assertEquals(3, result.get("delivered").asInt(), "every open session; result: " + result);
            for (Peer peer : new Peer[] {alice, bob1, bob2}) {
                JsonNode message = peer.next("broadcast");
                assertEquals("jobs", message.get("from").asText(), "from is the publisher; message: " + message);
                assertEquals(Contract.parseJson(payload), message.get("payload"), "payload unchanged; message: " + message);
                peer.assertNothingReceived();
            }
        }
    }

    @Test
    void withToOnlyEverySessionOfThatUserGetsADirectMessage() {
        try (Peer alice = Peer.connect(server, "alice");
             Peer bob1 = Peer.connect(server, "bob");
             Peer bob2 = Peer.connect(server, "bob")) {
            JsonNode result = assertAccepted(publish(jobs(), "{\"to\":\"bob\",\"payload\":[\"for\",\"bob\"]}"));
            assertEquals(2, result.get("delivered").asInt(), "bob's sessions; result: " + result);
            for (Peer bob : new Peer[] {bob1, bob2}) {
                JsonNode message = bob.next("direct");
                assertEquals("jobs", message.get("from").asText(), "message: " + message);
                assertEquals(Contract.parseJson("[\"for\",\"bob\"]"), message.get("payload"));
                bob.assertNothingReceived();
            }
            alice.assertNothingReceived();
        }
    }

    @Test
    void aPayloadOfNullIsAPayloadAndIsDelivered() {
        try (Peer alice = Peer.connect(server, "alice")) {
            assertEquals(1, assertAccepted(publish(jobs(), "{\"payload\":null}")).get("delivered").asInt());
            assertTrue(alice.next("broadcast").get("payload").isNull());
        }
    }

    @Test
    void toAUserWithNoSessionIs202WithDelivered0() {
        try (Peer alice = Peer.connect(server, "alice")) {
            for (String nobody : new String[] {"bob", "mallory", "x".repeat(128)}) {
                JsonNode result = assertAccepted(publish(jobs(), "{\"to\":\"" + nobody + "\",\"payload\":1}"));
                assertEquals(0, result.get("delivered").asInt(), "to " + nobody + ": " + result);
            }
            alice.assertNothingReceived();
        }
    }

    @Test
    void aBroadcastWithNobodyConnectedIs202WithDelivered0() {
        assertEquals(0, assertAccepted(publish(jobs(), "{\"payload\":\"anyone?\"}")).get("delivered").asInt());
    }

    @Test
    void publishRoleChangesWhichRoleMayPublish() {
        try (TestServer users = TestServer.start(Map.of("PUBLISH_ROLE", "user"));
             Peer bob = Peer.connect(users, "bob")) {
            var asAlice = publish(users, Peer.token(users, "alice"), "application/json", "{\"payload\":1}");
            assertEquals(1, assertAccepted(asAlice).get("delivered").asInt());
            assertEquals("alice", bob.next("broadcast").get("from").asText());
            assertProblem(publish(users, Peer.token(users, "jobs"), "application/json", "{\"payload\":1}"), 403, "forbidden");
            bob.assertNothingReceived();
        }
    }

    // --- authentication and authorization --------------------------------------------------------

    @Test
    void withoutATokenIs401MissingTokenWithWwwAuthenticateAndNothingIsDelivered() {
        try (Peer alice = Peer.connect(server, "alice")) {
            var response = Http.send(HttpRequest.newBuilder(server.http("/messages"))
                                             .header("Content-Type", "application/json")
                                             .POST(HttpRequest.BodyPublishers.ofString("{\"payload\":1}"))
                                             .build());
            assertProblem(response, 401, "missing_token");
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            alice.assertNothingReceived();
        }
    }

    /** Tokens stay out of URLs on plain HTTP: only the WebSocket upgrade accepts {@code ?token=}. */
    @Test
    void aTokenInTheQueryIsNotAcceptedIs401MissingToken() {
        try (Peer alice = Peer.connect(server, "alice")) {
            var response = Http.send(HttpRequest.newBuilder(server.http("/messages?token=" + jobs()))
                                             .header("Content-Type", "application/json")
                                             .POST(HttpRequest.BodyPublishers.ofString("{\"payload\":1}"))
                                             .build());
            assertProblem(response, 401, "missing_token");
            alice.assertNothingReceived();
        }
    }

    @Test
    void aBadTokenIs401InvalidToken() {
        for (String token : new String[] {"not-a-jwt", Tokens.signedWithAnotherKey("jobs"), Tokens.unsigned("jobs"),
                jobs() + "x"}) {
            assertProblem(publish(token, "{\"payload\":1}"), 401, "invalid_token");
        }
    }

    @Test
    void anAuthorizationHeaderThatIsNotBearerIs401InvalidToken() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/messages"))
                                         .header("Content-Type", "application/json")
                                         .header("Authorization", "Basic am9iczpqb2JzLXBhc3N3b3Jk")
                                         .POST(HttpRequest.BodyPublishers.ofString("{\"payload\":1}"))
                                         .build());
        assertProblem(response, 401, "invalid_token");
    }

    @Test
    void anExpiredTokenIs401TokenExpired() {
        assertProblem(publish(Tokens.expired("jobs"), "{\"payload\":1}"), 401, "token_expired");
    }

    @Test
    void aUserWithoutThePublisherRoleIs403ForbiddenAndNothingIsDelivered() {
        try (Peer bob = Peer.connect(server, "bob")) {
            assertProblem(publish(Peer.token(server, "alice"), "{\"payload\":1}"), 403, "forbidden");
            assertProblem(publish(Peer.token(server, "bob"), "{\"to\":\"bob\",\"payload\":1}"), 403, "forbidden");
            bob.assertNothingReceived();
        }
    }

    // --- bad requests ----------------------------------------------------------------------------

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "{", "not json", "{\"payload\":1,}", "{\"payload\":1} {}", "{'payload':1}"})
    void bodyThatIsNotJsonIs400MalformedJson(String body) {
        assertProblem(publish(jobs(), body), 400, "malformed_json");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{}", "{\"to\":\"bob\"}", "[]", "[{\"payload\":1}]", "\"payload\"", "null", "1"})
    void bodyWithoutPayloadIs400ValidationFailed(String body) {
        assertProblem(publish(jobs(), body), 400, "validation_failed");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"payload\":1,\"from\":\"admin\"}",
            "{\"payload\":1,\"to\":\"bob\",\"type\":\"direct\"}",
            "{\"payload\":1,\"extra\":null}",
    })
    void anExtraMemberIs400ValidationFailed(String body) {
        try (Peer bob = Peer.connect(server, "bob")) {
            assertProblem(publish(jobs(), body), 400, "validation_failed");
            bob.assertNothingReceived();
        }
    }

    @ParameterizedTest(name = "to {0}")
    @ValueSource(strings = {"7", "null", "true", "[\"bob\"]", "{\"user\":\"bob\"}", "\"\""})
    void aToThatIsNotANonEmptyStringIs400ValidationFailed(String to) {
        try (Peer bob = Peer.connect(server, "bob")) {
            assertProblem(publish(jobs(), "{\"to\":" + to + ",\"payload\":1}"), 400, "validation_failed");
            bob.assertNothingReceived();
        }
    }

    @Test
    void aToOf129CharactersIs400ValidationFailed() {
        assertProblem(publish(jobs(), "{\"to\":\"" + "x".repeat(129) + "\",\"payload\":1}"), 400, "validation_failed");
        assertProblem(publish(jobs(), "{\"to\":\"" + "😀".repeat(129) + "\",\"payload\":1}"), 400, "validation_failed");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml", "text/json"})
    void aBodyThatIsNotApplicationJsonIs415(String contentType) {
        assertProblem(publish(server, jobs(), contentType, "{\"payload\":1}"), 415, "unsupported_media_type");
    }

    @Test
    void aBodyWithoutContentTypeIs415() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/messages"))
                                         .header("Authorization", "Bearer " + jobs())
                                         .POST(HttpRequest.BodyPublishers.ofString("{\"payload\":1}"))
                                         .build());
        assertProblem(response, 415, "unsupported_media_type");
    }

    @Test
    void aJsonContentTypeWithACharsetIsAccepted() {
        assertAccepted(publish(server, jobs(), "application/json; charset=utf-8", "{\"payload\":1}"));
    }

    @Test
    void aBodyOverMaxBodyBytesIs413AndNothingIsDelivered() {
        try (Peer alice = Peer.connect(server, "alice")) {
            String body = "{\"payload\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}";
            // Expect: 100-continue: the 413 comes by Content-Length before the body, which would race the close.
            assertProblem(Http.send(HttpRequest.newBuilder(server.http("/messages"))
                                            .expectContinue(true)
                                            .header("Content-Type", "application/json")
                                            .header("Authorization", "Bearer " + jobs())
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build()),
                          413, "payload_too_large");
            alice.assertNothingReceived();
        }
    }

    @Test
    void aBodyOfExactlyMaxBodyBytesIsAccepted() {
        String empty = "{\"payload\":\"\"}";
        String body = "{\"payload\":\"" + "x".repeat(MAX_BODY_BYTES - empty.length()) + "\"}";
        assertEquals(MAX_BODY_BYTES, body.getBytes(StandardCharsets.UTF_8).length);
        assertAccepted(publish(jobs(), body));
    }

    @Test
    void aContentLengthOverMaxBodyBytesIs413() {
        byte[] body = ("{\"payload\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
        var response = RawHttp.exchange(server, "POST", "/messages",
                                        Map.of("Content-Type", "application/json",
                                               "Authorization", "Bearer " + jobs(),
                                               "Content-Length", String.valueOf(body.length)),
                                        body);
        JsonNode problem = Contract.assertHttp("POST", "/messages", response.status(), response.headers(), response.body());
        Contract.assertProblem(problem, 413, "payload_too_large");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
    void otherMethodsAre405AllowingPost(String method) {
        var response = Http.send(HttpRequest.newBuilder(server.http("/messages"))
                                         .header("Authorization", "Bearer " + jobs())
                                         .method(method, HttpRequest.BodyPublishers.noBody())
                                         .build());
        JsonNode problem = Contract.assertHttp(method, "/messages", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, 405, "method_not_allowed");
        assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
    }

    // --- helpers -------------------------------------------------------------------------------

    private String jobs() {
        return Peer.token(server, "jobs");
    }

    private HttpResponse<String> publish(String token, String body) {
        return publish(server, token, "application/json", body);
    }

    private static HttpResponse<String> publish(ServiceUnderTest target, String token, String contentType, String body) {
        return Http.send(HttpRequest.newBuilder(target.http("/messages"))
                                 .header("Content-Type", contentType)
                                 .header("Authorization", "Bearer " + token)
                                 .POST(HttpRequest.BodyPublishers.ofString(body))
                                 .build());
    }

    private static JsonNode assertAccepted(HttpResponse<String> response) {
        JsonNode body = Contract.assertHttp("POST", "/messages", response.statusCode(), response.headers(), response.body());
        assertEquals(202, response.statusCode(), response.body());
        return body;
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String code) {
        JsonNode problem = Contract.assertHttp("POST", "/messages", response.statusCode(), response.headers(), response.body());
        Contract.assertProblem(problem, status, code);
        return problem;
    }
}
