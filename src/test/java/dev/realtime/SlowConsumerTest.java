package dev.realtime;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.metrics.RealtimeMetrics;
import dev.realtime.support.Await;
import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.Peer;
import dev.realtime.support.RawHttp;
import dev.realtime.support.RunningServer;
import dev.realtime.support.ServerFrames;
import dev.realtime.support.ServerFrames.Frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Slow consumers (asyncapi.yaml: each session has a bounded outbound queue; a client that does not read
 * fast enough to keep it from filling up is closed with 1008 and never slows anyone else). A raw peer
 * that completes the handshake and then stops reading lets the kernel's socket buffers fill up, then its
 * queue of {@code WS_OUTBOUND_QUEUE_SIZE=16}; the publisher and the reading clients must not notice.
 */
@Timeout(120)
class SlowConsumerTest {
    private static final int QUEUE_SIZE = 16;
    /** Large messages, so that the kernel buffers of the silent peer fill up after a few megabytes. */
    private static final int PAYLOAD_CHARS = 32 * 1024;
    /** Enough to fill any loopback socket buffers many times over; the overflow comes well before. */
    private static final int MAX_PUBLISHES = 1_000;
    /** Messages published after the slow consumer was cut off, which the others must still get. */
    private static final int AFTERWARDS = 20;
    /** Not a benchmark: a call that takes this long is held up by the slow consumer. */
    private static final Duration PROMPTLY = Duration.ofSeconds(2);
    private static final String SLOW_CONSUMERS = "realtime.slow.consumers";

    @RegisterExtension
    final RunningServer server = RunningServer.perTest(Map.of("WS_OUTBOUND_QUEUE_SIZE", String.valueOf(QUEUE_SIZE),
                                         "MAX_BODY_BYTES", "65536"));

    @Test
    void aPeerThatNeverReadsIsCutOffWithoutHoldingUpThePublisherOrTheOthers() throws IOException {
        long slowBefore = RealtimeMetrics.count(SLOW_CONSUMERS, null, null);
        try (Peer bob = Peer.connect(server, "bob");
             Socket silent = RawHttp.silentWebSocket(server, "/?token=" + Peer.token(server, "alice"))) {
            String silentId = awaitSessionOf("alice");

            int published = publishUntilGone(silentId, this::publish);

            // Bob read along the whole time and got every message, in order.
            for (int seq = 0; seq < published; seq++) {
                JsonNode message = bob.next("broadcast");
                assertEquals("jobs", message.get("from").asText());
                assertEquals(seq, message.get("payload").get("seq").asInt(), "bob's messages in order");
            }
            bob.assertNothingReceived();
            assertEquals(slowBefore + 1, RealtimeMetrics.count(SLOW_CONSUMERS, null, null),
                         SLOW_CONSUMERS + " counts the one slow consumer once");
        }
    }

    @Test
    void aClientsBroadcastIsAcknowledgedPromptlyWhileAPeerDoesNotRead() throws IOException {
        long slowBefore = RealtimeMetrics.count(SLOW_CONSUMERS, null, null);
        try (Peer bob = Peer.connect(server, "bob");
             Peer demo = Peer.connect(server, "demo");
             Socket silent = RawHttp.silentWebSocket(server, "/?token=" + Peer.token(server, "alice"))) {
            String silentId = awaitSessionOf("alice");

            int published = publishUntilGone(silentId, seq -> {
                bob.send(BroadcastTest.broadcast("b-" + seq, payload(seq)));
                assertEquals(seq, bob.next("broadcast").get("payload").get("seq").asInt(), "bob's own broadcast");
                return bob.next("ack").get("delivered").asInt();
            });

            for (int seq = 0; seq < published; seq++) {
                JsonNode message = demo.next("broadcast");
                assertEquals("bob", message.get("from").asText());
                assertEquals(seq, message.get("payload").get("seq").asInt(), "demo's messages in order");
            }
            demo.assertNothingReceived();
            assertEquals(slowBefore + 1, RealtimeMetrics.count(SLOW_CONSUMERS, null, null));
        }
    }

    /**
     * A peer that stalls long enough to overflow and then reads again finds, after the messages it was
     * sent, the 1008 close frame (asyncapi.yaml x-close-codes), and then the server hangs up.
     */
    @Test
    void aPeerThatReadsAgainAfterOverflowingFindsTheMessagesInOrderThenA1008CloseFrame() throws IOException {
        try (Socket stalled = RawHttp.silentWebSocket(server, "/?token=" + Peer.token(server, "alice"))) {
            String stalledId = awaitSessionOf("alice");
            publishUntilGone(stalledId, this::publish);

            DataInputStream in = new DataInputStream(stalled.getInputStream());
            JsonNode welcome = Contract.assertServerMessage(ServerFrames.read(in).text());
            assertEquals(stalledId, welcome.get("sessionId").asText());
            int expectedSeq = 0;
            for (Frame frame = ServerFrames.read(in); ; frame = ServerFrames.read(in)) {
                if (frame.opcode() == ServerFrames.CLOSE) {
                    int code = frame.closeCode();
                    Contract.assertDocumentedCloseCode(code);
                    assertEquals(1008, code, "a slow consumer is closed with 1008 (policy violation)");
                    break;
                }
                if (frame.opcode() == ServerFrames.PING) {
                    continue; // the keepalive may ping this peer at any time (its slot came round)
                }
                assertEquals(ServerFrames.TEXT, frame.opcode(), "only text frames (and pings) before the close");
                JsonNode message = Contract.assertServerMessage(frame.text());
                assertEquals(expectedSeq++, message.get("payload").get("seq").asInt(), "messages in order, none lost in between");
            }
            assertTrue(expectedSeq > QUEUE_SIZE, "the kernel buffers held more than the queue: " + expectedSeq);
            ServerFrames.assertHangsUp(in);
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private interface Publisher {
        /** Publishes message {@code seq} and returns how many sessions it was delivered to. */
        int publish(int seq);
    }

    /**
     * Publishes numbered messages, each of which must be answered promptly, until the session
     * {@code slowId} is cut off, and then {@link #AFTERWARDS} more.
     *
     * @return how many messages were published (numbered 0 to the result - 1)
     */
    private int publishUntilGone(String slowId, Publisher publisher) {
        int gone = -1;
        int seq = 0;
        for (; seq < MAX_PUBLISHES && (gone < 0 || seq < gone + AFTERWARDS); seq++) {
            long start = System.nanoTime();
            publisher.publish(seq);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(PROMPTLY) < 0, "publish " + seq + " took " + took + ": the sender was held up");
            if (gone < 0 && !isRegistered(slowId)) {
                gone = seq;
            }
        }
        if (gone < 0) {
            fail("The peer that does not read was not cut off after " + MAX_PUBLISHES + " messages of "
                         + PAYLOAD_CHARS + " characters with a queue of " + QUEUE_SIZE);
        }
        return seq;
    }

    private int publish(int seq) {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(server.http("/messages"))
                                                          .header("Content-Type", "application/json")
                                                          .header("Authorization", "Bearer " + Peer.token(server, "jobs"))
                                                          .POST(HttpRequest.BodyPublishers.ofString("{\"payload\":" + payload(seq) + "}"))
                                                          .build());
        JsonNode result = Contract.assertHttp("POST", "/messages", response.statusCode(), response.headers(), response.body());
        assertEquals(202, response.statusCode(), response.body());
        return result.get("delivered").asInt();
    }

    private static String payload(int seq) {
        return "{\"seq\":" + seq + ",\"data\":\"" + "x".repeat(PAYLOAD_CHARS) + "\"}";
    }

    private String awaitSessionOf(String user) {
        Await.until(() -> server.sessions().sessionsOf(user).size() == 1, () -> user + " has no session");
        return server.sessions().sessionsOf(user).getFirst().id();
    }

    private boolean isRegistered(String sessionId) {
        return server.sessions().all().stream().anyMatch(s -> s.id().equals(sessionId));
    }
}
