package dev.realtime.protocol;

import java.net.URI;
import java.time.Duration;
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
import dev.realtime.support.Contract;
import dev.realtime.support.RawPeer;
import dev.realtime.support.ServerFrames.Frame;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestService;

import static dev.realtime.support.ClientFrames.CLOSE;
import static dev.realtime.support.ClientFrames.TEXT;
import static dev.realtime.support.ClientFrames.frame;
import static dev.realtime.support.ClientFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RFC 6455 5.5.1 and 7 (closing): the client's close is answered with its own code (an empty
 * close with an empty one), then the server ends the TCP connection; nothing is answered after a
 * close frame; the codes a close frame may carry (7.4); a binary message is closed by the
 * application with 1003 in a normal closing handshake.
 */
@ServerTest
class CloseHandshakeTest {
    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server, Map.of("MAX_CONNECTIONS_PER_USER", "1000"));
    }

    CloseHandshakeTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    static Stream<Arguments> allowedCodes() {
        return Stream.of(Arguments.of(1000, ""),
                         Arguments.of(1000, "bye"),
                         Arguments.of(1001, "bye é"),
                         Arguments.of(3000, "bye é"),
                         Arguments.of(4999, "bye é"),
                         Arguments.of(1002, ""), Arguments.of(1003, "x"),
                         Arguments.of(1007, ""), Arguments.of(1008, ""), Arguments.of(1009, ""), Arguments.of(1010, ""),
                         Arguments.of(1011, ""), Arguments.of(1012, ""), Arguments.of(1013, ""), Arguments.of(1014, ""),
                         Arguments.of(3999, "𝄞"), Arguments.of(4000, "€"),
                         // the longest close payload: 2 + 123 bytes of reason, multi-byte characters included
                         Arguments.of(1000, "é".repeat(60) + "abc"));
    }

    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("allowedCodes")
    void aClientCloseIsAnsweredWithTheSameCodeThenTheConnectionEnds(int code, String reason) {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.close(code, reason));
            peer.nextEchoedClose(code);
            peer.assertHangsUp();
        }
    }

    @Test
    void anEmptyCloseIsAnsweredWithAnEmptyClose() {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.closeEmpty());
            Frame close = peer.next();
            assertEquals(CLOSE, close.opcode(), "a close frame, got " + RawPeer.describe(close) + peer.transcript());
            assertEquals(0, close.payload().length, "the answer to an empty close is empty" + peer.transcript());
            Contract.assertDocumentedCloseCode(1000);
            peer.assertHangsUp();
        }
    }

    @Test
    void aCloseAfterMessagesIsAnsweredAfterTheirAnswers() {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.text(RawPeer.echo("1", "one")), ClientFrames.ping(utf8("p")),
                      ClientFrames.text(RawPeer.echo("2", "two")), ClientFrames.close(1000, "done"));
            assertEquals("one", peer.nextEcho("1").asText());
            peer.assertPong(utf8("p"));
            assertEquals("two", peer.nextEcho("2").asText());
            peer.nextClose(1000);
            peer.assertHangsUp();
        }
    }

    @Test
    void aCloseWrittenInPiecesIsAnswered() {
        byte[] close = ClientFrames.close(1000, "slowly");
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.sendInPieces(close, 20, IntStream.range(1, close.length).toArray());
            peer.nextClose(1000);
            peer.assertHangsUp();
        }
    }

    @Test
    void framesAfterTheClientsCloseAreNotAnswered() {
        try (RawPeer peer = RawPeer.connect(server)) {
            // one write: the close, then messages and a ping that must all go unanswered
            peer.send(ClientFrames.close(1000, "bye"), ClientFrames.text(RawPeer.echo("1", "too late")),
                      ClientFrames.ping(utf8("too late")), ClientFrames.text("not json either"));
            peer.nextClose(1000);
            peer.assertHangsUp();
        }
    }

    @Test
    void framesSentAfterTheServersCloseReplyAreNotAnswered() {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.close(3000, "bye"));
            peer.nextEchoedClose(3000);
            // the server may already have ended the connection: then the write fails, which is fine
            peer.send(ClientFrames.text(RawPeer.echo("1", "too late")));
            peer.assertHangsUp();
        }
    }

    @Test
    void aCloseBetweenFragmentsIsAnsweredAndTheUnfinishedMessageIsDropped() {
        byte[] message = utf8(RawPeer.echo("1", "never finished"));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(TEXT).fin(false).payload(java.util.Arrays.copyOf(message, 12)).bytes(),
                      ClientFrames.close(1000, "stop"),
                      frame(ClientFrames.CONTINUATION).payload(java.util.Arrays.copyOfRange(message, 12, message.length)).bytes());
            peer.nextClose(1000);
            peer.assertHangsUp();
        }
    }

    // ------------------------------------------------------------ 1002

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    void aCloseCodeNotAllowedOnTheWireIsClosedWith1002(int code) {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.close(code, "bad code"));
            peer.assertFailedWith(1002);
        }
    }

    @ParameterizedTest(name = "code {0}, no reason")
    @ValueSource(ints = {1005, 1006, 1015})
    void aCloseCodeReservedForLocalUseIsClosedWith1002EvenWithoutAReason(int code) {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.close(code));
            peer.assertFailedWith(1002);
        }
    }

    @ParameterizedTest(name = "payload byte {0}")
    @ValueSource(ints = {0x00, 0x03, 0xE8})
    void aCloseFrameWithAOneBytePayloadIsClosedWith1002(int onlyByte) {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(CLOSE).payload(new byte[] {(byte) onlyByte}).bytes());
            peer.assertFailedWith(1002);
        }
    }

    // ------------------------------------------------------------ failing the connection: the TCP end

    /**
     * How soon after its failure close frame the server must end the connection by itself: it drains what the
     * client still sends for at most half a second (asyncapi.yaml), so that closing with unread input does not
     * turn into a reset that could destroy the close frame; a margin for a loaded machine on top.
     */
    private static final Duration WITHIN_THE_LINGER = Duration.ofMillis(900);

    static Stream<Arguments> failures() {
        return Stream.of(Arguments.of("reserved opcode", frame(0x3).payload("x").bytes(), 1002),
                         Arguments.of("unmasked text", frame(TEXT).unmasked().payload(RawPeer.echo("1", "x")).bytes(), 1002),
                         Arguments.of("close code 1005", ClientFrames.close(1005), 1002),
                         Arguments.of("text not UTF-8", ClientFrames.text(ClientFrames.hex("7B C0 80 7D")), 1007),
                         Arguments.of("close reason not UTF-8",
                                      frame(CLOSE).payload(ClientFrames.closePayload(1000, ClientFrames.hex("FF"))).bytes(), 1007),
                         Arguments.of("header over the limit", frame(TEXT).declaredLength(65_537).header(), 1009));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void afterFailingTheConnectionTheServerEndsItByItselfWithinHalfASecond(String name, byte[] offending, int code) {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(offending);
            // the client neither answers the close nor closes its side: the server must not wait for it
            peer.assertFailedWithAndHangsUpByItself(code, WITHIN_THE_LINGER);
        }
    }

    // ------------------------------------------------------------ 1003, closed by the application

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 3, 1000})
    void aBinaryMessageIsClosedWith1003InANormalClosingHandshake(int length) {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.binary(new byte[length]));
            peer.nextClose(1003);
            // a normal handshake: the server waits for the client's close, then ends the connection
            peer.send(ClientFrames.close(1003));
            peer.assertHangsUp();
        }
    }

    @Test
    void afterItsOwnCloseFrameTheServerAnswersNothing() {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.binary(new byte[] {1}));
            peer.nextClose(1003);
            // still open until the client answers the close; messages and pings get no answer now
            peer.send(ClientFrames.text(RawPeer.echo("1", "too late")), ClientFrames.ping(utf8("too late")),
                      ClientFrames.close(1000));
            peer.assertHangsUp();
        }
    }

    @Test
    void aBinaryMessageAfterAnsweredMessagesIsClosedAfterTheirAnswers() {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.text(RawPeer.echo("1", "first")), ClientFrames.binary(new byte[] {1, 2}));
            assertEquals("first", peer.nextEcho("1").asText());
            peer.nextClose(1003);
            peer.send(ClientFrames.close(1003));
            peer.assertHangsUp();
        }
    }

    @Test
    void aClientThatNeverAnswersTheServersCloseIsCutOffWithinFiveSeconds() {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.binary(new byte[] {1}));
            peer.nextClose(1003);
            // the one test that waits: the contract allows the server 5 seconds (plus slack for a busy machine)
            peer.assertHangsUpWithin(Duration.ofMillis(6_000));
        }
    }
}
