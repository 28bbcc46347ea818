package dev.realtime.protocol;

import java.net.URI;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.support.ClientFrames;
import dev.realtime.support.RawPeer;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestService;

import static dev.realtime.support.ClientFrames.BINARY;
import static dev.realtime.support.ClientFrames.CLOSE;
import static dev.realtime.support.ClientFrames.CONTINUATION;
import static dev.realtime.support.ClientFrames.PING;
import static dev.realtime.support.ClientFrames.PONG;
import static dev.realtime.support.ClientFrames.TEXT;
import static dev.realtime.support.ClientFrames.frame;
import static dev.realtime.support.ClientFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RFC 6455 5.2 (base framing) and 5.3 (masking): opcodes, RSV bits, the mask, the three length
 * encodings, and frames arriving in any TCP pieces.
 */
@ServerTest
class FramingTest {
    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server, Map.of("MAX_CONNECTIONS_PER_USER", "1000"));
    }

    FramingTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    private static final String HELLO = RawPeer.echo("1", "hello");

    // ------------------------------------------------------------ 1002: opcodes, RSV bits, mask, length

    @ParameterizedTest(name = "opcode 0x{0}")
    @ValueSource(strings = {"3", "4", "5", "6", "7", "B", "C", "D", "E", "F"})
    void aReservedOpcodeIsClosedWith1002(String hexOpcode) {
        int opcode = Integer.parseInt(hexOpcode, 16);
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(opcode).payload("hi").bytes());
            peer.assertFailedWith(1002);
        }
    }

    @Test
    void aReservedOpcodeAfterAnAnsweredMessageIsClosedWith1002AfterTheAnswer() {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.text(HELLO), frame(0x3).bytes());
            // the echo may come before the close frame; nothing else may
            var before = peer.assertFailedWith(1002);
            assertEquals(1, before.size(), "the echo, before the close frame: " + before);
            assertEquals("echo", before.get(0).path("type").asText());
        }
    }

    static Stream<Arguments> reservedBitsOnEveryKindOfFrame() {
        return Stream.of("text", "ping", "pong", "close", "continuation", "binary")
                .flatMap(kind -> IntStream.rangeClosed(1, 7).mapToObj(rsv -> Arguments.of(kind, rsv)));
    }

    @ParameterizedTest(name = "{0} with RSV bits {1}")
    @MethodSource("reservedBitsOnEveryKindOfFrame")
    void anyReservedBitSetIsClosedWith1002(String kind, int rsv) {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frameOfKind(kind, f -> f.rsv(rsv)));
            peer.assertFailedWith(1002);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "binary", "ping", "pong", "close", "continuation"})
    void anUnmaskedClientFrameIsClosedWith1002(String kind) {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frameOfKind(kind, ClientFrames.Frame::unmasked));
            peer.assertFailedWith(1002);
        }
    }

    @ParameterizedTest(name = "length 0x{0}")
    @ValueSource(strings = {"8000000000000000", "FFFFFFFFFFFFFFFF", "8000000000000020", "C000000000000000"})
    void a64BitLengthWithTheMostSignificantBitSetIsClosedWith1002(String hexLength) {
        long length = Long.parseUnsignedLong(hexLength, 16);
        try (RawPeer peer = RawPeer.connect(server)) {
            // only the header: no payload could follow such a length
            peer.send(frame(TEXT).declaredLength(length).length64().header());
            peer.assertFailedWith(1002);
        }
    }

    // ------------------------------------------------------------ valid frames are answered

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 125, 126, 65535, 65536})
    void aPayloadOfEachLengthEncodingIsAnswered(int length) {
        try (RawPeer peer = RawPeer.connect(server)) {
            ClientFrames.Frame frame = length == 0 ? frame(TEXT) : frame(TEXT).payload(RawPeer.paddedEcho(length));
            byte[] header = frame.header();
            int expectedHeader = (length <= 125 ? 2 : length <= 65535 ? 4 : 10) + 4;
            assertEquals(expectedHeader, header.length, "the test sends the " + length + "-byte frame in the shortest encoding");
            peer.send(frame.bytes());
            if (length == 0) {
                // an empty text message is not JSON: an answer all the same, and the connection stays open
                peer.nextError("malformed_json");
                peer.assertNothingElseReceived("after-empty");
            } else {
                peer.assertEchoOf(RawPeer.paddingOf(length));
            }
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {125, 126, 65535})
    void aLongerLengthEncodingThanNeededIsStillRead(int length) {
        // RFC 6455 5.2 asks senders for the shortest encoding; reading a longer one is harmless,
        // and this server reads what the header says (only its own frames must be minimal).
        // Kept to the contract: it lists no close code for this, so the message is answered.
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(TEXT).payload(RawPeer.paddedEcho(length)).length64().bytes());
            peer.assertEchoOf(RawPeer.paddingOf(length));
        }
    }

    static Stream<Arguments> frameSizes() {
        // 7-bit, 16-bit and 64-bit length fields
        return Stream.of(Arguments.of(60), Arguments.of(300), Arguments.of(65536));
    }

    @ParameterizedTest(name = "{0}-byte frame")
    @MethodSource("frameSizes")
    void aFrameWrittenOneHeaderByteAtATimeAndThePayloadInPiecesIsAnswered(int length) {
        try (RawPeer peer = RawPeer.connect(server)) {
            ClientFrames.Frame frame = frame(TEXT).payload(RawPeer.paddedEcho(length));
            int headerLength = frame.header().length;
            int[] cuts = IntStream.concat(IntStream.rangeClosed(1, headerLength),
                                          IntStream.of(headerLength + 1, headerLength + length / 2, headerLength + length - 1))
                    .distinct().sorted().toArray();
            peer.sendInPieces(frame.bytes(), 5, cuts);
            peer.assertEchoOf(RawPeer.paddingOf(length));
        }
    }

    static IntStream cutPoints() {
        // a 200-byte text frame: 2 bytes, 2 bytes of length, 4 of mask, then the payload
        return IntStream.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 108, 207);
    }

    @ParameterizedTest(name = "cut after byte {0}")
    @MethodSource("cutPoints")
    void aFrameCutInTwoTcpWritesAnywhereIsAnswered(int cut) {
        try (RawPeer peer = RawPeer.connect(server)) {
            byte[] bytes = frame(TEXT).payload(RawPeer.paddedEcho(200)).bytes();
            assertEquals(208, bytes.length);
            peer.sendInPieces(bytes, 30, cut);
            peer.assertEchoOf(RawPeer.paddingOf(200));
        }
    }

    @Test
    void manyFramesInOneTcpWriteAreAllAnsweredInOrder() {
        try (RawPeer peer = RawPeer.connect(server)) {
            byte[][] frames = new byte[20][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = ClientFrames.text(RawPeer.echo("m" + i, "payload " + i));
            }
            peer.send(frames);
            for (int i = 0; i < frames.length; i++) {
                assertEquals("payload " + i, peer.nextEcho("m" + i).asText());
            }
        }
    }

    @Test
    void aZeroMaskingKeyIsStillAMaskedFrame() {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(TEXT).mask(new byte[4]).payload(HELLO).bytes());
            peer.assertEchoOf("hello");
        }
    }

    @Test
    void eachFrameMayUseItsOwnMaskingKey() {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(TEXT).fin(false).mask(new byte[] {1, 2, 3, 4}).payload(HELLO.substring(0, 10)).bytes(),
                      frame(CONTINUATION).mask(new byte[] {(byte) 0xFF, 0, (byte) 0x80, 0x7F}).payload(HELLO.substring(10)).bytes());
            peer.assertEchoOf("hello");
        }
    }

    @Test
    void anOfferedExtensionIsNotNegotiatedSoRsv1StaysAProtocolError() {
        // connect() fails if the response carries Sec-WebSocket-Extensions
        try (RawPeer peer = RawPeer.connect(server, "alice",
                                            Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"))) {
            peer.send(frame(TEXT).rsv(ClientFrames.RSV1).payload(HELLO).bytes());
            peer.assertFailedWith(1002);
        }
    }

    /**
     * A frame of the given kind, valid but for what {@code change} does to it; a continuation
     * comes after a valid first fragment (so only the change can be wrong).
     */
    private static byte[] frameOfKind(String kind, java.util.function.UnaryOperator<ClientFrames.Frame> change) {
        return switch (kind) {
        case "text" -> change.apply(frame(TEXT).payload(HELLO)).bytes();
        case "binary" -> change.apply(frame(BINARY).payload(new byte[] {1, 2, 3})).bytes();
        case "ping" -> change.apply(frame(PING).payload("p")).bytes();
        case "pong" -> change.apply(frame(PONG).payload("p")).bytes();
        case "close" -> change.apply(frame(CLOSE).payload(ClientFrames.closePayload(1000, utf8("bye")))).bytes();
        case "continuation" -> ClientFrames.concat(frame(TEXT).fin(false).payload(HELLO.substring(0, 10)).bytes(),
                                                   change.apply(frame(CONTINUATION).payload(HELLO.substring(10))).bytes());
        default -> throw new IllegalArgumentException(kind);
        };
    }
}
