package dev.realtime.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.realtime.support.ClientFrames;
import dev.realtime.support.RawPeer;
import dev.realtime.support.Utf8;

/**
 * What a server that follows RFC 6455 and the engine's contract (asyncapi.yaml) must do with a
 * sequence of client frames: the frames it answers with, in order, and how the connection ends.
 * Written from the rules alone, frame by frame, the way a receiver meets them:
 * <ol>
 * <li>from the header: RSV bits, reserved opcodes, the mask, control frames over 125 bytes or with
 *     FIN clear, a continuation with no message, a new message inside an unfinished one, a 64-bit
 *     length with its top bit set: 1002; a data frame taking its message over the limit: 1009;</li>
 * <li>from the payload: a close with 1 byte or a code not allowed on the wire: 1002, with a reason
 *     that is not UTF-8: 1007; text that can no longer become valid UTF-8, at the fragment where
 *     that shows, or that ends unfinished: 1007;</li>
 * <li>valid frames: a ping gets a pong with its payload, a pong nothing, a close its own code (an
 *     empty close an empty one) and the end; a whole text message the application's answer (the echo,
 *     or {@code malformed_json}); a binary message the application's close 1003.</li>
 * </ol>
 * A failure (1002, 1007, 1009) is the last thing the server sends; so is the answer to a close.
 */
final class ProtocolOracle {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> RESERVED = Set.of(0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF);

    private ProtocolOracle() {
    }

    /** A frame the test sends; {@code headerOnly}: only its header goes on the wire (it must end the connection). */
    record Sent(String label, ClientFrames.Frame frame, boolean headerOnly) {
        byte[] wire() {
            return headerOnly ? frame.header() : frame.bytes();
        }

        @Override
        public String toString() {
            return label;
        }
    }

    sealed interface Answer {
        record Echo(String id, JsonNode payload) implements Answer {
            @Override
            public String toString() {
                return "Echo[id=" + id + ", payload=" + abbreviated(payload.toString()) + "]";
            }
        }

        record Error(String code) implements Answer {
        }

        record Pong(byte[] payload) implements Answer {
            @Override
            public String toString() {
                return "Pong[" + HexFormat.of().formatHex(payload) + "]";
            }
        }

        /** A close frame; {@code code} null: an empty one (the answer to an empty close). */
        record Close(Integer code) implements Answer {
        }
    }

    enum End {
        /** No close: the connection stays open. */
        OPEN,
        /** After the last answer (a close frame) the server ends the TCP connection by itself. */
        HANGS_UP,
        /** The server started a closing handshake (1003) and waits for the client's close. */
        WAITS_FOR_CLIENT_CLOSE
    }

    /**
     * @param failedAt index of the frame that failed the connection (1002, 1007, 1009), or -1
     */
    record Outcome(List<Answer> answers, End end, int failedAt, String why) {
    }

    static Outcome expect(List<Sent> frames, int limit) {
        List<Answer> answers = new ArrayList<>();
        boolean inMessage = false;
        int messageOpcode = 0;
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            Sent sent = frames.get(i);
            ClientFrames.Frame f = sent.frame();
            int opcode = f.opcode();
            boolean control = opcode >= 0x8;
            long length = f.announcedLength();
            // ---- the header
            String headerError = null;
            if (f.rsvBits() != 0) {
                headerError = "RSV bits set";
            } else if (RESERVED.contains(opcode)) {
                headerError = "reserved opcode " + opcode;
            } else if (!f.isMasked()) {
                headerError = "unmasked";
            } else if (length < 0) {
                headerError = "64-bit length with the top bit set";
            } else if (control && length > 125) {
                headerError = "control frame of " + length + " bytes";
            } else if (control && !f.isFin()) {
                headerError = "fragmented control frame";
            } else if (opcode == ClientFrames.CONTINUATION && !inMessage) {
                headerError = "continuation with no message started";
            } else if ((opcode == ClientFrames.TEXT || opcode == ClientFrames.BINARY) && inMessage) {
                headerError = "new message inside an unfinished one";
            }
            if (headerError != null) {
                return failed(answers, 1002, i, headerError);
            }
            if (!control && (inMessage ? message.size() : 0) + length > limit) {
                return failed(answers, 1009, i, "message over " + limit + " bytes");
            }
            if (sent.headerOnly()) {
                throw new IllegalStateException("test bug: a header-only frame the rules accept: " + sent);
            }
            byte[] payload = f.payload();
            // ---- the payload
            switch (opcode) {
            case ClientFrames.CLOSE -> {
                if (payload.length == 1) {
                    return failed(answers, 1002, i, "close with a 1-byte payload");
                }
                if (payload.length == 0) {
                    answers.add(new Answer.Close(null));
                    return new Outcome(answers, End.HANGS_UP, -1, "empty close echoed");
                }
                int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
                if (!RawPeer.isAllowedOnTheWire(code)) {
                    return failed(answers, 1002, i, "close code " + code);
                }
                byte[] reason = java.util.Arrays.copyOfRange(payload, 2, payload.length);
                if (!Utf8.isValid(reason)) {
                    return failed(answers, 1007, i, "close reason not UTF-8");
                }
                answers.add(new Answer.Close(code));
                return new Outcome(answers, End.HANGS_UP, -1, "close " + code + " echoed");
            }
            case ClientFrames.PING -> answers.add(new Answer.Pong(payload));
            case ClientFrames.PONG -> {
                // unsolicited: no answer
            }
            default -> {
                if (opcode != ClientFrames.CONTINUATION) {
                    inMessage = true;
                    messageOpcode = opcode;
                    message.reset();
                }
                message.writeBytes(payload);
                if (messageOpcode == ClientFrames.TEXT && !Utf8.isValidPrefix(message.toByteArray())) {
                    return failed(answers, 1007, i, "text not UTF-8");
                }
                if (messageOpcode == ClientFrames.BINARY && !f.isFin()) {
                    throw new IllegalStateException("test bug: a fragmented binary message (when 1003 comes is not pinned down)");
                }
                if (f.isFin()) {
                    inMessage = false;
                    if (messageOpcode == ClientFrames.BINARY) {
                        answers.add(new Answer.Close(1003));
                        return new Outcome(answers, End.WAITS_FOR_CLIENT_CLOSE, -1, "binary message: 1003");
                    }
                    if (!Utf8.isValid(message.toByteArray())) {
                        return failed(answers, 1007, i, "text ends in an unfinished character");
                    }
                    answers.add(applicationAnswer(message.toString(StandardCharsets.UTF_8)));
                }
            }
            }
        }
        if (inMessage) {
            throw new IllegalStateException("test bug: the sequence ends inside a message");
        }
        return new Outcome(answers, End.OPEN, -1, "open");
    }

    /** The service's answer to a whole text message (asyncapi.yaml): the echo, or malformed_json. */
    static Answer applicationAnswer(String text) {
        JsonNode node;
        try {
            node = text.isEmpty() ? null : JSON.readTree(text);
        } catch (IOException e) {
            node = null;
        }
        if (node == null) {
            return new Answer.Error("malformed_json");
        }
        if (node.isObject() && node.size() == 3 && "echo".equals(node.path("type").asText())
                && node.path("id").isTextual() && node.has("payload")) {
            return new Answer.Echo(node.get("id").asText(), node.get("payload"));
        }
        throw new IllegalStateException("test bug: the oracle does not know the answer to " + text);
    }

    /** At most 40 characters, control characters escaped: for labels and failure messages. */
    static String abbreviated(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(40).forEach(c -> {
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        int length = text.codePointCount(0, text.length());
        return length > 40 ? out + "...(" + length + " characters)" : out.toString();
    }

    private static Outcome failed(List<Answer> answers, int code, int at, String why) {
        answers.add(new Answer.Close(code));
        return new Outcome(answers, End.HANGS_UP, at, why);
    }
}
