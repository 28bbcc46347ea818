package dev.realtime.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.realtime.support.ServerFrames.Frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A WebSocket peer on a plain socket, for RFC 6455 tests: it upgrades, reads the welcome, then
 * writes whatever bytes a test gives it ({@link ClientFrames}) and reads the server's frames
 * strictly: every frame must be one a server may send (FIN set, no RSV bit, unmasked, shortest
 * length, a known opcode, text and close reasons in valid UTF-8, a close code allowed on the wire,
 * JSON messages valid against asyncapi.yaml). Every failure message ends with the transcript of the
 * connection.
 */
public final class RawPeer implements AutoCloseable {
    /** How soon after the offending frame the server must have failed the connection (the engine's contract). */
    public static final Duration FAIL_WITHIN = Duration.ofSeconds(1);
    /** How long to wait for an answer that must come (generous: a slow machine is not a failure). */
    public static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final JsonNode welcome;
    private final List<String> transcript = new ArrayList<>();
    private long lastWrite = System.nanoTime();
    private IOException writeFailure;

    private RawPeer(Socket socket, InputStream rawIn) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(rawIn));
        this.out = socket.getOutputStream();
        Frame first = next();
        this.welcome = assertMessage(first, "welcome");
    }

    /** Connects as alice and reads the welcome. */
    public static RawPeer connect(ServiceUnderTest server) {
        return connect(server, "alice", Map.of());
    }

    /** Connects as {@code user} (token cached per server, see {@link Peer#token}) with extra upgrade headers. */
    public static RawPeer connect(ServiceUnderTest server, String user, Map<String, String> headers) {
        String token = Peer.token(server, user);
        Socket socket = null;
        try {
            socket = new Socket(server.host(), server.port());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            Map<String, String> all = new LinkedHashMap<>();
            all.put("Host", server.host() + ":" + server.port());
            all.put("Connection", "Upgrade");
            all.put("Upgrade", "websocket");
            all.put("Sec-WebSocket-Key", key);
            all.put("Sec-WebSocket-Version", "13");
            all.putAll(headers);
            var request = new StringBuilder("GET /?token=").append(token).append(" HTTP/1.1\r\n");
            all.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream rawIn = socket.getInputStream();
            String status = RawHttp.line(rawIn);
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            for (String line = RawHttp.line(rawIn); !line.isEmpty(); line = RawHttp.line(rawIn)) {
                int colon = line.indexOf(':');
                responseHeaders.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                      line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
            assertTrue(status.startsWith("HTTP/1.1 101"), "upgrade refused: " + status + " " + responseHeaders);
            assertEquals(accept(key), responseHeaders.get("sec-websocket-accept"), "Sec-WebSocket-Accept");
            assertEquals(null, responseHeaders.get("sec-websocket-extensions"),
                         "no extension is negotiated (RSV bits keep no meaning)");
            assertEquals(null, responseHeaders.get("sec-websocket-protocol"), "no subprotocol is negotiated");
            return new RawPeer(socket, rawIn);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            closeQuietly(socket);
            throw e;
        }
    }

    public JsonNode welcome() {
        return welcome;
    }

    // ---------------------------------------------------------------- writing

    /** Writes the frames (bytes) in one write. A server that already hung up is not an error here: reading tells. */
    public RawPeer send(byte[]... frames) {
        byte[] bytes = ClientFrames.concat(frames);
        note("> " + bytes.length + " bytes " + preview(bytes));
        write(bytes);
        return this;
    }

    /**
     * Writes {@code bytes} in pieces, cut at the given offsets (increasing), flushing and pausing
     * {@code pauseMillis} between pieces so each arrives in its own TCP segment.
     */
    public RawPeer sendInPieces(byte[] bytes, int pauseMillis, int... cuts) {
        note("> " + bytes.length + " bytes in " + (cuts.length + 1) + " writes " + preview(bytes));
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            if (i > 0) {
                pause(pauseMillis);
            }
            write(java.util.Arrays.copyOfRange(bytes, from, to));
            from = to;
        }
        return this;
    }

    private void write(byte[] bytes) {
        if (writeFailure != null) {
            return;
        }
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            writeFailure = e;
            note("  (write failed: " + e.getMessage() + ")");
        }
        lastWrite = System.nanoTime();
    }

    // ---------------------------------------------------------------- reading

    /** The next frame; fails if none comes within {@link #ANSWER_WITHIN} or the connection ends. */
    public Frame next() {
        return next(System.nanoTime() + ANSWER_WITHIN.toNanos(), "a frame from the server");
    }

    /** The next frame, which must arrive before {@code deadline} (System.nanoTime()). */
    public Frame next(long deadline, String expected) {
        Frame frame = readFrameOrEnd(deadline, expected);
        if (frame == null) {
            fail("expected " + expected + ", but the server closed the connection" + transcript());
        }
        return frame;
    }

    /** The next frame: a text message of this type, valid against the contract. */
    public JsonNode nextMessage(String type) {
        return assertMessage(next(), type);
    }

    /** The next frame: the echo reply with this id; returns its payload. */
    public JsonNode nextEcho(String id) {
        JsonNode echo = nextMessage("echo");
        assertEquals(id, echo.path("id").asText(), "echo id; message: " + echo + transcript());
        return echo.get("payload");
    }

    /** The next frame is the echo reply with id "1" and exactly this string as payload. */
    public void assertEchoOf(String payload) {
        JsonNode echoed = nextEcho("1");
        assertEquals(TextNode.valueOf(payload), echoed, "echoed payload" + transcript());
    }

    /** The next frame: an error message with this code (the connection stays open). */
    public JsonNode nextError(String code) {
        JsonNode error = nextMessage("error");
        assertEquals(code, error.path("code").asText(), "error code; message: " + error + transcript());
        return error;
    }

    /** The next frame is a pong carrying exactly {@code payload}. */
    public void assertPong(byte[] payload) {
        Frame frame = next();
        assertEquals(PONG, frame.opcode(), "a pong, got " + describe(frame) + transcript());
        assertArrayEquals(payload, frame.payload(), "the pong's payload is the ping's" + transcript());
    }

    /**
     * Proves nothing else was sent before now: an echo with a fresh id is sent, and the very next
     * frame must be its reply.
     */
    public void assertNothingElseReceived(String probeId) {
        send(ClientFrames.text(echo(probeId, "probe")));
        Frame frame = next();
        JsonNode message = assertMessage(frame, null);
        assertEquals("echo", message.path("type").asText(), "unexpected frame before the probe's echo: " + message + transcript());
        assertEquals(probeId, message.path("id").asText(), "unexpected echo before the probe's: " + message + transcript());
    }

    /**
     * The server failed the connection: within {@link #FAIL_WITHIN} of the last write, after at most
     * some text messages it had already sent, one close frame with {@code code} (a documented one),
     * and nothing after it. The peer then does what RFC 6455 asks of it (5.5.1: answer the close with
     * a close; 7.1.1: it may close its side once both close frames are out), and the TCP connection
     * must end within {@link #FAIL_WITHIN}. (That the server also ends it by itself, at once, is
     * {@link #assertFailedWithAndHangsUpByItself}'s job.)
     *
     * @return the text messages read before the close frame
     */
    public List<JsonNode> assertFailedWith(int code) {
        List<JsonNode> before = readUntilFailureClose(code);
        closeOurSideAndAwaitTheEnd(code);
        return before;
    }

    /**
     * As {@link #assertFailedWith}, but the peer does nothing after the close frame: the server must
     * end the TCP connection by itself within {@code eofWithin} of its close frame.
     */
    public List<JsonNode> assertFailedWithAndHangsUpByItself(int code, Duration eofWithin) {
        List<JsonNode> before = readUntilFailureClose(code);
        long closeFrameAt = System.nanoTime();
        assertHangsUpWithin(eofWithin);
        note("  (the connection ended " + (System.nanoTime() - closeFrameAt) / 1_000_000 + " ms after the close frame)");
        return before;
    }

    /** Text messages, then the close frame with {@code code}, within {@link #FAIL_WITHIN} of the last write. */
    private List<JsonNode> readUntilFailureClose(int code) {
        long deadline = lastWrite + FAIL_WITHIN.toNanos();
        List<JsonNode> before = new ArrayList<>();
        while (true) {
            Frame frame = readFrameOrEnd(deadline, "a close frame with " + code + " within " + FAIL_WITHIN.toMillis() + " ms");
            if (frame == null) {
                fail("expected a close frame with " + code + ", but the connection ended without one" + transcript());
            }
            if (frame.opcode() == TEXT) {
                before.add(assertMessage(frame, null));
                continue;
            }
            assertEquals(CLOSE, frame.opcode(), "only text messages may come before the close frame, got "
                    + describe(frame) + transcript());
            assertEquals(code, frame.closeCode(), "close code" + transcript());
            Contract.assertDocumentedCloseCode(frame.closeCode());
            return before;
        }
    }

    /**
     * After the server's close frame: answers it with a close frame carrying its code, closes this
     * side's output (TCP FIN), and requires the server to end the connection within
     * {@link #FAIL_WITHIN} with no byte after its close frame.
     */
    public void closeOurSideAndAwaitTheEnd(int code) {
        send(ClientFrames.close(code));
        try {
            if (writeFailure == null) {
                socket.shutdownOutput();
                note("> FIN (output shut down)");
            }
        } catch (IOException e) {
            note("  (shutting down output failed: " + e.getMessage() + ")");
        }
        assertHangsUp();
    }

    /** The next frame is a close frame with {@code code} (any reason), a code asyncapi.yaml documents; returns it. */
    public Frame nextClose(int code) {
        Frame frame = next();
        assertEquals(CLOSE, frame.opcode(), "a close frame, got " + describe(frame) + transcript());
        assertEquals(code, frame.closeCode(), "close code" + transcript());
        Contract.assertDocumentedCloseCode(code);
        return frame;
    }

    /**
     * The next frame is the answer to the client's close with {@code code}: a close frame with that
     * same code. asyncapi.yaml documents the echo under 1000 ("the client's own code, any code allowed
     * on the wire"), so a code it does not list itself is checked against that entry.
     */
    public Frame nextEchoedClose(int code) {
        Frame frame = next();
        assertEquals(CLOSE, frame.opcode(), "a close frame, got " + describe(frame) + transcript());
        assertEquals(code, frame.closeCode(), "the client's close code, echoed" + transcript());
        assertEchoDocumented(code);
        return frame;
    }

    /** A close code the server echoes: documented itself, or under 1000's entry (which covers echoes). */
    public static void assertEchoDocumented(int code) {
        Contract.assertDocumentedCloseCode(Contract.documentedCloseCodes().contains(code) ? code : 1000);
        assertTrue(isAllowedOnTheWire(code), "an echoed code is one allowed on the wire: " + code);
    }

    /** After its close frame the server ends the TCP connection within {@link #FAIL_WITHIN}: no byte follows. */
    public void assertHangsUp() {
        assertHangsUpWithin(FAIL_WITHIN);
    }

    /** After its close frame the server ends the TCP connection within {@code limit}: no byte follows. */
    public void assertHangsUpWithin(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            setTimeout(deadline);
            int b = in.read();
            if (b != -1) {
                ByteArrayOutputStream more = new ByteArrayOutputStream();
                more.write(b);
                more.write(in.readNBytes(Math.min(in.available(), 64)));
                fail("no byte may follow the server's close frame, got " + HexFormat.of().formatHex(more.toByteArray())
                             + transcript());
            }
            note("< end of stream");
        } catch (SocketTimeoutException e) {
            fail("the server did not close the TCP connection within " + limit.toMillis()
                         + " ms of its close frame" + transcript());
        } catch (SocketException e) {
            note("< connection reset");
        } catch (IOException e) {
            fail("reading after the close frame: " + e + transcript());
        }
    }

    /**
     * Reads one server frame strictly, or returns null at end of stream before its first byte (a
     * connection reset there counts as end of stream). Fails on a timeout, a partial frame or a
     * frame a server may not send.
     */
    public Frame readFrameOrEnd(long deadline, String expected) {
        try {
            setTimeout(deadline);
            int first;
            try {
                first = in.read();
            } catch (SocketException e) {
                note("< connection reset");
                return null;
            }
            if (first == -1) {
                note("< end of stream");
                return null;
            }
            int second = in.readUnsignedByte();
            int opcode = first & 0x0F;
            String header = String.format("header %02x %02x", first, second);
            boolean wellFormedStart = (first & 0xF0) == 0x80 && (second & 0x80) == 0
                    && (opcode == TEXT || opcode == CLOSE || opcode == PING || opcode == PONG);
            if (!wellFormedStart) {
                // say what it was: e.g. an HTTP response written into the upgraded connection
                byte[] rest = in.readNBytes(Math.min(in.available(), 200));
                byte[] seen = ClientFrames.concat(new byte[] {(byte) first, (byte) second}, rest);
                note("< not a well-formed server frame: " + HexFormat.of().formatHex(seen, 0, Math.min(seen.length, 48))
                             + " (as text: \"" + new String(seen, StandardCharsets.ISO_8859_1).replace("\r\n", "\\r\\n") + "\")");
            }
            assertEquals(0x80, first & 0x80, "server frames are final, one frame per message (" + header + ")" + transcript());
            assertEquals(0, first & 0x70, "no RSV bit, no extension was negotiated (" + header + ")" + transcript());
            assertTrue(opcode == TEXT || opcode == CLOSE || opcode == PING || opcode == PONG,
                       "an opcode this server sends (text, close, ping, pong): " + opcode + " (" + header + ")" + transcript());
            assertEquals(0, second & 0x80, "server frames are not masked (" + header + ")" + transcript());
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
                assertTrue(length > 125, "the shortest length encoding (16 bits for " + length + ")" + transcript());
            } else if (length == 127) {
                length = in.readLong();
                assertTrue(length > 0xFFFF, "the shortest length encoding (64 bits for " + length + ")" + transcript());
            }
            if (opcode >= 0x8) {
                assertTrue(length <= 125, "a control frame's payload is at most 125 bytes: " + length + transcript());
            }
            assertTrue(length <= 16L << 20, "a frame of " + length + " bytes from this server" + transcript());
            byte[] payload = new byte[(int) length];
            try {
                in.readFully(payload);
            } catch (EOFException e) {
                fail("the connection ended in the middle of a frame (" + header + ", " + length + " bytes)" + transcript());
            }
            Frame frame = new Frame(opcode, payload);
            note("< " + describe(frame));
            if (opcode == TEXT) {
                assertUtf8(payload, "a text frame from the server");
            }
            if (opcode == CLOSE) {
                assertTrue(payload.length != 1, "a close payload is empty or has a 2-byte code" + transcript());
                if (payload.length >= 2) {
                    int code = frame.closeCode();
                    assertTrue(isAllowedOnTheWire(code), "close code " + code + " may not be sent" + transcript());
                    assertUtf8(java.util.Arrays.copyOfRange(payload, 2, payload.length), "the close reason");
                }
            }
            return frame;
        } catch (SocketTimeoutException e) {
            return fail("expected " + expected + ", got nothing in time" + transcript());
        } catch (IOException e) {
            return fail("reading a frame: " + e + transcript());
        }
    }

    /** No frame arrives within {@code millis} (the connection stays open and silent). */
    public void assertSilentFor(int millis) {
        long deadline = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        try {
            setTimeout(deadline);
            int b = in.read();
            fail(b == -1 ? "the server closed the connection" + transcript()
                         : "the server sent something: " + String.format("%02x", b) + transcript());
        } catch (SocketTimeoutException e) {
            // silent, as expected
        } catch (IOException e) {
            fail("reading: " + e + transcript());
        }
    }

    // ---------------------------------------------------------------- messages

    /** {@code {"type":"echo","id":<id>,"payload":<payload as a JSON string>}}. */
    public static String echo(String id, String payload) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "echo");
        node.put("id", id);
        node.put("payload", payload);
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The echo message with id "1" padded with 'x' in its payload to exactly {@code bytes} bytes of UTF-8. */
    public static String paddedEcho(int bytes) {
        int overhead = echo("1", "").getBytes(StandardCharsets.UTF_8).length;
        if (bytes < overhead) {
            throw new IllegalArgumentException("an echo message has at least " + overhead + " bytes");
        }
        String message = echo("1", "x".repeat(bytes - overhead));
        assertEquals(bytes, message.getBytes(StandardCharsets.UTF_8).length);
        return message;
    }

    /** The payload string of {@link #paddedEcho(int)}. */
    public static String paddingOf(int bytes) {
        return "x".repeat(bytes - echo("1", "").getBytes(StandardCharsets.UTF_8).length);
    }

    private JsonNode assertMessage(Frame frame, String type) {
        assertEquals(TEXT, frame.opcode(), "a text message" + (type == null ? "" : " (" + type + ")") + ", got "
                + describe(frame) + transcript());
        JsonNode message = Contract.assertServerMessage(frame.text());
        if (type != null) {
            assertEquals(type, message.path("type").asText(), "message type; message: " + message + transcript());
        }
        return message;
    }

    // ---------------------------------------------------------------- rules and helpers

    /** RFC 6455 7.4: codes an endpoint may put in a close frame (1000-1003, 1007-1014, 3000-4999). */
    public static boolean isAllowedOnTheWire(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    private void assertUtf8(byte[] bytes, String what) {
        assertTrue(Utf8.isValid(bytes), what + " is valid UTF-8: " + HexFormat.of().formatHex(bytes) + transcript());
    }

    public static String describe(Frame frame) {
        String name = switch (frame.opcode()) {
        case TEXT -> "text";
        case CLOSE -> "close";
        case PING -> "ping";
        case PONG -> "pong";
        default -> "opcode " + frame.opcode();
        };
        byte[] payload = frame.payload();
        if (frame.opcode() == TEXT) {
            String text = frame.text();
            return name + " " + (text.length() > 160 ? text.substring(0, 160) + "...(" + payload.length + " bytes)" : text);
        }
        if (frame.opcode() == CLOSE && payload.length >= 2) {
            return name + " " + frame.closeCode() + " '" + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) + "'";
        }
        return name + " [" + payload.length + " bytes] " + preview(payload);
    }

    private static String preview(byte[] bytes) {
        String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 48));
        return bytes.length > 48 ? hex + "..." : hex;
    }

    /** Adds a line to the transcript (e.g. what a test is about to do). */
    public void note(String line) {
        transcript.add(line);
    }

    /** The connection's transcript (its last 60 lines), for failure messages. */
    public String transcript() {
        List<String> lines = new ArrayList<>();
        if (transcript.size() > 60) {
            lines.add("... " + (transcript.size() - 60) + " lines before");
        }
        lines.addAll(transcript.subList(Math.max(0, transcript.size() - 60), transcript.size()));
        return "\n  transcript (> sent, < received):\n    " + String.join("\n    ", lines);
    }

    private void setTimeout(long deadline) throws SocketException {
        long millis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        socket.setSoTimeout((int) Math.min(millis, Integer.MAX_VALUE));
    }

    public Socket socket() {
        return socket;
    }

    /** The time of the last write (System.nanoTime()). */
    public long lastWrite() {
        return lastWrite;
    }

    public static void pause(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }
}
