package dev.realtime;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.realtime.support.Await;
import dev.realtime.support.Contract;
import dev.realtime.support.Peer;
import dev.realtime.support.RawHttp;
import dev.realtime.support.ServerFrames;
import dev.realtime.support.ServerFrames.Frame;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestServer;
import dev.realtime.support.WsClient;
import dev.realtime.ws.ConnectedSession;
import dev.realtime.ws.Outbound;
import dev.realtime.ws.protocol.TextFrame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the server does with input it cannot act on (asyncapi.yaml {@code sendError}, {@code x-close-codes}):
 * a bad message gets an {@code error} and the connection stays open; only frame-level problems close it,
 * with the documented code, and a closed connection leaves the session registry.
 */
class MessageErrorsTest {
    private static final int SMALL_LIMIT = 1024;
    private static final AtomicInteger PROBES = new AtomicInteger();
    private static TestServer server;
    /** The same service with {@code WS_MAX_MESSAGE_BYTES=1024}, so that limits are cheap to reach. */
    private static TestServer small;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        small = TestServer.start(Map.of("WS_MAX_MESSAGE_BYTES", String.valueOf(SMALL_LIMIT)));
    }

    @AfterAll
    static void stop() {
        server.close();
        small.close();
    }

    // --- message-level errors: an error message, and the connection stays open ---

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "not json",
            "{",
            "{\"type\":\"echo\",}",
            "{'type':'echo','id':'a','payload':1}",
            "/* comment */ {\"type\":\"echo\",\"id\":\"a\",\"payload\":1}",
            "{\"type\":\"echo\",\"id\":\"a\",\"payload\":1} trailing",
            "{\"type\":\"echo\",\"id\":\"a\",\"payload\":1}{}",
            "{\"type\":\"echo\",\"id\":\"a\",\"payload\":NaN}",
    })
    void textThatIsNotJsonIsMalformedJson(String text) {
        assertErrorAndStillOpen(text, "malformed_json", null);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", " ", "\n\t "})
    void anEmptyOrBlankTextMessageIsMalformedJson(String text) {
        assertErrorAndStillOpen(text, "malformed_json", null);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[]", "\"x\"", "42", "true", "null", "[{\"type\":\"echo\",\"id\":\"a\",\"payload\":1}]"})
    void jsonThatIsNotAnObjectIsValidationFailed(String text) {
        assertErrorAndStillOpen(text, "validation_failed", null);
    }

    @Test
    void anObjectWithoutTypeIsValidationFailed() {
        assertErrorAndStillOpen("{}", "validation_failed", null);
        assertErrorAndStillOpen("{\"id\":\"no-type\",\"payload\":1}", "validation_failed", "no-type");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1", "null", "true", "[\"echo\"]", "{\"name\":\"echo\"}"})
    void aTypeThatIsNotAStringIsValidationFailedAndCarriesTheId(String type) {
        assertErrorAndStillOpen("{\"type\":" + type + ",\"id\":\"t-1\",\"payload\":1}", "validation_failed", "t-1");
    }

    @Test
    void anUnknownTypeIsUnknownTypeAndCarriesTheIdWhenItIsValid() {
        assertErrorAndStillOpen("{\"type\":\"chat\",\"id\":\"u-1\",\"payload\":1}", "unknown_type", "u-1");
        assertErrorAndStillOpen("{\"type\":\"ECHO\",\"id\":\"u-2\",\"payload\":1}", "unknown_type", "u-2");
        assertErrorAndStillOpen("{\"type\":\"\",\"id\":\"u-3\"}", "unknown_type", "u-3");
        assertErrorAndStillOpen("{\"type\":\"chat\"}", "unknown_type", null);
        assertErrorAndStillOpen("{\"type\":\"chat\",\"id\":7}", "unknown_type", null);
        assertErrorAndStillOpen("{\"type\":\"chat\",\"id\":\"" + "x".repeat(129) + "\"}", "unknown_type", null);
    }

    @Test
    void anEchoWithoutIdIsValidationFailed() {
        assertErrorAndStillOpen("{\"type\":\"echo\",\"payload\":1}", "validation_failed", null);
    }

    @ParameterizedTest(name = "id {0}")
    @ValueSource(strings = {"1", "1.5", "null", "true", "[\"a\"]", "{\"id\":\"a\"}", "\"\""})
    void anEchoWhoseIdIsNotANonEmptyStringIsValidationFailedWithoutId(String id) {
        assertErrorAndStillOpen("{\"type\":\"echo\",\"id\":" + id + ",\"payload\":1}", "validation_failed", null);
    }

    @Test
    void anEchoWithAnIdOf129CharactersIsValidationFailedWithoutId() {
        assertErrorAndStillOpen("{\"type\":\"echo\",\"id\":\"" + "x".repeat(129) + "\",\"payload\":1}", "validation_failed", null);
        assertErrorAndStillOpen("{\"type\":\"echo\",\"id\":\"" + "😀".repeat(129) + "\",\"payload\":1}", "validation_failed", null);
    }

    @Test
    void anEchoWithoutPayloadIsValidationFailedAndCarriesTheId() {
        assertErrorAndStillOpen("{\"type\":\"echo\",\"id\":\"no-payload\"}", "validation_failed", "no-payload");
    }

    @Test
    void anEchoWithAnExtraMemberIsValidationFailedAndCarriesTheId() {
        assertErrorAndStillOpen("{\"type\":\"echo\",\"id\":\"extra\",\"payload\":1,\"more\":2}", "validation_failed", "extra");
        assertErrorAndStillOpen("{\"type\":\"echo\",\"id\":\"extra-null\",\"payload\":1,\"more\":null}", "validation_failed", "extra-null");
    }

    @Test
    void manyBadMessagesInARowAreEachAnsweredAndTheConnectionStaysOpen() {
        try (WsClient client = open(server)) {
            for (int i = 0; i < 20; i++) {
                client.sendRaw(i % 2 == 0 ? "nope " + i : "{\"type\":\"chat\",\"id\":\"bad-" + i + "\"}");
                JsonNode error = client.next("error");
                assertEquals(i % 2 == 0 ? "malformed_json" : "unknown_type", error.get("code").asText());
            }
            assertStillOpen(client);
        }
    }

    // --- frame-level errors: the connection is closed with the documented code, and the session is gone ---

    @Test
    void aBinaryFrameClosesWith1003AndTheSessionIsGone() {
        try (WsClient client = Peer.open(server, "alice")) {
            String sessionId = client.next("welcome").get("sessionId").asText();
            client.sendBinary("{\"type\":\"echo\",\"id\":\"b\",\"payload\":1}".getBytes(StandardCharsets.UTF_8));
            assertEquals(1003, client.awaitClose());
            awaitSessionGone(server, sessionId);
        }
    }

    /**
     * RFC 6455 5.5.1: no data frame after the close frame. The peer below does not read while 32 MB of
     * pushes are queued for it (128 MiB: more than loopback socket buffers hold, which autotune up to
     * tcp_rmem's maximum, 32 MiB here, plus the send buffer), then either sends a binary frame
     * (the server closes with 1003) or closes itself (the server answers 1000): what is still queued is
     * dropped, a frame being written is finished, and the server's close frame comes last.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"a binary frame, 1003, 828000000000", "a close frame from the peer, 1000, 88820000000003e8"})
    void aCloseWhilePushesAreQueuedComesAfterTheFrameBeingWrittenAndNothingFollowsIt(String what, int expectedCode,
                                                                                    String frameHex) throws IOException {
        int pushes = 1000;
        try (Socket socket = RawHttp.silentWebSocket(server, "/?token=" + Peer.token(server, "alice"))) {
            socket.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String sessionId = Contract.assertServerMessage(ServerFrames.read(in).text()).get("sessionId").asText();
            ConnectedSession session = server.sessions().all().stream()
                    .filter(s -> s.id().equals(sessionId)).findFirst().orElseThrow();
            TextFrame push = new Outbound.Pushed("broadcast", "jobs", TextNode.valueOf("x".repeat(128 * 1024)), "broadcast", 1, "e1").frame();
            for (int i = 0; i < pushes; i++) {
                assertTrue(session.send(push), "push " + i + " queued");
            }

            // masked with the key 0, so the payload reads as sent
            socket.getOutputStream().write(HexFormat.of().parseHex(frameHex));
            int delivered = 0;
            Frame frame = ServerFrames.read(in);
            while (frame.opcode() == ServerFrames.TEXT) {
                Contract.assertServerMessage(frame.text());
                delivered++;
                frame = ServerFrames.read(in);
            }
            assertEquals(expectedCode, frame.closeCode(), "after " + what);
            assertTrue(delivered < pushes, "what was still queued at the close is dropped, not sent: " + delivered);

            socket.setSoTimeout(1_000);
            try {
                assertEquals(-1, in.read(), "nothing after the close frame");
            } catch (SocketTimeoutException e) {
                // nothing came (the server may wait for our close frame)
            }
        }
    }

    @Test
    void aSingleFrameOverTheLimitClosesWith1009AndTheSessionIsGone() {
        try (WsClient client = Peer.open(small, "alice")) {
            String sessionId = client.next("welcome").get("sessionId").asText();
            String message = EchoTest.echoOfExactly(SMALL_LIMIT + 1, "too-big");
            client.send(message);
            assertEquals(1009, client.awaitClose());
            awaitSessionGone(small, sessionId);
        }
    }

    @Test
    void aFragmentedMessageOverTheLimitClosesWith1009EvenThoughEachFragmentIsUnderIt() {
        try (WsClient client = Peer.open(small, "alice")) {
            String sessionId = client.next("welcome").get("sessionId").asText();
            String message = EchoTest.echoOfExactly(1200, "too-big-in-parts");
            Contract.assertClientMessage(message);
            String[] parts = thirds(message);
            for (String part : parts) {
                assertTrue(part.getBytes(StandardCharsets.UTF_8).length < SMALL_LIMIT);
            }
            // The first two fragments together are under the limit; the third takes the message over it.
            assertTrue((parts[0] + parts[1]).getBytes(StandardCharsets.UTF_8).length <= SMALL_LIMIT);
            client.sendFragments(parts);
            assertEquals(1009, client.awaitClose());
            awaitSessionGone(small, sessionId);
        }
    }

    @Test
    void aFragmentedMessageOfExactlyTheLimitIsAnswered() {
        try (WsClient client = open(small)) {
            String message = EchoTest.echoOfExactly(SMALL_LIMIT, "limit-in-parts");
            client.sendFragments(thirds(message));
            assertEquals("limit-in-parts", client.next("echo").get("id").asText());
            assertStillOpen(client);
        }
    }

    // --- helpers ---

    private static void assertErrorAndStillOpen(String text, String code, String expectedId) {
        try (WsClient client = open(server)) {
            client.sendRaw(text);
            JsonNode error = client.next("error");
            assertEquals(code, error.get("code").asText(), "error for " + text + ": " + error);
            if (expectedId == null) {
                assertFalse(error.has("id"), "no usable id was sent, yet the error carries one: " + error);
            } else {
                assertEquals(expectedId, error.path("id").asText(), "the error must quote the message's id: " + error);
            }
            assertStillOpen(client);
        }
    }

    /** Proof that the connection is still usable: an echo is answered. */
    private static void assertStillOpen(WsClient client) {
        String id = "alive-" + PROBES.incrementAndGet();
        client.send("{\"type\":\"echo\",\"id\":\"" + id + "\",\"payload\":\"still here\"}");
        JsonNode reply = client.next("echo");
        assertEquals(id, reply.get("id").asText());
        assertFalse(client.isClosed());
    }

    private static WsClient open(ServiceUnderTest target) {
        return Peer.connect(target, "alice").client();
    }

    private static void awaitSessionGone(TestServer target, String sessionId) {
        Await.until(() -> target.sessions().all().stream().noneMatch(s -> s.id().equals(sessionId)),
                    () -> "session " + sessionId + " is still in the registry after the connection was closed");
    }

    /** Three fragments, cut between characters (never inside a surrogate pair). */
    private static String[] thirds(String message) {
        int a = cut(message, message.length() / 3);
        int b = cut(message, 2 * message.length() / 3);
        return new String[] {message.substring(0, a), message.substring(a, b), message.substring(b)};
    }

    private static int cut(String s, int at) {
        return Character.isLowSurrogate(s.charAt(at)) ? at + 1 : at;
    }
}
