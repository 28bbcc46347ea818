package dev.realtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Await;
import dev.realtime.support.Contract;
import dev.realtime.support.Peer;
import dev.realtime.support.RunningServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code direct} (asyncapi.yaml {@code receiveDirect}, {@code sendDirect}): every session of the
 * addressed user gets the message, nobody else does, and the sender gets an {@code ack} with the
 * number of sessions, or {@code user_not_connected}. A fresh server per test.
 */
@Timeout(60)
class DirectMessageTest {
    @RegisterExtension
    final RunningServer server = RunningServer.perTest();

    @Test
    void aDirectMessageReachesEverySessionOfTheAddresseeAndNoOneElse() {
        String payload = "{\"text\":\"hi bob\",\"n\":[1,2.50,null]}";
        try (Peer alice1 = Peer.connect(server, "alice");
             Peer alice2 = Peer.connect(server, "alice");
             Peer bob1 = Peer.connect(server, "bob");
             Peer bob2 = Peer.connect(server, "bob");
             Peer demo = Peer.connect(server, "demo")) {
            alice1.send(direct("d-1", "bob", payload));

            JsonNode ack = alice1.next("ack");
            assertEquals("d-1", ack.get("id").asText());
            assertEquals(2, ack.get("delivered").asInt(), "bob has two sessions; ack: " + ack);
            for (Peer bob : new Peer[] {bob1, bob2}) {
                JsonNode message = bob.next("direct");
                assertEquals("alice", message.get("from").asText(), "message: " + message);
                assertEquals(Contract.parseJson(payload), message.get("payload"), "payload unchanged; message: " + message);
            }
            // The ack was queued after the deliveries: whatever the others were going to get is queued by now.
            for (Peer other : new Peer[] {alice1, alice2, demo, bob1, bob2}) {
                other.assertNothingReceived();
            }
        }
    }

    /** A client that holds its welcome is reachable at once: its session is registered before the welcome is sent. */
    @Test
    void aSessionIsReachableAsSoonAsItsClientHasTheWelcome() {
        try (Peer alice = Peer.connect(server, "alice")) {
            for (int i = 0; i < 100; i++) {
                try (Peer bob = Peer.connect(server, "bob")) {
                    alice.send(direct("r-" + i, "bob", String.valueOf(i)));
                    JsonNode reply = alice.client().next();
                    assertEquals("ack", reply.path("type").asText(), "round " + i + ": bob has his welcome; reply: " + reply);
                    assertEquals(1, reply.get("delivered").asInt());
                    assertEquals(i, bob.next("direct").get("payload").asInt());
                    assertEquals(1000, bob.client().closeNormally());
                }
            }
        }
    }

    @Test
    void aDirectMessageToOneselfReachesEveryOwnSessionTheSendersToo() {
        try (Peer alice1 = Peer.connect(server, "alice");
             Peer alice2 = Peer.connect(server, "alice");
             Peer bob = Peer.connect(server, "bob")) {
            alice1.send(direct("self", "alice", "\"note to self\""));
            assertEquals("note to self", alice1.next("direct").get("payload").asText());
            assertEquals(2, alice1.next("ack").get("delivered").asInt());
            assertEquals("alice", alice2.next("direct").get("from").asText());
            bob.assertNothingReceived();
        }
    }

    @Test
    void aDirectMessageToAUserWithNoSessionIsUserNotConnectedWithTheId() {
        try (Peer alice = Peer.connect(server, "alice");
             Peer bob = Peer.connect(server, "bob")) {
            for (String nobody : new String[] {"demo", "mallory", "Bob", "x".repeat(128)}) {
                alice.send(direct("to-" + nobody.length(), nobody, "1"));
                JsonNode error = alice.next("error");
                assertEquals("user_not_connected", error.get("code").asText(), "direct to " + nobody + ": " + error);
                assertEquals("to-" + nobody.length(), error.path("id").asText(), "error: " + error);
            }
            bob.assertNothingReceived();
            alice.assertNothingReceived();
        }
    }

    @Test
    void aDirectMessageToAUserWhoClosedTheirLastSessionIsUserNotConnected() {
        try (Peer alice = Peer.connect(server, "alice");
             Peer bob1 = Peer.connect(server, "bob");
             Peer bob2 = Peer.connect(server, "bob")) {
            assertEquals(1000, bob1.client().closeNormally());
            alice.send(direct("one-left", "bob", "1"));
            assertEquals(1, alice.next("ack").get("delivered").asInt(), "bob has one session left");
            bob2.next("direct");

            // The server answers a client's close after forgetting the session: no wait is needed.
            assertEquals(1000, bob2.client().closeNormally());
            alice.send(direct("gone", "bob", "2"));
            JsonNode error = alice.next("error");
            assertEquals("user_not_connected", error.get("code").asText(), "error: " + error);
            assertEquals("gone", error.path("id").asText());
        }
    }

    @Test
    void aDirectMessageToAUserWhoseConnectionDroppedIsUserNotConnected() {
        try (Peer alice = Peer.connect(server, "alice");
             Peer bob = Peer.connect(server, "bob")) {
            bob.client().abort();
            Await.until(() -> server.sessions().sessionsOf("bob").isEmpty(), () -> "bob's dropped session is still registered");
            alice.send(direct("dropped", "bob", "1"));
            JsonNode error = alice.next("error");
            assertEquals("user_not_connected", error.get("code").asText(), "error: " + error);
            assertEquals("dropped", error.path("id").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"type\":\"direct\",\"id\":\"v\",\"payload\":1}",
            "{\"type\":\"direct\",\"id\":\"v\",\"to\":\"\",\"payload\":1}",
            "{\"type\":\"direct\",\"id\":\"v\",\"to\":7,\"payload\":1}",
            "{\"type\":\"direct\",\"id\":\"v\",\"to\":null,\"payload\":1}",
            "{\"type\":\"direct\",\"id\":\"v\",\"to\":[\"bob\"],\"payload\":1}",
            "{\"type\":\"direct\",\"id\":\"v\",\"to\":{\"user\":\"bob\"},\"payload\":1}",
            "{\"type\":\"direct\",\"id\":\"v\",\"to\":true,\"payload\":1}",
            "{\"type\":\"direct\",\"id\":\"v\",\"to\":\"bob\"}",
            "{\"type\":\"direct\",\"id\":\"v\",\"to\":\"bob\",\"payload\":1,\"cc\":\"alice\"}",
    })
    void anInvalidDirectRequestIsValidationFailedWithTheIdAndReachesNobody(String message) {
        assertInvalidAndReachesNobody(message, "v");
    }

    @Test
    void aRecipientOf129CharactersIsValidationFailed() {
        assertInvalidAndReachesNobody(direct("long", "x".repeat(129), "1"), "long");
        assertInvalidAndReachesNobody(direct("long-emoji", "😀".repeat(129), "1"), "long-emoji");
    }

    @Test
    void aDirectRequestWithoutIdIsValidationFailedWithoutId() {
        try (Peer alice = Peer.connect(server, "alice");
             Peer bob = Peer.connect(server, "bob")) {
            alice.client().sendRaw("{\"type\":\"direct\",\"to\":\"bob\",\"payload\":1}");
            JsonNode error = alice.next("error");
            assertEquals("validation_failed", error.get("code").asText());
            assertFalse(error.has("id"), "error: " + error);
            bob.assertNothingReceived();
        }
    }

    private void assertInvalidAndReachesNobody(String message, String id) {
        try (Peer alice = Peer.connect(server, "alice");
             Peer bob = Peer.connect(server, "bob")) {
            alice.client().sendRaw(message);
            JsonNode error = alice.next("error");
            assertEquals("validation_failed", error.get("code").asText(), "error for " + message + ": " + error);
            assertEquals(id, error.path("id").asText(), "error: " + error);
            bob.assertNothingReceived();
            alice.assertNothingReceived();
        }
    }

    static String direct(String id, String to, String payloadJson) {
        return "{\"type\":\"direct\",\"id\":\"" + id + "\",\"to\":\"" + to + "\",\"payload\":" + payloadJson + "}";
    }
}
