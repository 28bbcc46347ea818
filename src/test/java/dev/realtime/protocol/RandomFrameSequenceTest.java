package dev.realtime.protocol;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import dev.realtime.protocol.ProtocolOracle.Answer;
import dev.realtime.protocol.ProtocolOracle.End;
import dev.realtime.protocol.ProtocolOracle.Outcome;
import dev.realtime.protocol.ProtocolOracle.Sent;
import dev.realtime.support.ClientFrames;
import dev.realtime.support.Contract;
import dev.realtime.support.RawPeer;
import dev.realtime.support.ServerFrames.Frame;
import dev.realtime.support.ServiceUnderTest;
import dev.realtime.support.TestService;
import dev.realtime.support.Utf8;

import static dev.realtime.support.ClientFrames.BINARY;
import static dev.realtime.support.ClientFrames.CLOSE;
import static dev.realtime.support.ClientFrames.CONTINUATION;
import static dev.realtime.support.ClientFrames.PING;
import static dev.realtime.support.ClientFrames.PONG;
import static dev.realtime.support.ClientFrames.TEXT;
import static dev.realtime.support.ClientFrames.frame;
import static dev.realtime.support.ClientFrames.hex;
import static dev.realtime.support.ClientFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Seeded random mixes of valid and invalid frames (fragmented messages with pings, pongs and
 * closes between fragments, characters split anywhere, random masks, random TCP cuts; one defect
 * somewhere, or none), each on its own connection. {@link ProtocolOracle} says what the server must
 * do; the server must do exactly that: the same answers in the same order, then the expected close
 * code (within 1 s of the frame that earned it) and the end of the connection, or an open
 * connection that still answers. Every byte it writes must be a well-formed server frame; every
 * read has a deadline. A failure names its seed; rerun one with {@code -Drfc.seed=<seed>}, or more
 * with {@code -Drfc.seeds=<count>}.
 */
@ServerTest
class RandomFrameSequenceTest {
    private static final int LIMIT = 65536;

    private final ServiceUnderTest server;

    @SetUpServer
    static void setup(WebServerConfig.Builder server) {
        TestService.configure(server, Map.of("MAX_CONNECTIONS_PER_USER", "1000"));
    }

    RandomFrameSequenceTest(URI uri) {
        this.server = ServiceUnderTest.at(uri);
    }

    static LongStream seeds() {
        String one = System.getProperty("rfc.seed");
        if (one != null) {
            return LongStream.of(Long.parseLong(one));
        }
        return LongStream.range(1, 1 + Long.getLong("rfc.seeds", 200));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theServerDoesWhatTheRulesSay(long seed) {
        List<Sent> frames = new Generator(new Random(seed)).generate();
        Outcome outcome = ProtocolOracle.expect(frames, LIMIT);
        String scenario = "seed " + seed + " (rerun: -Drfc.seed=" + seed + ")\n  frames: " + frames
                + "\n  expected: " + outcome.answers() + " then " + outcome.end() + " (" + outcome.why() + ")";
        try (RawPeer peer = RawPeer.connect(server)) {
            try {
                run(new Random(seed ^ 0x5DEECE66DL), peer, frames, outcome);
            } catch (AssertionError e) {
                throw new AssertionError(scenario + "\n" + e.getMessage(), e);
            }
        }
    }

    private static void run(Random random, RawPeer peer, List<Sent> frames, Outcome outcome) {
        byte[] wire = ClientFrames.concat(frames.stream().map(Sent::wire).toArray(byte[][]::new));
        switch (random.nextInt(4)) {
        case 0, 1 -> peer.send(wire);
        case 2 -> {
            // frame by frame
            for (Sent sent : frames) {
                peer.send(sent.wire());
            }
        }
        default -> {
            // cut anywhere
            int[] cuts = random.ints(1 + random.nextInt(6), 1, Math.max(2, wire.length)).distinct().sorted().toArray();
            peer.sendInPieces(wire, 1, cuts);
        }
        }
        boolean failure = outcome.failedAt() >= 0;
        long deadline = failure ? peer.lastWrite() + RawPeer.FAIL_WITHIN.toNanos()
                                : System.nanoTime() + RawPeer.ANSWER_WITHIN.toNanos();
        for (Answer expected : outcome.answers()) {
            Frame frame = peer.next(deadline, failure ? expected + " (the connection fails within "
                    + RawPeer.FAIL_WITHIN.toMillis() + " ms of the frame that broke the rules)" : expected.toString());
            assertAnswer(peer, expected, frame, outcome.end() == End.HANGS_UP && !failure);
        }
        switch (outcome.end()) {
        case HANGS_UP -> {
            if (failure) {
                // as a client does: answer the close, close our side (the server must end it within 1 s)
                peer.closeOurSideAndAwaitTheEnd(((Answer.Close) outcome.answers().getLast()).code());
            } else {
                // the handshake is complete: the server ends the connection by itself
                peer.assertHangsUp();
            }
        }
        case WAITS_FOR_CLIENT_CLOSE -> {
            peer.send(ClientFrames.close(1003));
            peer.assertHangsUp();
        }
        case OPEN -> {
            // nothing else was sent, and the connection still works and closes normally
            peer.assertNothingElseReceived("probe");
            peer.send(ClientFrames.close(1000));
            peer.nextClose(1000);
            peer.assertHangsUp();
        }
        }
    }

    /** {@code echoedClose}: a close frame here answers the client's close (its code is the client's). */
    private static void assertAnswer(RawPeer peer, Answer expected, Frame frame, boolean echoedClose) {
        String got = RawPeer.describe(frame);
        switch (expected) {
        case Answer.Echo echo -> {
            assertEquals(RawPeer.TEXT, frame.opcode(), "expected " + expected + ", got " + got + peer.transcript());
            JsonNode message = Contract.assertServerMessage(frame.text());
            assertEquals("echo", message.path("type").asText(), "expected " + expected + ", got " + got + peer.transcript());
            assertEquals(echo.id(), message.path("id").asText(), "echo id" + peer.transcript());
            assertEquals(echo.payload(), message.get("payload"), "echo payload" + peer.transcript());
        }
        case Answer.Error error -> {
            assertEquals(RawPeer.TEXT, frame.opcode(), "expected " + expected + ", got " + got + peer.transcript());
            JsonNode message = Contract.assertServerMessage(frame.text());
            assertEquals("error", message.path("type").asText(), "expected " + expected + ", got " + got + peer.transcript());
            assertEquals(error.code(), message.path("code").asText(), "error code" + peer.transcript());
        }
        case Answer.Pong pong -> {
            assertEquals(RawPeer.PONG, frame.opcode(), "expected " + expected + ", got " + got + peer.transcript());
            assertArrayEquals(pong.payload(), frame.payload(), "pong payload" + peer.transcript());
        }
        case Answer.Close close -> {
            assertEquals(RawPeer.CLOSE, frame.opcode(), "expected " + expected + ", got " + got + peer.transcript());
            if (close.code() == null) {
                assertEquals(0, frame.payload().length, "the answer to an empty close is empty" + peer.transcript());
                Contract.assertDocumentedCloseCode(1000);
            } else {
                assertEquals(close.code().intValue(), frame.closeCode(), "close code" + peer.transcript());
                if (echoedClose) {
                    RawPeer.assertEchoDocumented(frame.closeCode());
                } else {
                    Contract.assertDocumentedCloseCode(frame.closeCode());
                }
            }
        }
        }
    }

    /**
     * Random frames: mostly valid (whole and fragmented text messages, pings, pongs), ending in a
     * close, a binary message or one defect, or in nothing. One defect per frame at most, and a frame
     * with a defect ends the sequence (the server must stop reading there), so the oracle's order of
     * checks never decides between two codes.
     */
    static final class Generator {
        private static final String[] INVALID_UTF8 = {
            "C0 80", "C1 BF", "E0 80 80", "E0 9F BF", "F0 80 80 80", "F0 8F BF BF", "ED A0 80", "ED BF BF",
            "F4 90 80 80", "F5 80 80 80", "F8 88 80 80 80", "FE", "FF", "80", "BF", "C3 41", "E2 82 41", "C3 A9 80"
        };
        private static final String[] TRUNCATED_UTF8 = {"C3", "E2 82", "F0 9F 98", "F4 8F BF"};
        private static final int[] BAD_CLOSE_CODES = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};
        private static final int[] GOOD_CLOSE_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013,
                                                       1014, 3000, 3999, 4000, 4999};
        private static final int[] RESERVED_OPCODES = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF};
        private static final String[] PIECES = {"a", "b", "z", "0", " ", "é", "ü", "€", "日", "本", "𝄞", "😀", "\"", "\\",
                                                "\n", "\t", "\u0001", "\u007F", "\u0080", "\u07FF", "\u0800", "\uFFFD"};

        private final Random random;
        private final List<Sent> frames = new ArrayList<>();
        /** The fragments still to send of the message in progress. */
        private final Deque<byte[]> pending = new ArrayDeque<>();
        private int messageBytes;
        private int ids;

        Generator(Random random) {
            this.random = random;
        }

        List<Sent> generate() {
            // valid steps first, then how the sequence ends: as it is, with a close, a binary message or a defect
            int steps = random.nextInt(12);
            for (int i = 0; i < steps; i++) {
                if (pending.isEmpty()) {
                    betweenMessages();
                } else {
                    insideAMessage();
                }
            }
            int ending = random.nextInt(100);
            if (ending < 35) {
                finishMessage();
            } else if (ending < 45) {
                validClose();
            } else if (ending < 51) {
                finishMessage();
                add("binary", frame(BINARY).payload(randomBytes(random.nextInt(200))));
            } else {
                if (pending.isEmpty() && random.nextBoolean()) {
                    // most defects have a variant for inside a fragmented message
                    startFragmentedMessage();
                }
                defect();
            }
            return frames;
        }

        private void finishMessage() {
            while (!pending.isEmpty()) {
                if (random.nextInt(5) == 0) {
                    add("ping between fragments", frame(PING).payload(randomBytes(random.nextInt(126))));
                }
                nextFragment(null);
            }
        }

        private void betweenMessages() {
            int roll = random.nextInt(100);
            if (roll < 45) {
                byte[] message = textMessage();
                add("text " + describe(message), frame(TEXT).payload(message));
            } else if (roll < 75) {
                startFragmentedMessage();
            } else if (roll < 90) {
                add("ping", frame(PING).payload(randomBytes(random.nextInt(126))));
            } else {
                add("pong", frame(PONG).payload(randomBytes(random.nextInt(126))));
            }
        }

        private void insideAMessage() {
            int roll = random.nextInt(100);
            if (roll < 70) {
                nextFragment(null);
            } else if (roll < 88) {
                add("ping between fragments", frame(PING).payload(randomBytes(random.nextInt(126))));
            } else {
                add("pong between fragments", frame(PONG).payload(randomBytes(random.nextInt(126))));
            }
        }

        private void validClose() {
            int shape = random.nextInt(4);
            if (shape == 0) {
                add("close (empty)", frame(CLOSE));
            } else {
                int code = GOOD_CLOSE_CODES[random.nextInt(GOOD_CLOSE_CODES.length)];
                String reason = shape == 1 ? "" : randomText(random.nextInt(30));
                while (utf8(reason).length > 123) {
                    reason = reason.substring(0, reason.length() - 1);
                }
                add("close " + code, frame(CLOSE).payload(ClientFrames.closePayload(code, utf8(reason))));
            }
            // frames after the client's close: the server must answer none of them
            int after = random.nextInt(3);
            for (int i = 0; i < after; i++) {
                if (random.nextBoolean()) {
                    add("text after the close", frame(TEXT).payload(utf8(RawPeer.echo("late" + i, "too late"))));
                } else {
                    add("ping after the close", frame(PING).payload(utf8("too late")));
                }
            }
        }

        private void startFragmentedMessage() {
            byte[] message = textMessage();
            int count = 2 + random.nextInt(random.nextInt(10) < 8 ? 5 : 40);
            int[] cuts = random.ints(count - 1, 0, message.length + 1).sorted().toArray();
            int from = 0;
            for (int cut : cuts) {
                pending.add(Arrays.copyOfRange(message, from, cut));
                from = cut;
            }
            pending.add(Arrays.copyOfRange(message, from, message.length));
            messageBytes = 0;
            byte[] first = pending.poll();
            messageBytes += first.length;
            add("text fragment 1/" + count + " of " + describe(message), frame(TEXT).fin(false).payload(first));
        }

        /** The next fragment of the message in progress, as is or with {@code defect} applied. */
        private void nextFragment(java.util.function.UnaryOperator<ClientFrames.Frame> defect) {
            byte[] payload = pending.poll();
            messageBytes += payload.length;
            ClientFrames.Frame f = frame(CONTINUATION).fin(pending.isEmpty()).payload(payload);
            add((pending.isEmpty() ? "last fragment" : "fragment") + " [" + payload.length + " bytes]"
                        + (defect == null ? "" : " with a defect"), defect == null ? f : defect.apply(f));
        }

        /** One frame that breaks a rule: 1002 half the time, 1007 three times in ten, 1009 the rest. */
        private void defect() {
            boolean inMessage = !pending.isEmpty();
            int category = random.nextInt(100);
            int[] kinds = category < 50 ? new int[] {0, 1, 2, 3, 4, 5, 6, 8, 10}
                    : category < 80 ? inMessage ? new int[] {7, 11, 12} : new int[] {7, 11}
                    : new int[] {9};
            switch (kinds[random.nextInt(kinds.length)]) {
            case 0 -> {
                int opcode = RESERVED_OPCODES[random.nextInt(RESERVED_OPCODES.length)];
                add("reserved opcode " + opcode, frame(opcode).fin(random.nextBoolean()).payload(randomBytes(random.nextInt(20))));
            }
            case 1 -> {
                int rsv = 1 + random.nextInt(7);
                if (inMessage) {
                    nextFragment(f -> f.rsv(rsv));
                } else if (random.nextBoolean()) {
                    add("text with RSV " + rsv, frame(TEXT).rsv(rsv).payload(textMessage()));
                } else {
                    add("ping with RSV " + rsv, frame(PING).rsv(rsv).payload(randomBytes(5)));
                }
            }
            case 2 -> {
                if (inMessage) {
                    nextFragment(ClientFrames.Frame::unmasked);
                } else {
                    add("unmasked text", frame(TEXT).unmasked().payload(textMessage()));
                }
            }
            case 3 -> {
                int opcode = new int[] {PING, PONG, CLOSE}[random.nextInt(3)];
                byte[] payload = opcode == CLOSE ? ClientFrames.closePayload(1000, utf8("r".repeat(124 + random.nextInt(100))))
                                                 : randomBytes(126 + random.nextInt(200));
                add("control frame " + opcode + " of " + payload.length + " bytes", frame(opcode).payload(payload));
            }
            case 4 -> {
                int opcode = new int[] {PING, PONG, CLOSE}[random.nextInt(3)];
                byte[] payload = opcode == CLOSE ? ClientFrames.closePayload(1000, new byte[0]) : randomBytes(random.nextInt(10));
                add("control frame " + opcode + " with FIN clear", frame(opcode).fin(false).payload(payload));
            }
            case 5 -> add("close with 1 byte", frame(CLOSE).payload(new byte[] {(byte) random.nextInt(256)}));
            case 6 -> {
                int code = BAD_CLOSE_CODES[random.nextInt(BAD_CLOSE_CODES.length)];
                add("close " + code, frame(CLOSE).payload(ClientFrames.closePayload(code, utf8("bad"))));
            }
            case 7 -> add("close with a reason not UTF-8",
                          frame(CLOSE).payload(ClientFrames.closePayload(1000, ClientFrames.concat(utf8("r"), invalidUtf8(true)))));
            case 8 -> {
                long length = Long.MIN_VALUE | random.nextInt(1 << 20);
                headerOnly("64-bit length with the top bit set", frame(inMessage ? CONTINUATION : TEXT).declaredLength(length).length64());
            }
            case 9 -> {
                long room = LIMIT - (inMessage ? messageBytes : 0);
                long length = room + 1 + (random.nextBoolean() ? 0 : random.nextInt(1 << 20));
                headerOnly("header of " + length + " bytes, over the limit", frame(inMessage ? CONTINUATION : random.nextBoolean() ? TEXT : BINARY)
                        .declaredLength(length));
            }
            case 10 -> {
                if (inMessage) {
                    add("new text frame inside a message", frame(random.nextBoolean() ? TEXT : BINARY).fin(random.nextBoolean())
                            .payload(utf8(RawPeer.echo("x", "new"))));
                } else {
                    add("continuation with no message", frame(CONTINUATION).fin(random.nextBoolean()).payload(utf8(RawPeer.echo("x", "orphan"))));
                }
            }
            case 11 -> {
                if (inMessage) {
                    // a sequence that starts with a lead byte: invalid whatever came before (the previous
                    // fragment may have ended inside a character, which a continuation byte could finish)
                    byte[] bad = invalidUtf8(false);
                    while ((bad[0] & 0xC0) == 0x80) {
                        bad = invalidUtf8(false);
                    }
                    byte[] chosen = bad;
                    nextFragment(f -> f.payload(ClientFrames.concat(f.payload(), chosen, utf8("tail"))));
                } else {
                    byte[] message = utf8(RawPeer.echo(nextId(), "bad "));
                    byte[] bad = invalidUtf8(true);
                    boolean atTheEnd = Utf8.isValidPrefix(bad);
                    add("text not UTF-8", frame(TEXT).payload(atTheEnd ? ClientFrames.concat(message, bad)
                                                                       : ClientFrames.concat(Arrays.copyOf(message, message.length - 2), bad, utf8("\"}"))));
                }
            }
            case 12 -> {
                // inside a message only: the message ends with an unfinished character
                byte[] truncated = hex(TRUNCATED_UTF8[random.nextInt(TRUNCATED_UTF8.length)]);
                byte[] rest = pending.stream().reduce(new byte[0], ClientFrames::concat);
                pending.clear();
                add("last fragment ending in an unfinished character",
                    frame(CONTINUATION).payload(ClientFrames.concat(rest, truncated)));
            }
            default -> throw new IllegalStateException();
            }
        }

        /** A whole text message: mostly an echo, sometimes text that is not JSON, sometimes nothing; rarely large. */
        private byte[] textMessage() {
            int roll = random.nextInt(100);
            if (roll < 5) {
                return new byte[0];
            }
            if (roll < 12) {
                return utf8("not json " + randomText(random.nextInt(40)));
            }
            if (roll < 15) {
                return utf8(RawPeer.paddedEcho(LIMIT));
            }
            int length = roll < 22 ? 1000 + random.nextInt(20_000) : random.nextInt(120);
            return utf8(RawPeer.echo(nextId(), randomText(length)));
        }

        private String nextId() {
            return "r" + ++ids;
        }

        private String randomText(int pieces) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < pieces; i++) {
                text.append(random.nextInt(3) == 0 ? PIECES[random.nextInt(PIECES.length)] : (char) ('a' + random.nextInt(26)));
            }
            return text.toString();
        }

        private byte[] invalidUtf8(boolean truncatedToo) {
            if (truncatedToo && random.nextInt(5) == 0) {
                return hex(TRUNCATED_UTF8[random.nextInt(TRUNCATED_UTF8.length)]);
            }
            return hex(INVALID_UTF8[random.nextInt(INVALID_UTF8.length)]);
        }

        private byte[] randomBytes(int length) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            return bytes;
        }

        private void add(String label, ClientFrames.Frame f) {
            frames.add(new Sent(label, randomMask(f), false));
        }

        private void headerOnly(String label, ClientFrames.Frame f) {
            frames.add(new Sent(label + " (header only)", randomMask(f), true));
        }

        private ClientFrames.Frame randomMask(ClientFrames.Frame f) {
            return f.isMasked() ? f.mask(randomBytes(4)) : f;
        }

        private static String describe(byte[] message) {
            return "[" + message.length + " bytes] " + ProtocolOracle.abbreviated(new String(message, StandardCharsets.UTF_8));
        }
    }
}
