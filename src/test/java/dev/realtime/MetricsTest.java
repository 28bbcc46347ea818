package dev.realtime;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.metrics.RealtimeMetrics;
import dev.realtime.support.Await;
import dev.realtime.support.ClientFrames;
import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.Peer;
import dev.realtime.support.RawHttp;
import dev.realtime.support.RawPeer;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code GET /observe/metrics} (openapi.yaml {@code metrics}): documented answers in both formats, and the
 * service's own meters count what happened. The counters are JVM-wide, so the tests compare before and
 * after; the served values must be the counters' values.
 */
@ServerTest
@Timeout(60)
class MetricsTest {
    private static final String LOGINS = "realtime.logins";
    private static final String IN = "realtime.messages.in";
    private static final String OUT = "realtime.messages.out";
    private static final String ERRORS = "realtime.errors";
    private static final String DELIVERED = "realtime.publish.delivered";

    private static RealtimeService service;
    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        service = TestService.configure(server);
    }

    MetricsTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    /** The engine's own closes (protocol errors) are counted by code like every other close the server starts. */
    @Test
    void closesForProtocolErrorsAreCountedByCode() {
        Map<Integer, byte[]> offending = Map.of(
                1002, ClientFrames.frame(0x3).payload("x").bytes(),
                1007, ClientFrames.text(ClientFrames.hex("7B C0 80 7D")),
                1009, ClientFrames.frame(ClientFrames.TEXT).declaredLength(65_537).header());
        offending.forEach((code, frame) -> {
            long before = RealtimeMetrics.count("realtime.closes", "code", String.valueOf(code));
            try (RawPeer peer = RawPeer.connect(server)) {
                peer.send(frame);
                peer.assertFailedWith(code);
            }
            assertEquals(before + 1, RealtimeMetrics.count("realtime.closes", "code", String.valueOf(code)), "closes " + code);
        });
    }

    @Test
    void metricsArePrometheusTextByDefault() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/observe/metrics")).GET().build());
        Contract.assertHttp("GET", "/observe/metrics", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(response.body().contains("# TYPE realtime_sessions_open gauge"), response.body());
    }

    @Test
    void metricsAreJsonWithAcceptApplicationJson() {
        JsonNode metrics = json();
        assertTrue(metrics.path("application").has("realtime.sessions.open"), "the gauge is listed: " + metrics);
    }

    @Test
    void loginsAreCountedBySuccessAndFailure() {
        Counts counts = new Counts().watch(LOGINS, "result", "success").watch(LOGINS, "result", "failure");
        Http.login(server, "alice", "alice-password");
        Http.postJson(server.http("/login"), "{\"username\":\"alice\",\"password\":\"wrong\"}");
        Http.postJson(server.http("/login"), "{\"username\":\"mallory\",\"password\":\"wrong\"}");
        counts.assertIncreased(LOGINS, "result", "success", 1)
                .assertIncreased(LOGINS, "result", "failure", 2)
                .assertServed();
    }

    @Test
    void messagesInAndOutAreCountedByType() {
        Counts counts = new Counts()
                .watch(IN, "type", "echo").watch(IN, "type", "broadcast").watch(IN, "type", "direct")
                .watch(IN, "type", "subscribe").watch(IN, "type", "unsubscribe")
                .watch(OUT, "type", "welcome").watch(OUT, "type", "echo").watch(OUT, "type", "broadcast")
                .watch(OUT, "type", "direct").watch(OUT, "type", "ack").watch(OUT, "type", "presence");
        try (Peer alice = Peer.connect(server, "alice")) {
            alice.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"presence\"}");
            alice.next("ack");
            try (Peer bob = Peer.connect(server, "bob")) {
                alice.next("presence");
                alice.send("{\"type\":\"echo\",\"id\":\"e\",\"payload\":1}");
                alice.next("echo");
                alice.send(BroadcastTest.broadcast("b", "1"));
                alice.next("broadcast");
                alice.next("ack");
                bob.next("broadcast");
                alice.send(DirectMessageTest.direct("d", "bob", "2"));
                alice.next("ack");
                bob.next("direct");
                alice.send("{\"type\":\"unsubscribe\",\"id\":\"u\",\"topic\":\"presence\"}");
                alice.next("ack");
            }
        }
        counts.assertIncreased(IN, "type", "subscribe", 1)
                .assertIncreased(IN, "type", "echo", 1)
                .assertIncreased(IN, "type", "broadcast", 1)
                .assertIncreased(IN, "type", "direct", 1)
                .assertIncreased(IN, "type", "unsubscribe", 1)
                .assertIncreased(OUT, "type", "welcome", 2)
                .assertIncreased(OUT, "type", "presence", 1)
                .assertIncreased(OUT, "type", "echo", 1)
                .assertIncreased(OUT, "type", "broadcast", 2)
                .assertIncreased(OUT, "type", "direct", 1)
                .assertIncreased(OUT, "type", "ack", 4)
                .assertServed();
    }

    @Test
    void errorsAreCountedByCodeOnTheWebSocketAndOverHttp() {
        Counts counts = new Counts()
                .watch(ERRORS, "code", "malformed_json").watch(ERRORS, "code", "unknown_type")
                .watch(ERRORS, "code", "forbidden").watch(ERRORS, "code", "user_not_connected")
                .watch(ERRORS, "code", "missing_token").watch(OUT, "type", "error");
        try (Peer guest = Peer.connect(server, "guest")) {
            guest.client().sendRaw("not json");
            guest.next("error");
            guest.client().sendRaw("{\"type\":\"chat\",\"id\":\"c\"}");
            guest.next("error");
            guest.send(BroadcastTest.broadcast("b", "1"));
            guest.next("error");
            guest.send(DirectMessageTest.direct("d", "nobody", "1"));
            guest.next("error");
        }
        Http.send(HttpRequest.newBuilder(server.http("/sessions")).GET().build());
        counts.assertIncreased(ERRORS, "code", "malformed_json", 1)
                .assertIncreased(ERRORS, "code", "unknown_type", 1)
                .assertIncreased(ERRORS, "code", "forbidden", 1)
                .assertIncreased(ERRORS, "code", "user_not_connected", 1)
                .assertIncreased(ERRORS, "code", "missing_token", 1)
                .assertIncreased(OUT, "type", "error", 4)
                .assertServed();
    }

    /** Errors Helidon answers before routing ({@code ProblemDirectHandler}) are counted like every other. */
    @Test
    void errorsAnsweredBeforeRoutingAreCountedByCode() {
        Counts counts = new Counts().watch(ERRORS, "code", "bad_request").watch(ERRORS, "code", "payload_too_large");
        var badHeader = RawHttp.exchange(server, "GET", "/openapi", Map.of("Bad Header", "x"), null);
        Contract.assertProblem(Contract.parseJson(badHeader.body()), 400, "bad_request");
        var tooLarge = RawHttp.exchange(server, "POST", "/login",
                                        Map.of("Content-Type", "application/json", "Content-Length", "20000"),
                                        "{".getBytes(StandardCharsets.UTF_8));
        Contract.assertProblem(Contract.parseJson(tooLarge.body()), 413, "payload_too_large");
        counts.assertIncreased(ERRORS, "code", "bad_request", 1)
                .assertIncreased(ERRORS, "code", "payload_too_large", 1)
                .assertServed();
    }

    @Test
    void publishDeliveredCountsTheSessionsPushesReached() {
        Counts counts = new Counts().watch(DELIVERED, null, null).watch(OUT, "type", "broadcast");
        try (Peer alice = Peer.connect(server, "alice");
             Peer bob = Peer.connect(server, "bob")) {
            var response = Http.send(HttpRequest.newBuilder(server.http("/messages"))
                                             .header("Content-Type", "application/json")
                                             .header("Authorization", "Bearer " + Peer.token(server, "jobs"))
                                             .POST(HttpRequest.BodyPublishers.ofString("{\"payload\":\"hi\"}"))
                                             .build());
            assertEquals(202, response.statusCode(), response.body());
            int delivered = Contract.assertHttp("POST", "/messages", 202, response.headers(), response.body())
                    .get("delivered").asInt();
            alice.next("broadcast");
            bob.next("broadcast");
            counts.assertIncreased(DELIVERED, null, null, delivered)
                    .assertIncreased(OUT, "type", "broadcast", delivered)
                    .assertServed();
        }
    }

    @Test
    void theOpenSessionsGaugeFollowsConnectionsOpeningAndClosing() {
        Await.until(() -> service.sessions().size() == 0, () -> "sessions of earlier tests still open");
        long before = openSessionsServed();
        try (Peer alice = Peer.connect(server, "alice")) {
            Await.until(() -> openSessionsServed() == before + 1, () -> "gauge " + openSessionsServed() + ", expected " + (before + 1));
            try (Peer bob = Peer.connect(server, "bob")) {
                Await.until(() -> openSessionsServed() == before + 2, () -> "gauge " + openSessionsServed());
                assertEquals(1000, bob.client().closeNormally());
                Await.until(() -> openSessionsServed() == before + 1, () -> "gauge " + openSessionsServed());
            }
            alice.client().abort();
            Await.until(() -> openSessionsServed() == before, () -> "a dropped connection leaves the gauge too: " + openSessionsServed());
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private long openSessionsServed() {
        return json().path("application").path("realtime.sessions.open").asLong(-1);
    }

    /** {@code GET /observe/metrics} with {@code Accept: application/json}, checked against the contract. */
    private JsonNode json() {
        var response = Http.send(HttpRequest.newBuilder(server.http("/observe/metrics"))
                                         .header("Accept", "application/json").GET().build());
        JsonNode body = Contract.assertHttp("GET", "/observe/metrics", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return body;
    }

    private String prometheus() {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(server.http("/observe/metrics")).GET().build());
        Contract.assertHttp("GET", "/observe/metrics", response.statusCode(), response.headers(), response.body());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    /** Counters before an action, to compare with after it. */
    private final class Counts {
        private final Map<String, long[]> before = new LinkedHashMap<>();

        Counts watch(String name, String tag, String value) {
            before.put(key(name, tag, value), new long[] {RealtimeMetrics.count(name, tag, value)});
            return this;
        }

        Counts assertIncreased(String name, String tag, String value, long by) {
            String key = key(name, tag, value);
            long was = before.get(key)[0];
            // Bookkeeping after a close may trail the client by a moment.
            Await.until(() -> RealtimeMetrics.count(name, tag, value) >= was + by, () -> key + " did not increase by " + by);
            assertEquals(was + by, RealtimeMetrics.count(name, tag, value), key + " increased by exactly " + by);
            return this;
        }

        /** The metrics endpoint serves every watched counter, with the counter's value, in both formats. */
        void assertServed() {
            String text = prometheus();
            JsonNode json = json().path("application");
            for (String key : before.keySet()) {
                String[] parts = key.split("\\|", -1);
                String name = parts[0];
                String tag = parts[1].isEmpty() ? null : parts[1];
                String value = parts[2];
                long count = RealtimeMetrics.count(name, tag, value);
                String jsonKey = tag == null ? name : name + ";" + tag + "=" + value;
                assertEquals(count, json.path(jsonKey).asLong(-1), jsonKey + " in the JSON metrics: " + json);
                assertEquals(count, prometheusValue(text, name, tag, value), name + " in the text metrics");
            }
        }

        private static long prometheusValue(String text, String name, String tag, String value) {
            String tagPattern = tag == null ? "" : "[^}]*" + Pattern.quote(tag + "=\"" + value + "\"");
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name.replace('.', '_') + "_total") + "\\{" + tagPattern
                                                + "[^}]*} (\\S+)$").matcher(text);
            if (!m.find()) {
                fail(name + (tag == null ? "" : "{" + tag + "=" + value + "}") + " not in the text metrics:\n" + text);
            }
            return (long) Double.parseDouble(m.group(1));
        }

        private static String key(String name, String tag, String value) {
            return name + "|" + (tag == null ? "" : tag) + "|" + (value == null ? "" : value);
        }
    }
}
