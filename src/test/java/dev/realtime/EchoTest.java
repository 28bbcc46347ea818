package dev.realtime;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.support.ClientFrames;
import dev.realtime.support.Contract;
import dev.realtime.support.Peer;
import dev.realtime.support.RawPeer;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestServer;
import dev.realtime.support.TestService;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The happy path of the channel (asyncapi.yaml {@code sendWelcome}, {@code receiveEcho}): the welcome,
 * and echo replies with the same {@code id} and an unchanged {@code payload}.
 */
@ServerTest
class EchoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server);
    }

    EchoTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    @Test
    void theFirstMessageIsAWelcomeNamingTheSessionUserRolesAndConnectionTime() {
        Instant before = Instant.now();
        try (WsClient client = Peer.open(server, "bob")) {
            JsonNode welcome = client.next("welcome");
            Instant after = Instant.now();
            assertFalse(welcome.get("sessionId").asText().isBlank());
            assertEquals("bob", welcome.get("user").asText());
            assertEquals(List.of("user", "admin"), strings(welcome.get("roles")));
            // RFC 3339 date-time (the schema's format), and the moment of this connection.
            Instant connectedAt = OffsetDateTime.parse(welcome.get("connectedAt").asText()).toInstant();
            assertFalse(connectedAt.isBefore(before.minusSeconds(1)), "connectedAt " + connectedAt + " before " + before);
            assertFalse(connectedAt.isAfter(after.plusSeconds(1)), "connectedAt " + connectedAt + " after " + after);
        }
    }

    @Test
    void twoConnectionsOfTheSameUserGetDifferentSessionIds() {
        String token = Peer.token(server, "alice");
        try (WsClient first = WsClient.connect(server.ws("/?token=" + token));
             WsClient second = WsClient.connect(server.ws("/?token=" + token))) {
            String firstId = first.next("welcome").get("sessionId").asText();
            String secondId = second.next("welcome").get("sessionId").asText();
            assertNotEquals(firstId, secondId);
        }
    }

    @ParameterizedTest(name = "payload {0}")
    @ValueSource(strings = {
            "{\"text\":\"olá\"}",
            "{}",
            "[]",
            "[1,\"two\",3.5,true,false,null,{\"six\":[6]}]",
            "\"olá — ünïcødé ✓ 中文 😀👍🏽 \\u0000 \\\" \\\\ \\n\"",
            "\"\"",
            "0",
            "42",
            "-17",
            "3.25",
            "-1.5e-7",
            "9223372036854775807",
            "1180591620717411303424",
            "true",
            "false",
            "null",
            "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":[[[{\"f\":[null,{\"g\":\"deep\"}]}]]]}}}},\"h\":[{},[],\"\",0]}",
    })
    void anEchoComesBackWithTheSameIdAndAnEqualPayload(String payloadJson) {
        JsonNode payload = Contract.parseJson(payloadJson);
        try (WsClient client = Peer.open(server, "alice")) {
            client.next("welcome");
            client.send(echo("p-1", payload));
            JsonNode reply = client.next("echo");
            assertEquals("p-1", reply.get("id").asText());
            assertEquals(payload, reply.get("payload"), "payload; reply: " + reply);
        }
    }

    @Test
    void decimalsComeBackDigitForDigit() {
        try (WsClient client = Peer.open(server, "alice")) {
            client.next("welcome");
            client.send("{\"type\":\"echo\",\"id\":\"d\",\"payload\":[3.141592653589793238462643383279,1.10,1e400]}");
            JsonNode payload = client.next("echo").get("payload");
            assertEquals("3.141592653589793238462643383279", payload.get(0).decimalValue().toString());
            assertEquals("1.10", payload.get(1).decimalValue().toString());
            assertEquals(0, new java.math.BigDecimal("1e400").compareTo(payload.get(2).decimalValue()));
        }
    }

    @Test
    void severalEchoesInARowAreAnsweredInOrder() {
        try (WsClient client = Peer.open(server, "alice")) {
            client.next("welcome");
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 25; i++) {
                String id = "seq-" + i;
                sent.add(id);
                client.send(echo(id, JSON.getNodeFactory().numberNode(i)));
            }
            List<String> answered = new ArrayList<>();
            for (int i = 1; i <= 25; i++) {
                JsonNode reply = client.next("echo");
                answered.add(reply.get("id").asText());
                assertEquals(i, reply.get("payload").asInt());
            }
            assertEquals(sent, answered);
        }
    }

    /**
     * Replies to messages that arrived together are held back and written together (up to 8 KiB at a time): replies
     * of up to 4 KiB that add up to more than that must all come back, in order, on a connection that stays open.
     */
    @ParameterizedTest(name = "{0} messages of {1} bytes in one write")
    @CsvSource({"4, 3000", "12, 4000", "40, 700"})
    void messagesSentInOneWriteAreAllAnsweredInOrderWhateverTheRepliesAddUpTo(int count, int bytes) {
        byte[][] frames = new byte[count][];
        for (int i = 0; i < count; i++) {
            frames[i] = ClientFrames.text(RawPeer.paddedEcho(bytes).replace("\"id\":\"1\"", "\"id\":\"" + (char) ('a' + i % 26) + "\""));
        }
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frames);
            for (int i = 0; i < count; i++) {
                assertEquals(String.valueOf((char) ('a' + i % 26)), peer.nextMessage("echo").get("id").asText(), "reply " + i);
            }
            peer.send(ClientFrames.text(RawPeer.echo("1", "still open"))).assertEchoOf("still open");
        }
    }

    @Test
    void anIdOf128CharactersIsAccepted() {
        String id = "i".repeat(128);
        try (WsClient client = Peer.open(server, "alice")) {
            client.next("welcome");
            client.send(echo(id, JSON.getNodeFactory().textNode("x")));
            assertEquals(id, client.next("echo").get("id").asText());
        }
    }

    /**
     * MessageId's {@code maxLength: 128} is JSON Schema's length, which counts characters (code points),
     * not UTF-16 units: 128 emoji are a valid id.
     */
    @Test
    void anIdOf128NonBmpCharactersIsAcceptedBecauseLengthCountsCharacters() {
        String id = "😀".repeat(128);
        try (WsClient client = Peer.open(server, "alice")) {
            client.next("welcome");
            client.send(echo(id, JSON.getNodeFactory().textNode("x")));
            assertEquals(id, client.next("echo").get("id").asText());
        }
    }

    @Test
    void aMessageOfExactlyTheSizeLimitIsAnswered() {
        try (TestServer small = TestServer.start(Map.of("WS_MAX_MESSAGE_BYTES", "1024"));
             WsClient client = Peer.open(small, "alice")) {
            client.next("welcome");
            String message = echoOfExactly(1024, "limit");
            assertEquals(1024, message.getBytes(StandardCharsets.UTF_8).length);
            client.send(message);
            JsonNode reply = client.next("echo");
            assertEquals("limit", reply.get("id").asText());
            assertEquals(Contract.parseJson(message).get("payload"), reply.get("payload"));
        }
    }

    @Test
    void aMessageSentAsThreeFragmentsIsReassembledAndAnswered() {
        String message = echo("frag", Contract.parseJson("{\"text\":\"olá, fragmented 😀 world\",\"n\":[1,2,3]}"));
        Contract.assertClientMessage(message);
        int third = message.length() / 3;
        // Cut at characters, never inside a surrogate pair (each fragment is a CharSequence to the JDK client).
        assertFalse(Character.isHighSurrogate(message.charAt(third - 1)));
        assertFalse(Character.isHighSurrogate(message.charAt(2 * third - 1)));
        try (WsClient client = Peer.open(server, "alice")) {
            client.next("welcome");
            client.sendFragments(message.substring(0, third), message.substring(third, 2 * third), message.substring(2 * third));
            JsonNode reply = client.next("echo");
            assertEquals("frag", reply.get("id").asText());
            assertEquals(Contract.parseJson(message).get("payload"), reply.get("payload"));
            // The reassembly state is reset: a plain message afterwards is answered on its own.
            client.send(echo("after", JSON.getNodeFactory().booleanNode(true)));
            assertEquals("after", client.next("echo").get("id").asText());
        }
    }

    static String echo(String id, JsonNode payload) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "echo");
        message.put("id", id);
        message.set("payload", payload);
        return message.toString();
    }

    /** A valid echo message of exactly {@code bytes} UTF-8 bytes, with multi-byte characters in its payload. */
    static String echoOfExactly(int bytes, String id) {
        String empty = echo(id, JSON.getNodeFactory().textNode(""));
        int room = bytes - empty.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(room >= 0, "limit too small for an echo message");
        StringBuilder text = new StringBuilder();
        String[] pieces = {"😀", "é", "a"}; // 4, 2 and 1 bytes
        for (String piece : pieces) {
            int size = piece.getBytes(StandardCharsets.UTF_8).length;
            while (room >= size && (size == 1 || room - size >= 16)) {
                text.append(piece);
                room -= size;
            }
        }
        String message = echo(id, JSON.getNodeFactory().textNode(text.toString()));
        assertEquals(bytes, message.getBytes(StandardCharsets.UTF_8).length);
        return message;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }
}
