package dev.realtime;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Contract;
import dev.realtime.support.Peer;
import dev.realtime.support.RawPeer;
import dev.realtime.support.RunningServer;
import dev.realtime.support.TestServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code broadcast} (asyncapi.yaml {@code receiveBroadcast}, {@code sendBroadcast}): a client with the
 * broadcast role reaches every open session, its own included, and gets an {@code ack} saying how many;
 * anyone else gets {@code forbidden} and nobody receives anything. A fresh server per test, so that the
 * open sessions are exactly the test's.
 */
@Timeout(60)
class BroadcastTest {
    @RegisterExtension
    final RunningServer server = RunningServer.perTest();

    @ParameterizedTest(name = "payload {0}")
    @ValueSource(strings = {
            "{\"text\":\"hello everyone\"}",
            "[1,\"two\",{\"three\":[3]},null]",
            "\"olá — 😀\"",
            "3.141592653589793238462643383279",
            "1.10",
            "null",
            "false",
            "{}",
    })
    void aBroadcastReachesEverySessionIncludingTheSendersOwnWithThePayloadUnchanged(String payloadJson) {
        JsonNode payload = Contract.parseJson(payloadJson);
        try (Peer alice = Peer.connect(server, "alice");
             Peer bob1 = Peer.connect(server, "bob");
             Peer bob2 = Peer.connect(server, "bob")) {
            alice.send(broadcast("b-1", payloadJson));

            for (Peer receiver : new Peer[] {bob1, bob2}) {
                assertBroadcastFromAlice(receiver.next("broadcast"), payload);
            }
            // The sender's own session gets the broadcast as well (queued before the ack).
            assertBroadcastFromAlice(alice.next("broadcast"), payload);
            JsonNode ack = alice.next("ack");
            assertEquals("b-1", ack.get("id").asText());
            assertEquals(3, ack.get("delivered").asInt(), "delivered = every open session; ack: " + ack);

            for (Peer peer : new Peer[] {alice, bob1, bob2}) {
                peer.assertNothingReceived();
            }
        }
    }

    @Test
    void deliveredCountsTheSessionsOpenAtTheTimeOfTheBroadcast() {
        try (Peer alice = Peer.connect(server, "alice")) {
            alice.send(broadcast("alone", "1"));
            alice.next("broadcast");
            assertEquals(1, alice.next("ack").get("delivered").asInt(), "only the sender is connected");

            try (Peer bob = Peer.connect(server, "bob");
                 Peer demo = Peer.connect(server, "demo")) {
                alice.send(broadcast("three", "2"));
                alice.next("broadcast");
                assertEquals(3, alice.next("ack").get("delivered").asInt());
                bob.next("broadcast");
                demo.next("broadcast");
                assertEquals(1000, bob.client().closeNormally());
                assertEquals(1000, demo.client().closeNormally());
            }

            alice.send(broadcast("alone-again", "3"));
            alice.next("broadcast");
            assertEquals(1, alice.next("ack").get("delivered").asInt(), "closed sessions are not counted");
        }
    }

    @Test
    void aUserWithoutTheBroadcastRoleGetsForbiddenWithTheIdAndNobodyReceivesAnything() {
        try (Peer guest = Peer.connect(server, "guest");
             Peer alice = Peer.connect(server, "alice");
             Peer bob = Peer.connect(server, "bob")) {
            guest.send(broadcast("g-1", "{\"text\":\"let me in\"}"));
            JsonNode error = guest.next("error");
            assertEquals("forbidden", error.get("code").asText(), "error: " + error);
            assertEquals("g-1", error.path("id").asText(), "the error quotes the id: " + error);

            for (Peer peer : new Peer[] {guest, alice, bob}) {
                peer.assertNothingReceived();
            }
        }
    }

    @Test
    void aPublisherWithoutTheUserRoleMayNotBroadcastOverTheWebSocket() {
        try (Peer jobs = Peer.connect(server, "jobs");
             Peer alice = Peer.connect(server, "alice")) {
            jobs.send(broadcast("j-1", "1"));
            JsonNode error = jobs.next("error");
            assertEquals("forbidden", error.get("code").asText(), "error: " + error);
            assertEquals("j-1", error.path("id").asText());
            alice.assertNothingReceived();
        }
    }

    @Test
    void broadcastRoleChangesWhichRoleMayBroadcast() {
        try (TestServer admins = TestServer.start(Map.of("BROADCAST_ROLE", "admin"));
             Peer alice = Peer.connect(admins, "alice");
             Peer bob = Peer.connect(admins, "bob")) {
            alice.send(broadcast("a-1", "\"from alice\""));
            JsonNode error = alice.next("error");
            assertEquals("forbidden", error.get("code").asText(), "alice has 'user' but not 'admin': " + error);
            assertEquals("a-1", error.path("id").asText());
            bob.assertNothingReceived();

            bob.send(broadcast("b-1", "\"from bob\""));
            JsonNode received = alice.next("broadcast");
            assertEquals("bob", received.get("from").asText());
            assertEquals("from bob", received.get("payload").asText());
            assertEquals("bob", bob.next("broadcast").get("from").asText());
            JsonNode ack = bob.next("ack");
            assertEquals("b-1", ack.get("id").asText());
            assertEquals(2, ack.get("delivered").asInt());
        }
    }

    @Test
    void aBroadcastWithoutIdIsValidationFailedWithoutIdAndReachesNobody() {
        assertInvalidAndReachesNobody("{\"type\":\"broadcast\",\"payload\":1}", null);
    }

    @ParameterizedTest(name = "id {0}")
    @ValueSource(strings = {"7", "null", "\"\"", "[\"x\"]"})
    void aBroadcastWhoseIdIsNotANonEmptyStringIsValidationFailedAndReachesNobody(String id) {
        assertInvalidAndReachesNobody("{\"type\":\"broadcast\",\"id\":" + id + ",\"payload\":1}", null);
    }

    @Test
    void aBroadcastWithoutPayloadIsValidationFailedWithTheIdAndReachesNobody() {
        assertInvalidAndReachesNobody("{\"type\":\"broadcast\",\"id\":\"no-payload\"}", "no-payload");
    }

    @Test
    void aBroadcastWithAnExtraMemberIsValidationFailedWithTheIdAndReachesNobody() {
        assertInvalidAndReachesNobody("{\"type\":\"broadcast\",\"id\":\"extra\",\"payload\":1,\"to\":\"bob\"}", "extra");
        assertInvalidAndReachesNobody("{\"type\":\"broadcast\",\"id\":\"extra-from\",\"payload\":1,\"from\":\"bob\"}", "extra-from");
    }

    /**
     * A receiver's queued messages leave in batches combined into few writes (the engine's path for a writer that
     * finds several queued): every frame must still arrive whole, valid and in order, whatever mix of sizes around
     * the combined-write buffer's 8 KiB was queued together. The receiver reads only after all were sent.
     */
    @Test
    void broadcastsQueuedFasterThanTheyAreWrittenArriveWholeAndInOrderWhateverTheirSizes() {
        int count = 600;
        int[] sizes = {1, 300, 3_000, 9_000, 20_000, 40, 8_100, 7};
        try (TestServer fast = TestServer.start(Map.of("WS_MESSAGES_PER_SECOND", "100000"));
             RawPeer late = RawPeer.connect(fast, "bob", Map.of());
             Peer alice = Peer.connect(fast, "alice")) {
            for (int i = 0; i < count; i++) {
                alice.send(broadcast("m-" + i, "{\"i\":" + i + ",\"pad\":\"" + "x".repeat(sizes[i % sizes.length]) + "\"}"));
            }
            long offset = -1;
            for (int i = 0; i < count; i++) {
                JsonNode message = late.nextMessage("broadcast");
                JsonNode payload = message.get("payload");
                assertEquals(i, payload.get("i").asInt(), "in the order sent");
                assertEquals(sizes[i % sizes.length], payload.get("pad").asText().length(), "whole");
                if (offset >= 0) {
                    assertEquals(offset + 1, message.get("offset").asLong(), "no gap in the stream: " + message);
                }
                offset = message.get("offset").asLong();
            }
        }
    }

    private void assertInvalidAndReachesNobody(String message, String expectedId) {
        try (Peer alice = Peer.connect(server, "alice");
             Peer bob = Peer.connect(server, "bob")) {
            alice.client().sendRaw(message);
            JsonNode error = alice.next("error");
            assertEquals("validation_failed", error.get("code").asText(), "error for " + message + ": " + error);
            if (expectedId == null) {
                assertFalse(error.has("id"), "no usable id was sent, yet the error carries one: " + error);
            } else {
                assertEquals(expectedId, error.path("id").asText(), "error: " + error);
            }
            alice.assertNothingReceived();
            bob.assertNothingReceived();
        }
    }

    private static void assertBroadcastFromAlice(JsonNode message, JsonNode payload) {
        assertEquals("alice", message.get("from").asText(), "message: " + message);
        assertEquals(payload, message.get("payload"), "payload unchanged; message: " + message);
    }

    static String broadcast(String id, String payloadJson) {
        return "{\"type\":\"broadcast\",\"id\":\"" + id + "\",\"payload\":" + payloadJson + "}";
    }
}
