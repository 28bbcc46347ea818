package dev.realtime;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.support.Peer;
import dev.realtime.support.TestServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The periodic {@code tick} (asyncapi.yaml {@code sendTick}): every {@code TICK_INTERVAL_SECONDS} to every
 * session, with the number of open sessions; off by default.
 */
@Timeout(60)
class TickTest {
    @Test
    void withATickIntervalEverySessionGetsTicksCountingTheOpenSessions() {
        try (TestServer server = TestServer.start(Map.of("TICK_INTERVAL_SECONDS", "1"));
             Peer alice = Peer.connect(server, "alice");
             Peer bob = Peer.connect(server, "bob")) {
            // A tick may already have been on its way while bob connected: wait for one that counts both.
            JsonNode tick = nextTickCounting(alice, 2);
            Instant at = OffsetDateTime.parse(tick.get("at").asText()).toInstant();
            assertTrue(Duration.between(at, Instant.now()).abs().compareTo(Duration.ofSeconds(2)) < 0, "at is now: " + tick);
            assertEquals(2, nextTickCounting(bob, 2).get("sessions").asInt());

            JsonNode next = alice.next("tick");
            Duration apart = Duration.between(at, OffsetDateTime.parse(next.get("at").asText()).toInstant());
            assertTrue(apart.compareTo(Duration.ofMillis(500)) >= 0 && apart.compareTo(Duration.ofMillis(2500)) <= 0,
                       "ticks about a second apart, not " + apart);

            assertEquals(1000, bob.client().closeNormally());
            assertEquals(1, nextTickCounting(alice, 1).get("sessions").asInt());
        }
    }

    @Test
    void ticksDoNotGetInTheWayOfReplies() {
        try (TestServer server = TestServer.start(Map.of("TICK_INTERVAL_SECONDS", "1"));
             Peer alice = Peer.connect(server, "alice")) {
            alice.next("tick");
            for (int i = 0; i < 3; i++) {
                alice.send("{\"type\":\"echo\",\"id\":\"e-" + i + "\",\"payload\":" + i + "}");
                JsonNode reply = alice.client().next();
                while (reply.get("type").asText().equals("tick")) {
                    reply = alice.client().next();
                }
                assertEquals("e-" + i, reply.get("id").asText(), "reply: " + reply);
            }
        }
    }

    @Test
    void withoutATickIntervalNoTickIsSent() throws InterruptedException {
        try (TestServer server = TestServer.start();
             Peer alice = Peer.connect(server, "alice")) {
            Thread.sleep(2_500);
            alice.assertNothingReceived();
        }
    }

    @Test
    void aTickIntervalOfZeroMeansNoTicks() throws InterruptedException {
        try (TestServer server = TestServer.start(Map.of("TICK_INTERVAL_SECONDS", "0"));
             Peer alice = Peer.connect(server, "alice")) {
            Thread.sleep(2_500);
            alice.assertNothingReceived();
        }
    }

    private static JsonNode nextTickCounting(Peer peer, int sessions) {
        for (int i = 0; i < 5; i++) {
            JsonNode tick = peer.next("tick");
            if (tick.get("sessions").asInt() == sessions) {
                return tick;
            }
        }
        return fail("no tick counting " + sessions + " sessions in 5 ticks");
    }
}
