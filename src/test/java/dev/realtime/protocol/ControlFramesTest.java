package dev.realtime.protocol;

import java.net.URI;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.support.ClientFrames;
import dev.realtime.support.RawPeer;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestService;

import static dev.realtime.support.ClientFrames.CLOSE;
import static dev.realtime.support.ClientFrames.PING;
import static dev.realtime.support.ClientFrames.PONG;
import static dev.realtime.support.ClientFrames.frame;
import static dev.realtime.support.ClientFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RFC 6455 5.5 (control frames): at most 125 bytes, never fragmented; 5.5.2/5.5.3: a ping is
 * answered with a pong carrying the same payload, an unsolicited pong is not answered.
 */
@ServerTest
class ControlFramesTest {
    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server, Map.of("MAX_CONNECTIONS_PER_USER", "1000"));
    }

    ControlFramesTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    static Stream<Arguments> pingPayloads() {
        byte[] binary = new byte[125];
        for (int i = 0; i < binary.length; i++) {
            // every kind of byte, including ones that are never UTF-8 (C0, F5-FF): a ping's payload is binary
            binary[i] = (byte) (i * 37 + 0xC0);
        }
        return Stream.of(Arguments.of("empty", new byte[0]),
                         Arguments.of("one byte", new byte[] {0}),
                         Arguments.of("text", utf8("are you there? é")),
                         Arguments.of("125 bytes", utf8("p".repeat(125))),
                         Arguments.of("125 binary bytes", binary));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pingPayloads")
    void aPingIsAnsweredWithAPongCarryingTheIdenticalPayload(String name, byte[] payload) {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.ping(payload));
            peer.assertPong(payload);
            peer.assertNothingElseReceived("probe");
        }
    }

    @Test
    void pingsAreAnsweredOneForOneInOrder() {
        try (RawPeer peer = RawPeer.connect(server)) {
            byte[][] pings = new byte[10][];
            for (int i = 0; i < pings.length; i++) {
                pings[i] = ClientFrames.ping(utf8("ping " + i));
            }
            peer.send(pings);
            for (int i = 0; i < pings.length; i++) {
                peer.assertPong(utf8("ping " + i));
            }
            peer.assertNothingElseReceived("probe");
        }
    }

    @Test
    void pingsAndMessagesAreAnsweredInTheOrderTheyCame() {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.text(RawPeer.echo("1", "first")), ClientFrames.ping(utf8("between")),
                      ClientFrames.text(RawPeer.echo("2", "second")));
            assertEquals("first", peer.nextEcho("1").asText());
            peer.assertPong(utf8("between"));
            assertEquals("second", peer.nextEcho("2").asText());
        }
    }

    @Test
    void aPingWrittenInPiecesIsAnswered() {
        byte[] ping = ClientFrames.ping(utf8("in pieces"));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.sendInPieces(ping, 20, 1, 2, 4, 6, 10);
            peer.assertPong(utf8("in pieces"));
        }
    }

    static Stream<Arguments> pongPayloads() {
        return Stream.of(Arguments.of("empty", new byte[0]),
                         Arguments.of("text", utf8("unsolicited")),
                         Arguments.of("125 bytes", utf8("q".repeat(125))),
                         Arguments.of("binary", new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pongPayloads")
    void anUnsolicitedPongGetsNoAnswerAtAll(String name, byte[] payload) {
        try (RawPeer peer = RawPeer.connect(server)) {
            // the pong and an echo in one write: the very next frame must be the echo's reply
            peer.send(ClientFrames.pong(payload), ClientFrames.text(RawPeer.echo("1", "after the pong")));
            assertEquals("after the pong", peer.nextEcho("1").asText());
            peer.assertNothingElseReceived("probe");
        }
    }

    @Test
    void manyUnsolicitedPongsGetNoAnswer() {
        try (RawPeer peer = RawPeer.connect(server)) {
            byte[][] pongs = new byte[20][];
            for (int i = 0; i < pongs.length; i++) {
                pongs[i] = ClientFrames.pong(utf8("pong " + i));
            }
            peer.send(pongs);
            peer.assertNothingElseReceived("probe");
        }
    }

    // ------------------------------------------------------------ 1002

    static Stream<Arguments> oversizeControlFrames() {
        return Stream.of(PING, PONG, CLOSE)
                .flatMap(opcode -> Stream.of(126, 127, 1000, 65535).map(length -> Arguments.of(name(opcode), opcode, length)));
    }

    @ParameterizedTest(name = "{0} of {2} bytes")
    @MethodSource("oversizeControlFrames")
    void aControlFrameOver125BytesIsClosedWith1002(String name, int opcode, int length) {
        byte[] payload = utf8("c".repeat(length));
        if (opcode == CLOSE) {
            // a valid code and a UTF-8 reason: only the length is wrong
            payload = ClientFrames.closePayload(1000, utf8("r".repeat(length - 2)));
        }
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(opcode).payload(payload).bytes());
            peer.assertFailedWith(1002);
        }
    }

    static Stream<Arguments> fragmentedControlFrames() {
        return Stream.of(Arguments.of("ping", PING, utf8("p")),
                         Arguments.of("ping, empty", PING, new byte[0]),
                         Arguments.of("pong", PONG, utf8("p")),
                         Arguments.of("close", CLOSE, ClientFrames.closePayload(1000, utf8("bye"))),
                         Arguments.of("close, empty", CLOSE, new byte[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fragmentedControlFrames")
    void aControlFrameWithFinClearIsClosedWith1002(String name, int opcode, byte[] payload) {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(opcode).fin(false).payload(payload).bytes());
            peer.assertFailedWith(1002);
        }
    }

    @Test
    void aFragmentedPingInsideAFragmentedMessageIsClosedWith1002() {
        byte[] message = utf8(RawPeer.echo("1", "message"));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(ClientFrames.TEXT).fin(false).payload(java.util.Arrays.copyOf(message, 10)).bytes(),
                      frame(PING).fin(false).payload("p").bytes());
            peer.assertFailedWith(1002);
        }
    }

    private static String name(int opcode) {
        return switch (opcode) {
        case PING -> "ping";
        case PONG -> "pong";
        case CLOSE -> "close";
        default -> "opcode " + opcode;
        };
    }
}
