package dev.realtime.support;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Reads what the server writes to a raw peer ({@link RawHttp#silentWebSocket}), frame by frame. */
public final class ServerFrames {
    public static final int TEXT = 0x1;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;

    private ServerFrames() {
    }

    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        public int closeCode() {
            assertEquals(CLOSE, opcode, "a close frame");
            assertTrue(payload.length >= 2, "a close frame with a code");
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    /** One server frame (RFC 6455: unmasked; the server sends every message as one frame). */
    public static Frame read(DataInputStream in) throws IOException {
        int first = in.readUnsignedByte();
        assertEquals(0x80, first & 0x80, "a final frame (FIN set)");
        int second = in.readUnsignedByte();
        assertEquals(0, second & 0x80, "server frames are not masked");
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        try {
            in.readFully(payload);
        } catch (EOFException e) {
            return fail("the connection ended in the middle of a frame", e);
        }
        return new Frame(first & 0x0F, payload);
    }

    /** After its close frame the server cuts the connection: the peer reads end of stream (or a reset). */
    public static void assertHangsUp(InputStream in) {
        try {
            assertEquals(-1, in.read(), "no data may follow the close frame");
        } catch (SocketException e) {
            // connection reset: cut off, as expected
        } catch (IOException e) {
            fail("the server did not hang up after its close frame: " + e);
        }
    }
}
