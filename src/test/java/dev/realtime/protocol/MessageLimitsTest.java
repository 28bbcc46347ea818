package dev.realtime.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.realtime.support.ClientFrames;
import dev.realtime.support.RawPeer;
import dev.realtime.support.RunningServer;

import static dev.realtime.support.ClientFrames.BINARY;
import static dev.realtime.support.ClientFrames.CONTINUATION;
import static dev.realtime.support.ClientFrames.PING;
import static dev.realtime.support.ClientFrames.TEXT;
import static dev.realtime.support.ClientFrames.frame;
import static dev.realtime.support.ClientFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RFC 6455 7.4.1 (1009) with the service's limit, {@code WS_MAX_MESSAGE_BYTES} (default 65536, all
 * fragments of a message together): a message at the limit is accepted; one over it is closed with
 * 1009 as soon as a frame header says so, before that frame's payload is sent.
 */
class MessageLimitsTest {
    private static final int LIMIT = 65536;
    private static final int SMALL_LIMIT = 1000;

    @RegisterExtension
    static final RunningServer server = RunningServer.perClass(Map.of("MAX_CONNECTIONS_PER_USER", "1000"));

    @RegisterExtension
    static final RunningServer smallLimit = RunningServer.perClass(Map.of("MAX_CONNECTIONS_PER_USER", "1000",
                                                                          "WS_MAX_MESSAGE_BYTES", String.valueOf(SMALL_LIMIT)));

    static Stream<Arguments> oversizeHeaders() {
        List<Arguments> cases = new ArrayList<>();
        for (long length : new long[] {LIMIT + 1L, 100_000L, 1L << 31, 1L << 40, Long.MAX_VALUE}) {
            cases.add(Arguments.of("text", TEXT, length));
            // from the header alone, before the application could see a binary message (1003)
            cases.add(Arguments.of("binary", BINARY, length));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} frame of {2} bytes")
    @MethodSource("oversizeHeaders")
    void theHeaderOfAFrameOverTheLimitIsClosedWith1009BeforeItsPayload(String kind, int opcode, long length) {
        try (RawPeer peer = RawPeer.connect(server)) {
            // only the header: the payload is never sent, the close must come anyway
            peer.send(frame(opcode).declaredLength(length).header());
            peer.assertFailedWith(1009);
        }
    }

    static Stream<Arguments> fragmentsOverTheLimit() {
        // the sizes of the fragments sent whole, then the length of the fragment whose header is sent alone
        return Stream.of(Arguments.of(List.of(60_000), 5_537L),
                         Arguments.of(List.of(LIMIT), 1L),
                         Arguments.of(List.of(1), (long) LIMIT),
                         Arguments.of(List.of(30_000, 30_000), 5_537L),
                         Arguments.of(List.of(65_000), 537L),
                         Arguments.of(List.of(20_000, 0, 20_000, 25_536), 1L),
                         Arguments.of(List.of(100), 1L << 40));
    }

    @ParameterizedTest(name = "fragments {0}, then the header of {1} bytes")
    @MethodSource("fragmentsOverTheLimit")
    void aFragmentThatTakesTheMessageOverTheLimitIsClosedWith1009BeforeItsPayload(List<Integer> sent, long lastLength) {
        byte[] message = utf8(RawPeer.paddedEcho(LIMIT + 10_000));
        List<byte[]> frames = new ArrayList<>();
        int from = 0;
        for (int size : sent) {
            frames.add(frame(frames.isEmpty() ? TEXT : CONTINUATION).fin(false)
                               .payload(Arrays.copyOfRange(message, from, from + size)).bytes());
            from += size;
        }
        frames.add(frame(CONTINUATION).declaredLength(lastLength).header());
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frames.toArray(byte[][]::new));
            peer.assertFailedWith(1009);
        }
    }

    @ParameterizedTest(name = "{0} fragments")
    @ValueSource(ints = {1, 2, 4, 16})
    void aMessageOfExactlyTheLimitIsAccepted(int count) {
        byte[] message = utf8(RawPeer.paddedEcho(LIMIT));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(evenFragments(message, count));
            peer.assertEchoOf(RawPeer.paddingOf(LIMIT));
        }
    }

    @Test
    void aMessageOfExactlyTheLimitFollowedByAnEmptyLastFragmentIsAccepted() {
        byte[] message = utf8(RawPeer.paddedEcho(LIMIT));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(TEXT).fin(false).payload(message).bytes(), frame(CONTINUATION).bytes());
            peer.assertEchoOf(RawPeer.paddingOf(LIMIT));
        }
    }

    @Test
    void controlFramesBetweenFragmentsDoNotCountTowardsTheLimit() {
        byte[] message = utf8(RawPeer.paddedEcho(LIMIT));
        byte[] ping = utf8("p".repeat(125));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(frame(TEXT).fin(false).payload(Arrays.copyOf(message, LIMIT / 2)).bytes(),
                      frame(PING).payload(ping).bytes(),
                      frame(ClientFrames.PONG).payload(ping).bytes(),
                      frame(CONTINUATION).payload(Arrays.copyOfRange(message, LIMIT / 2, LIMIT)).bytes());
            peer.assertPong(ping);
            peer.assertEchoOf(RawPeer.paddingOf(LIMIT));
        }
    }

    @Test
    void theLimitIsPerMessageNotPerConnection() {
        byte[] message = utf8(RawPeer.paddedEcho(LIMIT));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.send(evenFragments(message, 3), ClientFrames.text(message), evenFragments(message, 2));
            for (int i = 0; i < 3; i++) {
                peer.assertEchoOf(RawPeer.paddingOf(LIMIT));
            }
        }
    }

    // ------------------------------------------------------------ WS_MAX_MESSAGE_BYTES=1000

    @Test
    void theConfiguredLimitIsAcceptedExactly() {
        try (RawPeer peer = RawPeer.connect(smallLimit)) {
            peer.send(ClientFrames.text(RawPeer.paddedEcho(SMALL_LIMIT)));
            peer.assertEchoOf(RawPeer.paddingOf(SMALL_LIMIT));
            peer.send(evenFragments(utf8(RawPeer.paddedEcho(SMALL_LIMIT)), 5));
            peer.assertEchoOf(RawPeer.paddingOf(SMALL_LIMIT));
        }
    }

    @Test
    void aFrameHeaderOverTheConfiguredLimitIsClosedWith1009() {
        try (RawPeer peer = RawPeer.connect(smallLimit)) {
            // 1001 bytes: still a 16-bit length, far below the default limit
            peer.send(frame(TEXT).declaredLength(SMALL_LIMIT + 1).header());
            peer.assertFailedWith(1009);
        }
    }

    @Test
    void fragmentsOverTheConfiguredLimitAreClosedWith1009() {
        byte[] message = utf8(RawPeer.paddedEcho(2 * SMALL_LIMIT));
        try (RawPeer peer = RawPeer.connect(smallLimit)) {
            peer.send(frame(TEXT).fin(false).payload(Arrays.copyOf(message, 600)).bytes(),
                      frame(CONTINUATION).fin(false).payload(Arrays.copyOfRange(message, 600, 999)).bytes(),
                      frame(CONTINUATION).declaredLength(2).header());
            peer.assertFailedWith(1009);
        }
    }

    @Test
    void aMessageOverTheLimitAfterAnsweredOnesIsClosedAfterTheirAnswers() {
        try (RawPeer peer = RawPeer.connect(smallLimit)) {
            peer.send(ClientFrames.text(RawPeer.echo("1", "small")), frame(TEXT).declaredLength(SMALL_LIMIT + 1).header());
            var before = peer.assertFailedWith(1009);
            assertEquals(1, before.size(), "the first message's echo: " + before);
        }
    }

    private static byte[] evenFragments(byte[] message, int count) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int from = (int) ((long) message.length * i / count);
            int to = (int) ((long) message.length * (i + 1) / count);
            frames.add(frame(i == 0 ? TEXT : CONTINUATION).fin(i == count - 1)
                               .payload(Arrays.copyOfRange(message, from, to)).bytes());
        }
        return ClientFrames.concat(frames.toArray(byte[][]::new));
    }
}
