package dev.realtime.protocol;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import static dev.realtime.support.ClientFrames.CONTINUATION;
import static dev.realtime.support.ClientFrames.PING;
import static dev.realtime.support.ClientFrames.PONG;
import static dev.realtime.support.ClientFrames.TEXT;
import static dev.realtime.support.ClientFrames.frame;
import static dev.realtime.support.ClientFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RFC 6455 5.4 (fragmentation): a message in any number of fragments is acted on once, whole;
 * characters may be split anywhere; control frames may come between fragments; a continuation
 * needs a message to continue, and a new message must wait for the last fragment of the previous one.
 */
@ServerTest
class FragmentationTest {
    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server, Map.of("MAX_CONNECTIONS_PER_USER", "1000"));
    }

    FragmentationTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    /** 2-, 3- and 4-byte characters among plain ones. */
    private static final String PAYLOAD = "fragments: olá, 10 €, 𝄞 clef, 日本語, end";

    @ParameterizedTest(name = "{0} fragments")
    @ValueSource(ints = {2, 3, 7, 50, 200})
    void aTextMessageInFragmentsIsAnsweredOnceWithExactlyItsPayload(int count) {
        byte[] message = utf8(RawPeer.echo("1", PAYLOAD));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(fragments(message, evenCuts(message.length, count)));
            peer.assertEchoOf(PAYLOAD);
            peer.assertNothingElseReceived("probe");
        }
    }

    static Stream<Arguments> emptyFragmentShapes() {
        // the message's bytes cut into pieces; "" marks an empty fragment
        return Stream.of(Arguments.of("empty first", List.of(0, 0)),
                         Arguments.of("empty middle", List.of(10, 10)),
                         Arguments.of("empty last", List.of(-1)),
                         Arguments.of("several empty", List.of(0, 0, 5, 5, 5, 20, -1)),
                         Arguments.of("all but one empty", List.of(0, 0, 0, -1, -1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyFragmentShapes")
    void emptyFragmentsAnywhereInAMessageAreAccepted(String shape, List<Integer> cuts) {
        byte[] message = utf8(RawPeer.echo("1", PAYLOAD));
        // -1 stands for a cut at the very end (an empty fragment after all the bytes)
        int[] offsets = cuts.stream().mapToInt(c -> c == -1 ? message.length : c).toArray();
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(fragments(message, offsets));
            peer.assertEchoOf(PAYLOAD);
            peer.assertNothingElseReceived("probe");
        }
    }

    @Test
    void aMessageOfOnlyEmptyFragmentsIsAnEmptyMessage() {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(TEXT).fin(false).bytes(), frame(CONTINUATION).fin(false).bytes(), frame(CONTINUATION).bytes());
            // empty text is not JSON: answered with an error, once
            peer.nextError("malformed_json");
            peer.assertNothingElseReceived("probe");
        }
    }

    @Test
    void aMessageSentOneBytePerFragmentArrivesExactly() {
        byte[] message = utf8(RawPeer.echo("1", PAYLOAD));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(fragments(message, IntStream.range(1, message.length).toArray()));
            peer.assertEchoOf(PAYLOAD);
        }
    }

    static Stream<Arguments> multiByteSplits() {
        return Stream.of("é", "€", "𝄞")
                .flatMap(c -> IntStream.range(1, utf8(c).length).mapToObj(at -> Arguments.of(c, utf8(c).length, at)));
    }

    @ParameterizedTest(name = "{0} ({1} bytes) split after its byte {2}")
    @MethodSource("multiByteSplits")
    void aMultiByteCharacterSplitAcrossTwoFragmentsArrivesExactly(String character, int size, int at) {
        String payload = "a" + character + "b";
        String message = RawPeer.echo("1", payload);
        int start = utf8(message.substring(0, message.indexOf(character))).length;
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(fragments(utf8(message), start + at));
            peer.assertEchoOf(payload);
        }
    }

    @ParameterizedTest(name = "{0} split after its byte {2}, fragments sent apart")
    @MethodSource("multiByteSplits")
    void aMultiByteCharacterSplitAcrossFragmentsSentApartArrivesExactly(String character, int size, int at) {
        // the first fragment reaches the server on its own, ending in an incomplete character
        String payload = character.repeat(3);
        String message = RawPeer.echo("1", payload);
        int start = utf8(message.substring(0, message.indexOf(character))).length;
        byte[] bytes = utf8(message);
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(TEXT).fin(false).payload(Arrays.copyOfRange(bytes, 0, start + at)).bytes());
            RawPeer.pause(50);
            peer.send(frame(CONTINUATION).payload(Arrays.copyOfRange(bytes, start + at, bytes.length)).bytes());
            peer.assertEchoOf(payload);
        }
    }

    @Test
    void pingsBetweenFragmentsAreAnsweredAndTheMessageStillCompletes() {
        byte[] message = utf8(RawPeer.echo("1", PAYLOAD));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(TEXT).fin(false).payload(Arrays.copyOfRange(message, 0, 20)).bytes(),
                      frame(PING).payload("between").bytes(),
                      frame(CONTINUATION).fin(false).payload(Arrays.copyOfRange(message, 20, 40)).bytes(),
                      frame(PING).payload("again").bytes(),
                      frame(PING).bytes(),
                      frame(CONTINUATION).payload(Arrays.copyOfRange(message, 40, message.length)).bytes());
            peer.assertPong(utf8("between"));
            peer.assertPong(utf8("again"));
            peer.assertPong(new byte[0]);
            peer.assertEchoOf(PAYLOAD);
            peer.assertNothingElseReceived("probe");
        }
    }

    @Test
    void aPingBetweenFragmentsIsAnsweredBeforeTheMessageIsFinished() {
        byte[] message = utf8(RawPeer.echo("1", PAYLOAD));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(TEXT).fin(false).payload(Arrays.copyOfRange(message, 0, 20)).bytes(),
                      frame(PING).payload("now").bytes());
            // the message is unfinished: the pong must not wait for it
            peer.assertPong(utf8("now"));
            peer.send(frame(CONTINUATION).payload(Arrays.copyOfRange(message, 20, message.length)).bytes());
            peer.assertEchoOf(PAYLOAD);
        }
    }

    @Test
    void aPongBetweenFragmentsIsIgnoredAndTheMessageStillCompletes() {
        byte[] message = utf8(RawPeer.echo("1", PAYLOAD));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(TEXT).fin(false).payload(Arrays.copyOfRange(message, 0, 20)).bytes(),
                      frame(PONG).payload("unsolicited").bytes(),
                      frame(CONTINUATION).payload(Arrays.copyOfRange(message, 20, message.length)).bytes());
            peer.assertEchoOf(PAYLOAD);
            peer.assertNothingElseReceived("probe");
        }
    }

    @Test
    void fragmentedMessagesOneAfterAnotherStayApart() {
        byte[] first = utf8(RawPeer.echo("a", "first é"));
        byte[] second = utf8(RawPeer.echo("b", "second €"));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(fragments(first, 5, 17), ClientFrames.text(RawPeer.echo("c", "whole")), fragments(second, 30));
            assertEquals("first é", peer.nextEcho("a").asText());
            assertEquals("whole", peer.nextEcho("c").asText());
            assertEquals("second €", peer.nextEcho("b").asText());
        }
    }

    // ------------------------------------------------------------ 1002

    static Stream<Arguments> continuationsWithNoMessage() {
        return Stream.of(Arguments.of("first frame, final", true, false),
                         Arguments.of("first frame, not final", false, false),
                         Arguments.of("after a whole message, final", true, true),
                         Arguments.of("after a whole message, not final", false, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("continuationsWithNoMessage")
    void aContinuationFrameWithNoMessageStartedIsClosedWith1002(String name, boolean fin, boolean afterAMessage) {
        try (RawPeer peer = RawPeer.connect(server)) {
            byte[] before = afterAMessage ? fragments(utf8(RawPeer.echo("1", "done")), 10) : new byte[0];
            peer.send(before, frame(CONTINUATION).fin(fin).payload(RawPeer.echo("2", "orphan")).bytes());
            List<com.fasterxml.jackson.databind.JsonNode> answered = peer.assertFailedWith(1002);
            assertEquals(afterAMessage ? 1 : 0, answered.size(), "answers before the close frame: " + answered);
        }
    }

    static Stream<Arguments> newMessagesInsideAMessage() {
        return Stream.of(Arguments.of("text, final", TEXT, true),
                         Arguments.of("text, not final", TEXT, false),
                         Arguments.of("binary, final", BINARY, true),
                         Arguments.of("binary, not final", BINARY, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("newMessagesInsideAMessage")
    void aNewDataFrameWhileAFragmentedMessageIsUnfinishedIsClosedWith1002(String name, int opcode, boolean fin) {
        byte[] message = utf8(RawPeer.echo("1", PAYLOAD));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(TEXT).fin(false).payload(Arrays.copyOfRange(message, 0, 20)).bytes(),
                      frame(opcode).fin(fin).payload(opcode == TEXT ? utf8(RawPeer.echo("2", "x")) : new byte[] {1, 2}).bytes());
            List<com.fasterxml.jackson.databind.JsonNode> answered = peer.assertFailedWith(1002);
            assertEquals(List.of(), answered, "nothing is answered");
        }
    }

    @Test
    void aNewTextFrameAfterTheLastFragmentIsANewMessage() {
        // the counterpart of the rule above: once FIN came, a text frame starts the next message
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(fragments(utf8(RawPeer.echo("1", "one")), 8), ClientFrames.text(RawPeer.echo("2", "two")));
            assertEquals("one", peer.nextEcho("1").asText());
            assertEquals("two", peer.nextEcho("2").asText());
        }
    }

    // ------------------------------------------------------------ helpers

    /** The message cut at the given offsets, as a first text fragment and continuations, FIN on the last. */
    static byte[] fragments(byte[] message, int... cuts) {
        List<byte[]> frames = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : message.length;
            frames.add(frame(i == 0 ? TEXT : CONTINUATION).fin(i == cuts.length)
                               .payload(Arrays.copyOfRange(message, from, to)).bytes());
            from = to;
        }
        return ClientFrames.concat(frames.toArray(byte[][]::new));
    }

    private static int[] evenCuts(int length, int count) {
        int[] cuts = new int[count - 1];
        for (int i = 1; i < count; i++) {
            cuts[i - 1] = (int) ((long) length * i / count);
        }
        return cuts;
    }
}
