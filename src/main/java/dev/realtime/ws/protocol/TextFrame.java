package dev.realtime.ws.protocol;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A whole text message framed for the wire once (RFC 6455 5.2: server frames are unmasked, so a frame is
 * the same bytes for every peer): a broadcast to 10,000 sessions is serialized and framed one time, and each
 * session writes the same array. Built by writing the UTF-8 payload into a {@link Builder}, which leaves room
 * for the header in front, so the payload is never copied to put a header before it.
 */
public final class TextFrame {
    /** The longest header: 2 bytes, then a 64-bit length. */
    private static final int MAX_HEADER = 10;

    final byte[] bytes;
    final int offset;
    final int length;

    private TextFrame(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    /** @param expectedPayload roughly how many bytes will be written (a good guess saves copies; any value works) */
    public static Builder builder(int expectedPayload) {
        return new Builder(expectedPayload);
    }

    /** Its size on the wire, header included. */
    public int length() {
        return length;
    }

    /** The payload, for a session of another engine. */
    byte[] payload() {
        int header = bytes[offset + 1] == 126 ? 4 : bytes[offset + 1] == 127 ? 10 : 2;
        return Arrays.copyOfRange(bytes, offset + header, offset + length);
    }

    /** Collects a payload (valid UTF-8 is the writer's guarantee), then frames it in place. */
    public static final class Builder extends OutputStream {
        private byte[] buffer;
        private int position = MAX_HEADER;

        private Builder(int expectedPayload) {
            this.buffer = new byte[MAX_HEADER + Math.max(expectedPayload, 16)];
        }

        @Override
        public void write(int b) {
            ensure(1);
            buffer[position++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buffer, position, length);
            position += length;
        }

        /** The frame, header and payload in one array, ready to be written as it is. */
        public TextFrame build() {
            int payload = position - MAX_HEADER;
            int start = MAX_HEADER - Frames.headerLength(payload);
            Frames.writeHeader(buffer, start, FrameReader.TEXT, true, payload);
            return new TextFrame(buffer, start, position - start);
        }

        private void ensure(int more) {
            if (position + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(position + more, 2 * buffer.length));
            }
        }
    }
}
