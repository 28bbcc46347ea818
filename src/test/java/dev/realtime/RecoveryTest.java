package dev.realtime;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.realtime.support.Await;
import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.Peer;
import dev.realtime.support.Positions;
import dev.realtime.support.RawHttp;
import dev.realtime.support.TestServer;
import dev.realtime.support.WsClient;

import static dev.realtime.support.Positions.resume;
import static dev.realtime.support.Positions.since;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing is missed across a reconnect (asyncapi.yaml, "Nothing is missed across a reconnect"): every
 * broadcast and direct delivery carries its stream, offset and epoch; a client that names its last
 * positions in {@code since} gets exactly what it missed, in order, then live messages, or is told why not.
 * A fresh server per test: streams start empty.
 */
class RecoveryTest {
    @Test
    void everyBroadcastAndDirectDeliveryCarriesTheNextOffsetOfItsStream() {
        try (TestServer server = TestServer.start();
             Peer alice = Peer.connect(server, "alice");
             Peer bob = Peer.connect(server, "bob")) {
            JsonNode start = Positions.of(alice.welcome(), "broadcast");
            assertEquals(0, start.get("offset").asLong(), "a new stream is empty: " + alice.welcome());
            for (int i = 1; i <= 3; i++) {
                publish(server, null, json(i));
                JsonNode message = alice.next("broadcast");
                assertEquals("broadcast", message.get("stream").asText());
                assertEquals(i, message.get("offset").asLong(), "message " + message);
                assertEquals(start.get("epoch").asText(), message.get("epoch").asText());
            }
            for (int i = 1; i <= 2; i++) {
                bob.send(direct("d" + i, "alice", i));
                JsonNode message = alice.next("direct");
                assertEquals("user:alice", message.get("stream").asText());
                assertEquals(i, message.get("offset").asLong(), "a user's stream counts on its own: " + message);
            }
        }
    }

    @Test
    void theWelcomeGivesBothStreamsPositionsAndNoRecoveryWhenNoneWasAskedFor() {
        try (TestServer server = TestServer.start();
             Peer bob = Peer.connect(server, "bob")) {
            publish(server, null, json(1));
            try (Peer alice = Peer.connect(server, "alice")) {
                assertEquals(1, Positions.of(alice.welcome(), "broadcast").get("offset").asLong(), "welcome " + alice.welcome());
                assertEquals(0, Positions.of(alice.welcome(), "user:alice").get("offset").asLong());
                assertFalse(alice.welcome().has("recovery"), "welcome " + alice.welcome());
                alice.assertNothingReceived();
            }
        }
    }

    @Test
    void aClientThatResumesGetsExactlyWhatItMissedInOrderThenLiveMessages() {
        try (TestServer server = TestServer.start();
             Peer bob = Peer.connect(server, "bob")) {
            WsClient alice = WsClient.connect(server.ws("/?token=" + Peer.token(server, "alice")));
            JsonNode welcome = alice.next("welcome");
            publish(server, null, json("seen"));
            JsonNode seen = alice.next("broadcast");
            alice.abort();
            Await.until(() -> server.sessions().sessionsOf("alice").isEmpty(), () -> "alice's session still registered");

            publish(server, null, json("missed-1"));
            bob.next("broadcast");
            bob.next("broadcast"); // bob gets the broadcasts too: "seen" and "missed-1"
            bob.send(direct("missed-2", "alice", "missed-2"));
            assertEquals("user_not_connected", bob.next("error").get("code").asText(), "nobody got it live");
            publish(server, "alice", "\"missed-3\"");
            publish(server, null, json("missed-4"));

            try (WsClient resumed = WsClient.connect(server.ws(resume(Peer.token(server, "alice"), since(seen),
                                                                      since(Positions.of(welcome, "user:alice")))))) {
                JsonNode recovered = resumed.next("welcome");
                JsonNode recovery = recovered.get("recovery");
                assertTrue(recovery.get("recovered").asBoolean(), "welcome " + recovered);
                assertEquals(4, recovery.get("replayed").asInt(), "welcome " + recovered);
                List<String> replayed = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    replayed.add(resumed.next().get("payload").asText());
                }
                assertEquals(List.of("missed-1", "missed-2", "missed-3", "missed-4"), replayed, "in the order they were sent");
                assertEquals(3, Positions.of(recovered, "broadcast").get("offset").asLong(), "positions as of the welcome");
                assertEquals(2, Positions.of(recovered, "user:alice").get("offset").asLong());

                publish(server, null, json("live"));
                JsonNode live = resumed.next();
                assertEquals("live", live.get("payload").asText(), "then live messages: " + live);
                assertEquals(4, live.get("offset").asLong());
            }
        }
    }

    @Test
    void aPublisherThatNeverStopsLosesNothingAndDuplicatesNothingAcrossTheResume() throws Exception {
        try (TestServer server = TestServer.start();
             Peer bob = Peer.connect(server, "bob")) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            Thread publisher = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    publish(server, null, json(sent.incrementAndGet()));
                }
            });
            List<Long> offsets = new ArrayList<>();
            WsClient alice = WsClient.connect(server.ws("/?token=" + Peer.token(server, "alice")));
            alice.next("welcome");
            JsonNode last = null;
            for (int i = 0; i < 50; i++) {
                last = alice.next("broadcast");
                offsets.add(last.get("offset").asLong());
            }
            alice.abort();
            for (int round = 0; round < 3; round++) {
                try (WsClient resumed = WsClient.connect(server.ws(resume(Peer.token(server, "alice"), since(last))))) {
                    JsonNode welcome = resumed.next("welcome");
                    assertTrue(welcome.at("/recovery/recovered").asBoolean(), "welcome " + welcome);
                    for (int i = 0; i < 50; i++) {
                        last = resumed.next("broadcast");
                        offsets.add(last.get("offset").asLong());
                    }
                    resumed.abort();
                }
            }
            running.set(false);
            publisher.join(Duration.ofSeconds(10));
            long first = offsets.getFirst();
            for (int i = 0; i < offsets.size(); i++) {
                assertEquals(first + i, offsets.get(i), "no gap and no duplicate at " + i + ": " + offsets);
            }
        }
    }

    @Test
    void aPositionOlderThanTheHistoryIsNotRecoveredTooOld() {
        try (TestServer server = TestServer.start(Map.of("HISTORY_SIZE", "3"))) {
            JsonNode start = awayWhile(server, 5);
            try (WsClient resumed = resumeAlice(server, start)) {
                JsonNode welcome = resumed.next("welcome");
                assertRecovery(welcome, false, 0);
                assertEquals("too_old", welcome.at("/recovery/streams/0/reason").asText(), "welcome " + welcome);
                assertEquals(5, Positions.of(welcome, "broadcast").get("offset").asLong(), "where to go on from: " + welcome);
                publish(server, null, json("live"));
                assertEquals("live", resumed.next("broadcast").get("payload").asText(), "live messages go on");
            }
        }
    }

    @Test
    void aPositionThatIsExactlyAsOldAsTheHistoryIsRecovered() {
        try (TestServer server = TestServer.start(Map.of("HISTORY_SIZE", "3"))) {
            JsonNode start = awayWhile(server, 3);
            try (WsClient resumed = resumeAlice(server, start)) {
                assertRecovery(resumed.next("welcome"), true, 3);
            }
        }
    }

    @Test
    void messagesOlderThanTheTimeToLiveAreNotRecovered() throws InterruptedException {
        try (TestServer server = TestServer.start(Map.of("HISTORY_TTL_SECONDS", "1"))) {
            JsonNode start = awayWhile(server, 1);
            Thread.sleep(1500);
            try (WsClient resumed = resumeAlice(server, start)) {
                JsonNode welcome = resumed.next("welcome");
                assertRecovery(welcome, false, 0);
                assertEquals("too_old", welcome.at("/recovery/streams/0/reason").asText(), "welcome " + welcome);
            }
        }
    }

    @Test
    void aRestartedInstanceHasANewEpochAndSaysEpochChanged() {
        JsonNode before;
        try (TestServer server = TestServer.start();
             Peer alice = Peer.connect(server, "alice")) {
            before = Positions.of(alice.welcome(), "broadcast");
        }
        try (TestServer restarted = TestServer.start();
             WsClient resumed = WsClient.connect(restarted.ws(resume(Peer.token(restarted, "alice"), since(before))))) {
            JsonNode welcome = resumed.next("welcome");
            assertRecovery(welcome, false, 0);
            assertEquals("epoch_changed", welcome.at("/recovery/streams/0/reason").asText(), "welcome " + welcome);
            assertFalse(before.get("epoch").asText().equals(Positions.of(welcome, "broadcast").get("epoch").asText()),
                        "a new epoch: " + welcome);
        }
    }

    @Test
    void anOffsetThisEpochNeverHadIsEpochChanged() {
        try (TestServer server = TestServer.start();
             Peer alice = Peer.connect(server, "alice")) {
            String epoch = Positions.of(alice.welcome(), "broadcast").get("epoch").asText();
            try (WsClient resumed = WsClient.connect(server.ws(resume(Peer.token(server, "alice"), "broadcast:" + epoch + ":7")))) {
                JsonNode welcome = resumed.next("welcome");
                assertEquals("epoch_changed", welcome.at("/recovery/streams/0/reason").asText(), "welcome " + welcome);
            }
        }
    }

    @Test
    void aDirectMessageToAUserWithNoSessionIsKeptForTheirResume() {
        try (TestServer server = TestServer.start();
             Peer alice = Peer.connect(server, "alice")) {
            Peer bob = Peer.connect(server, "bob");
            JsonNode own = Positions.of(bob.welcome(), "user:bob");
            bob.close();
            Await.until(() -> server.sessions().sessionsOf("bob").isEmpty(), () -> "bob still registered");
            alice.send(direct("while-away", "bob", "kept"));
            assertEquals("user_not_connected", alice.next("error").get("code").asText());
            try (WsClient resumed = WsClient.connect(server.ws(resume(Peer.token(server, "bob"), since(own))))) {
                assertRecovery(resumed.next("welcome"), true, 1);
                JsonNode direct = resumed.next("direct");
                assertEquals("kept", direct.get("payload").asText());
                assertEquals("alice", direct.get("from").asText());
            }
        }
    }

    @Test
    void aPositionInAnotherUsersStreamIsRefused403Forbidden() {
        try (TestServer server = TestServer.start();
             Peer bob = Peer.connect(server, "bob")) {
            String epoch = Positions.of(bob.welcome(), "user:bob").get("epoch").asText();
            var response = RawHttp.upgrade(server, resume(Peer.token(server, "alice"), "user:bob:" + epoch + ":0"), Map.of());
            assertEquals(403, response.status(), response.body());
            assertEquals("forbidden", Contract.assertHttp("GET", "/", 403, response.headers(), response.body())
                    .get("code").asText());
        }
    }

    @Test
    void aSinceThatIsNotAPositionOrNamesAStreamTwiceIsRefused400ValidationFailed() {
        try (TestServer server = TestServer.start()) {
            for (String[] since : new String[][] {{"broadcast"}, {"broadcast:e:x"}, {"broadcast:bad epoch:1"}, {"presence:e:1"},
                                                  {"broadcast:e:-1"}, {"broadcast:e:1", "broadcast:e:2"}}) {
                var response = RawHttp.upgrade(server, resume(Peer.token(server, "alice"), since), Map.of());
                assertEquals(400, response.status(), String.join("&", since) + ": " + response.body());
                assertEquals("validation_failed", Contract.assertHttp("GET", "/", 400, response.headers(), response.body())
                        .get("code").asText());
            }
        }
    }

    @Test
    void aReplayThatDoesNotFitTheOutboundQueueIsASlowConsumerClosedWith1008() {
        try (TestServer server = TestServer.start(Map.of("WS_OUTBOUND_QUEUE_SIZE", "4"))) {
            JsonNode start = awayWhile(server, 10);
            assertEquals(1008, resumeAlice(server, start).awaitClose());
            Await.until(() -> server.sessions().sessionsOf("alice").isEmpty(), () -> "not registered");
        }
    }

    @Test
    void presenceEventsCarryNoPosition() {
        try (TestServer server = TestServer.start();
             Peer alice = Peer.connect(server, "alice")) {
            alice.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"presence\"}");
            alice.next("ack");
            try (Peer bob = Peer.connect(server, "bob")) {
                JsonNode presence = alice.next("presence");
                assertFalse(presence.has("offset") || presence.has("stream"), "presence " + presence);
            }
        }
    }

    @Test
    void ticksCarryNoPosition() {
        try (TestServer server = TestServer.start(Map.of("TICK_INTERVAL_SECONDS", "1"));
             Peer alice = Peer.connect(server, "alice")) {
            JsonNode tick = alice.next("tick");
            assertFalse(tick.has("offset") || tick.has("stream"), "tick " + tick);
        }
    }

    /** Alice connects and leaves, then {@code missed} broadcasts are published: her broadcast position before them. */
    private static JsonNode awayWhile(TestServer server, int missed) {
        JsonNode start;
        try (Peer alice = Peer.connect(server, "alice")) {
            start = Positions.of(alice.welcome(), "broadcast");
        }
        for (int i = 0; i < missed; i++) {
            publish(server, null, json(i));
        }
        return start;
    }

    private static WsClient resumeAlice(TestServer server, JsonNode position) {
        return WsClient.connect(server.ws(resume(Peer.token(server, "alice"), since(position))));
    }

    private static void assertRecovery(JsonNode welcome, boolean recovered, int replayed) {
        assertEquals(recovered, welcome.at("/recovery/recovered").asBoolean(), "welcome " + welcome);
        assertEquals(replayed, welcome.at("/recovery/replayed").asInt(), "welcome " + welcome);
    }

    /** {@code POST /messages}: a broadcast when {@code to} is null. */
    private static void publish(TestServer server, String to, String payload) {
        var response = Http.send(HttpRequest.newBuilder(server.http("/messages"))
                                         .header("Authorization", "Bearer " + Peer.token(server, "jobs"))
                                         .header("Content-Type", "application/json")
                                         .POST(HttpRequest.BodyPublishers.ofString(
                                                 (to == null ? "{" : "{\"to\":\"" + to + "\",") + "\"payload\":" + payload + "}"))
                                         .build());
        assertEquals(202, response.statusCode(), response.body());
    }

    private static String direct(String id, String to, Object payload) {
        return "{\"type\":\"direct\",\"id\":\"" + id + "\",\"to\":\"" + to + "\",\"payload\":" + json(payload) + "}";
    }

    private static String json(Object payload) {
        return payload instanceof String text ? "\"" + text + "\"" : String.valueOf(payload);
    }
}
