package dev.realtime.protocol;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
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
import dev.realtime.support.Utf8;

import static dev.realtime.support.ClientFrames.CLOSE;
import static dev.realtime.support.ClientFrames.CONTINUATION;
import static dev.realtime.support.ClientFrames.TEXT;
import static dev.realtime.support.ClientFrames.concat;
import static dev.realtime.support.ClientFrames.frame;
import static dev.realtime.support.ClientFrames.hex;
import static dev.realtime.support.ClientFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 6455 5.6 and 8.1: text messages and close reasons must be valid UTF-8 (RFC 3629), or the
 * connection is failed with 1007 at the first invalid byte, even before the message's last
 * fragment (or the rest of the frame) arrives. Every class of invalid sequence, in one frame,
 * visible only across fragments, inside an unfinished frame, and in a close reason.
 */
@ServerTest
class Utf8Test {
    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server, Map.of("MAX_CONNECTIONS_PER_USER", "1000"));
    }

    Utf8Test(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    /** What comes before the bad bytes: the start of a valid echo message. */
    private static final byte[] PREFIX = utf8("{\"type\":\"echo\",\"id\":\"1\",\"payload\":\"ok é ");
    /** What comes after them (for sequences that are bad before the message ends). */
    private static final byte[] SUFFIX = utf8(" more\"}");

    /**
     * A sequence that is not UTF-8. {@code firstInvalid}: index of the first byte at which a
     * decoder knows the text is invalid; -1 for a sequence that is only invalid because the message ends in it.
     */
    record Invalid(String name, byte[] bytes, int firstInvalid) {
        boolean truncated() {
            return firstInvalid < 0;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Invalid> invalidSequences() {
        List<Invalid> cases = new java.util.ArrayList<>(List.of(
                new Invalid("overlong 2-byte C0 80", hex("C0 80"), 0),
                new Invalid("overlong 2-byte C1 BF", hex("C1 BF"), 0),
                new Invalid("overlong 3-byte E0 80 80", hex("E0 80 80"), 1),
                new Invalid("overlong 3-byte E0 9F BF", hex("E0 9F BF"), 1),
                new Invalid("overlong 4-byte F0 80 80 80", hex("F0 80 80 80"), 1),
                new Invalid("overlong 4-byte F0 8F BF BF", hex("F0 8F BF BF"), 1),
                new Invalid("surrogate ED A0 80 (U+D800)", hex("ED A0 80"), 1),
                new Invalid("surrogate ED BF BF (U+DFFF)", hex("ED BF BF"), 1),
                new Invalid("surrogate pair ED A0 BD ED B2 A9", hex("ED A0 BD ED B2 A9"), 1),
                new Invalid("above U+10FFFF F4 90 80 80", hex("F4 90 80 80"), 1),
                new Invalid("above U+10FFFF F7 BF BF BF", hex("F7 BF BF BF"), 0),
                new Invalid("5-byte form F8 88 80 80 80", hex("F8 88 80 80 80"), 0),
                new Invalid("6-byte form FC 84 80 80 80 80", hex("FC 84 80 80 80 80"), 0),
                new Invalid("stray continuation 80", hex("80"), 0),
                new Invalid("stray continuation BF", hex("BF"), 0),
                new Invalid("continuation after a whole character C3 A9 80", hex("C3 A9 80"), 2),
                new Invalid("lead byte then ASCII C3 41", hex("C3 41"), 1),
                new Invalid("3-byte sequence cut short by ASCII E2 82 41", hex("E2 82 41"), 2),
                new Invalid("4-byte sequence cut short by a lead byte F0 9F C3 A9", hex("F0 9F C3 A9"), 2),
                new Invalid("FE", hex("FE"), 0),
                new Invalid("FF", hex("FF"), 0),
                new Invalid("FE FF (a UTF-16 byte order mark)", hex("FE FF"), 0),
                new Invalid("truncated at the end: C3", hex("C3"), -1),
                new Invalid("truncated at the end: E2 82", hex("E2 82"), -1),
                new Invalid("truncated at the end: F0 9F 98", hex("F0 9F 98"), -1),
                new Invalid("truncated at the end: F4 8F BF", hex("F4 8F BF"), -1)));
        for (int lead = 0xF5; lead <= 0xFF; lead++) {
            cases.add(new Invalid(String.format("lead byte %02X", lead), new byte[] {(byte) lead, (byte) 0x80, (byte) 0x80, (byte) 0x80}, 0));
        }
        return cases;
    }

    static Stream<Invalid> invalidBeforeTheEnd() {
        return invalidSequences().stream().filter(c -> !c.truncated());
    }

    static Stream<Invalid> truncatedAtTheEnd() {
        return invalidSequences().stream().filter(Invalid::truncated);
    }

    @Test
    void theCasesAreWhatTheySay() {
        // the test's own oracle: each case is invalid UTF-8, and is a valid prefix right up to its first invalid byte
        for (Invalid c : invalidSequences()) {
            assertFalse(Utf8.isValid(c.bytes()), c.name());
            int validPrefix = c.truncated() ? c.bytes().length : c.firstInvalid();
            assertTrue(Utf8.isValidPrefix(Arrays.copyOf(c.bytes(), validPrefix)), c.name() + " before its first invalid byte");
            if (!c.truncated()) {
                assertFalse(Utf8.isValidPrefix(Arrays.copyOf(c.bytes(), c.firstInvalid() + 1)), c.name() + " at its first invalid byte");
            }
        }
    }

    // ------------------------------------------------------------ 1007

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSequences")
    void invalidUtf8InATextFrameIsClosedWith1007(Invalid c) {
        byte[] message = c.truncated() ? concat(PREFIX, c.bytes()) : concat(PREFIX, c.bytes(), SUFFIX);
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.text(message));
            peer.assertFailedWith(1007);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBeforeTheEnd")
    void aFragmentWithInvalidUtf8IsClosedWith1007WithoutWaitingForTheLastFragment(Invalid c) {
        try (RawPeer peer = RawPeer.connect(server)) {
            // the message's last fragment never comes
            peer.send(frame(TEXT).fin(false).payload(concat(PREFIX, c.bytes(), SUFFIX)).bytes());
            peer.assertFailedWith(1007);
        }
    }

    static Stream<Arguments> invalidAcrossFragments() {
        // cut the sequence so that the first fragment ends in a valid but unfinished character
        return invalidBeforeTheEnd().filter(c -> c.firstInvalid() >= 1)
                .flatMap(c -> IntStream.rangeClosed(1, c.firstInvalid()).mapToObj(at -> Arguments.of(c, at)));
    }

    @ParameterizedTest(name = "{0}, cut after byte {1}")
    @MethodSource("invalidAcrossFragments")
    void invalidUtf8VisibleOnlyAcrossFragmentsIsClosedWith1007(Invalid c, int at) {
        byte[] first = concat(PREFIX, Arrays.copyOf(c.bytes(), at));
        byte[] second = concat(Arrays.copyOfRange(c.bytes(), at, c.bytes().length), SUFFIX);
        assertTrue(Utf8.isValidPrefix(first), "the first fragment alone is fine");
        try (RawPeer peer = RawPeer.connect(server)) {
            // not the last fragment either: the second fragment already shows the error
            peer.send(frame(TEXT).fin(false).payload(first).bytes(), frame(CONTINUATION).fin(false).payload(second).bytes());
            peer.assertFailedWith(1007);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("truncatedAtTheEnd")
    void aMessageWhoseLastFragmentLeavesACharacterUnfinishedIsClosedWith1007(Invalid c) {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(TEXT).fin(false).payload(concat(PREFIX, c.bytes())).bytes());
            // up to here the text could still be completed: nothing may happen yet (a ping, allowed
            // between fragments, proves the connection is open and nothing came before its pong)
            peer.send(ClientFrames.ping(utf8("still open")));
            peer.assertPong(utf8("still open"));
            peer.send(frame(CONTINUATION).bytes());
            peer.assertFailedWith(1007);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBeforeTheEnd")
    void invalidUtf8IsClosedWith1007AtTheFirstInvalidByteBeforeTheFrameEnds(Invalid c) {
        byte[] payload = concat(PREFIX, c.bytes(), SUFFIX);
        byte[] bytes = ClientFrames.text(payload);
        int headerLength = frame(TEXT).payload(payload).header().length;
        int throughFirstInvalid = headerLength + PREFIX.length + c.firstInvalid() + 1;
        try (RawPeer peer = RawPeer.connect(server)) {
            // the header announces the whole payload, but only the bytes up to the first invalid one are sent
            peer.send(Arrays.copyOf(bytes, throughFirstInvalid));
            peer.assertFailedWith(1007);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSequences")
    void aCloseReasonThatIsNotUtf8IsClosedWith1007(Invalid c) {
        byte[] reason = concat(utf8("bye "), c.bytes());
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(CLOSE).payload(ClientFrames.closePayload(1000, reason)).bytes());
            peer.assertFailedWith(1007);
        }
    }

    @Test
    void invalidUtf8AfterAnsweredMessagesIsClosedAfterTheirAnswers() {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.text(RawPeer.echo("1", "fine")), ClientFrames.text(concat(PREFIX, hex("ED A0 80"), SUFFIX)));
            List<com.fasterxml.jackson.databind.JsonNode> before = peer.assertFailedWith(1007);
            assertEquals(1, before.size(), "the first message's echo: " + before);
        }
    }

    // ------------------------------------------------------------ valid UTF-8 is accepted exactly

    static Stream<Arguments> boundaryCharacters() {
        return Stream.of(Arguments.of("U+007F", "\u007F"),
                         Arguments.of("U+0080", "\u0080"),
                         Arguments.of("U+07FF", "\u07FF"),
                         Arguments.of("U+0800", "\u0800"),
                         Arguments.of("U+D7FF", "\uD7FF"),
                         Arguments.of("U+E000", "\uE000"),
                         Arguments.of("U+FFFD", "\uFFFD"),
                         Arguments.of("U+FFFE (a noncharacter, still UTF-8)", "\uFFFE"),
                         Arguments.of("U+FFFF", "\uFFFF"),
                         Arguments.of("U+10000", new String(Character.toChars(0x10000))),
                         Arguments.of("U+10FFFF", new String(Character.toChars(0x10FFFF))),
                         Arguments.of("mixed", "aé€𝄞\u0080\uFFFF" + new String(Character.toChars(0x10FFFF))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boundaryCharacters")
    void validUtf8AtEveryBoundaryIsEchoedExactly(String name, String text) {
        String payload = "<" + text + ">";
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(ClientFrames.text(RawPeer.echo("1", payload)));
            peer.assertEchoOf(payload);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boundaryCharacters")
    void validUtf8SplitBetweenEveryByteIsEchoedExactly(String name, String text) {
        String payload = "<" + text + ">";
        byte[] message = utf8(RawPeer.echo("1", payload));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(FragmentationTest.fragments(message, IntStream.range(1, message.length).toArray()));
            peer.assertEchoOf(payload);
        }
    }

    @Test
    void validUtf8ThatIsNotJsonIsAnsweredWithAnErrorNotClosed() {
        try (RawPeer peer = RawPeer.connect(server)) {
            // NUL, a noncharacter and the highest code point: all valid UTF-8
            peer.send(ClientFrames.text(hex("00 EF BF BF F4 8F BF BF")));
            peer.nextError("malformed_json");
            peer.assertNothingElseReceived("probe");
        }
    }
}
