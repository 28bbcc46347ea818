package dev.realtime;

import java.time.Instant;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Peer;
import dev.realtime.support.RunningServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Presence (asyncapi.yaml {@code receiveSubscription}, {@code sendPresence}): after {@code subscribe}
 * to {@code presence} a session gets a {@code join} for every session that opens and one {@code leave}
 * for every session that closes, however it closed; other sessions get nothing, and {@code unsubscribe}
 * stops the events. A fresh server per test.
 */
@Timeout(60)
class PresenceTest {
    @RegisterExtension
    final RunningServer server = RunningServer.perTest();

    @Test
    void subscribeIsAcknowledgedWithItsIdAndNoDeliveredCount() {
        try (Peer alice = Peer.connect(server, "alice")) {
            alice.send(subscribe("s-1"));
            JsonNode ack = alice.next("ack");
            assertEquals("s-1", ack.get("id").asText());
            assertFalse(ack.has("delivered"), "delivered is for broadcast and direct only; ack: " + ack);
            // Sessions that were open before are not reported after the fact.
            alice.assertNothingReceived();
        }
    }

    @Test
    void aSubscriberGetsAJoinNamingTheUserAndTheWelcomeSessionIdOfEachNewSession() {
        try (Peer alice = subscribed("alice")) {
            Instant before = Instant.now();
            try (Peer bob = Peer.connect(server, "bob");
                 Peer aliceAgain = Peer.connect(server, "alice")) {
                Instant after = Instant.now();
                assertPresence(alice.next("presence"), "join", bob, before, after);
                // A user's own other sessions are reported too; the subscriber's own is not.
                assertPresence(alice.next("presence"), "join", aliceAgain, before, after);
                alice.assertNothingReceived();
            }
        }
    }

    @Test
    void aNormalCloseGivesExactlyOneLeave() {
        try (Peer alice = subscribed("alice");
             Peer bob = Peer.connect(server, "bob")) {
            assertPresence(alice.next("presence"), "join", bob);
            Instant before = Instant.now();
            assertEquals(1000, bob.client().closeNormally());
            assertPresence(alice.next("presence"), "leave", bob, before, Instant.now());
            assertNoSecondLeave(alice);
        }
    }

    /**
     * A client that crashes or loses its network sends no close frame; its subscribers must still hear
     * of it promptly (well before the keepalive's two ping intervals, 30 to 60 s by default).
     */
    @Test
    void aConnectionDroppedWithoutACloseFrameGivesExactlyOneLeaveWithinABoundedWait() {
        try (Peer alice = subscribed("alice");
             Peer bob = Peer.connect(server, "bob")) {
            assertPresence(alice.next("presence"), "join", bob);
            Instant before = Instant.now();
            bob.client().abort();
            // next() waits at most 10 s.
            assertPresence(alice.next("presence"), "leave", bob, before, Instant.now());
            assertNoSecondLeave(alice);
        }
    }

    @Test
    void aSessionThatDidNotSubscribeGetsNoPresenceEvents() {
        try (Peer watcher = subscribed("alice");
             Peer demo = Peer.connect(server, "demo")) {
            assertPresence(watcher.next("presence"), "join", demo);
            try (Peer bob = Peer.connect(server, "bob")) {
                // The watcher's join proves the event went out; demo, not subscribed, had nothing queued.
                assertPresence(watcher.next("presence"), "join", bob);
                demo.assertNothingReceived();
                assertEquals(1000, bob.client().closeNormally());
                assertPresence(watcher.next("presence"), "leave", bob);
                demo.assertNothingReceived();
            }
        }
    }

    @Test
    void unsubscribeIsAcknowledgedAndStopsTheEvents() {
        try (Peer alice = subscribed("alice");
             Peer watcher = subscribed("bob")) {
            assertPresence(alice.next("presence"), "join", watcher);
            alice.send("{\"type\":\"unsubscribe\",\"id\":\"u-1\",\"topic\":\"presence\"}");
            JsonNode ack = alice.next("ack");
            assertEquals("u-1", ack.get("id").asText());
            assertFalse(ack.has("delivered"), "ack: " + ack);

            try (Peer demo = Peer.connect(server, "demo")) {
                assertPresence(watcher.next("presence"), "join", demo);
                alice.assertNothingReceived();
                demo.client().abort();
                assertPresence(watcher.next("presence"), "leave", demo);
                alice.assertNothingReceived();
            }
        }
    }

    @Test
    void subscribingTwiceStillGivesOneEventPerSession() {
        try (Peer alice = subscribed("alice")) {
            alice.send(subscribe("again"));
            assertEquals("again", alice.next("ack").get("id").asText());
            try (Peer bob = Peer.connect(server, "bob")) {
                assertPresence(alice.next("presence"), "join", bob);
                alice.assertNothingReceived();
            }
        }
    }

    @Test
    void unsubscribingWithoutASubscriptionIsAcknowledged() {
        try (Peer alice = Peer.connect(server, "alice")) {
            alice.send("{\"type\":\"unsubscribe\",\"id\":\"never\",\"topic\":\"presence\"}");
            assertEquals("never", alice.next("ack").get("id").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"type\":\"subscribe\",\"id\":\"t\",\"topic\":\"chat\"}",
            "{\"type\":\"subscribe\",\"id\":\"t\",\"topic\":\"Presence\"}",
            "{\"type\":\"subscribe\",\"id\":\"t\",\"topic\":\"\"}",
            "{\"type\":\"subscribe\",\"id\":\"t\",\"topic\":1}",
            "{\"type\":\"subscribe\",\"id\":\"t\",\"topic\":null}",
            "{\"type\":\"subscribe\",\"id\":\"t\",\"topic\":[\"presence\"]}",
            "{\"type\":\"subscribe\",\"id\":\"t\"}",
            "{\"type\":\"subscribe\",\"id\":\"t\",\"topic\":\"presence\",\"payload\":1}",
            "{\"type\":\"unsubscribe\",\"id\":\"t\",\"topic\":\"chat\"}",
            "{\"type\":\"unsubscribe\",\"id\":\"t\",\"topic\":1}",
            "{\"type\":\"unsubscribe\",\"id\":\"t\"}",
    })
    void anInvalidSubscriptionIsValidationFailedWithTheIdAndSubscribesNothing(String message) {
        try (Peer alice = Peer.connect(server, "alice");
             Peer watcher = subscribed("bob")) {
            alice.client().sendRaw(message);
            JsonNode error = alice.next("error");
            assertEquals("validation_failed", error.get("code").asText(), "error for " + message + ": " + error);
            assertEquals("t", error.path("id").asText(), "error: " + error);
            try (Peer demo = Peer.connect(server, "demo")) {
                assertPresence(watcher.next("presence"), "join", demo);
                alice.assertNothingReceived();
            }
        }
    }

    @Test
    void aSubscriptionWithoutIdIsValidationFailedWithoutId() {
        try (Peer alice = Peer.connect(server, "alice")) {
            alice.client().sendRaw("{\"type\":\"subscribe\",\"topic\":\"presence\"}");
            JsonNode error = alice.next("error");
            assertEquals("validation_failed", error.get("code").asText());
            assertFalse(error.has("id"), "error: " + error);
        }
    }

    private Peer subscribed(String user) {
        Peer peer = Peer.connect(server, user);
        peer.send(subscribe("sub-" + user));
        assertEquals("sub-" + user, peer.next("ack").get("id").asText());
        return peer;
    }

    /** Whoever notices a session is gone (its listener, a later lookup, the keepalive), it leaves only once. */
    private void assertNoSecondLeave(Peer subscriber) {
        server.sessions().all();
        subscriber.assertNothingReceived();
    }

    private static void assertPresence(JsonNode event, String kind, Peer about) {
        assertPresence(event, kind, about, null, null);
    }

    private static void assertPresence(JsonNode event, String kind, Peer about, Instant notBefore, Instant notAfter) {
        assertEquals(kind, event.get("event").asText(), "event: " + event);
        assertEquals(about.user(), event.get("user").asText(), "event: " + event);
        assertEquals(about.sessionId(), event.get("sessionId").asText(), "the sessionId of the welcome; event: " + event);
        Instant at = OffsetDateTime.parse(event.get("at").asText()).toInstant();
        if (notBefore != null) {
            assertFalse(at.isBefore(notBefore.minusSeconds(1)), "at " + at + " before " + notBefore + "; event: " + event);
            assertFalse(at.isAfter(notAfter.plusSeconds(1)), "at " + at + " after " + notAfter + "; event: " + event);
        }
    }

    private static String subscribe(String id) {
        return "{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"topic\":\"presence\"}";
    }
}
