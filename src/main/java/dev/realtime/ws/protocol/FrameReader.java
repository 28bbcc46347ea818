package dev.realtime.ws.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import io.helidon.common.buffers.DataReader;

import static dev.realtime.ws.protocol.ProtocolViolation.protocolError;

/**
 * Reads client frames (RFC 6455 section 5.2) from the connection's {@link DataReader}: one header at a
 * time, checked against every framing rule that can be checked from the header alone, then its payload
 * in pieces as the bytes arrive, unmasked eight bytes at a time.
 */
final class FrameReader {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    /** RFC 6455 5.5: all control frames have a payload of 125 bytes or less. */
    static final int MAX_CONTROL_PAYLOAD = 125;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final DataReader in;
    /** Run before a read that would wait for the network: the connection writes what it has held back. */
    private final Runnable beforeWaiting;
    private boolean fin;
    private int opcode;
    /** Payload bytes of the current frame not read yet. */
    private long remaining;
    /** The masking key, its first byte in the lowest bits (the order the long view reads bytes in). */
    private int mask;
    /** Payload bytes of the current frame read so far, modulo 4: where in the masking key the next byte starts. */
    private int maskPhase;

    FrameReader(DataReader in, Runnable beforeWaiting) {
        this.in = in;
        this.beforeWaiting = beforeWaiting;
    }

    /** Reads the next frame's header, blocking until it is all there. */
    void next() throws ProtocolViolation {
        int first = readByte();
        int second = readByte();
        if ((first & 0x70) != 0) {
            throw protocolError("RSV bits set, but no extension was negotiated");
        }
        fin = (first & 0x80) != 0;
        opcode = first & 0x0F;
        if (!isKnown(opcode)) {
            throw protocolError("Reserved opcode " + opcode);
        }
        if ((second & 0x80) == 0) {
            throw protocolError("Client frames must be masked");
        }
        long length = second & 0x7F;
        if (isControl()) {
            if (!fin) {
                throw protocolError("Fragmented control frame");
            }
            if (length > MAX_CONTROL_PAYLOAD) {
                throw protocolError("Control frame payload over 125 bytes");
            }
        }
        if (length == 126) {
            length = (readByte()) << 8 | (readByte());
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | (readByte());
            }
            if (length < 0) {
                throw protocolError("Payload length over 2^63-1");
            }
        }
        mask = (readByte()) | (readByte()) << 8 | (readByte()) << 16 | (readByte()) << 24;
        remaining = length;
        maskPhase = 0;
    }

    boolean fin() {
        return fin;
    }

    int opcode() {
        return opcode;
    }

    boolean isControl() {
        return opcode >= CLOSE;
    }

    /** Payload bytes of the current frame still to read. */
    long remaining() {
        return remaining;
    }

    /**
     * Reads, unmasked, as much of the current frame's payload as has arrived (at least one byte, blocking
     * until it has), at most {@code max} bytes.
     *
     * @return the number of bytes read into {@code target} from {@code offset}
     */
    int readSome(byte[] target, int offset, int max) {
        int wanted = (int) Math.min(max, remaining);
        if (wanted == 0) {
            return 0;
        }
        waitForData();
        int count = Math.min(wanted, in.available());
        in.readBuffer(count).read(target, offset, count);
        unmask(target, offset, count, Integer.rotateRight(mask, 8 * maskPhase));
        remaining -= count;
        maskPhase = (maskPhase + count) & 3;
        return count;
    }

    /** The whole payload of the current (control) frame, unmasked. */
    byte[] readPayload() {
        byte[] payload = new byte[(int) remaining];
        int read = 0;
        while (read < payload.length) {
            read += readSome(payload, read, payload.length - read);
        }
        return payload;
    }

    private int readByte() {
        waitForData();
        return in.read() & 0xFF;
    }

    private void waitForData() {
        if (in.available() == 0) {
            beforeWaiting.run();
            in.ensureAvailable();
        }
    }

    /**
     * XORs {@code bytes[offset, offset+length)} with the masking key, eight bytes at a time, then byte by byte.
     *
     * @param mask the key as it applies to {@code bytes[offset]}: its first byte in the lowest bits
     */
    static void unmask(byte[] bytes, int offset, int length, int mask) {
        long mask64 = (mask & 0xFFFF_FFFFL) | ((long) mask << 32);
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            LONGS.set(bytes, i, (long) LONGS.get(bytes, i) ^ mask64);
        }
        // eight bytes are two whole keys, so the key is still aligned with bytes[i] here
        for (int key = mask; i < end; i++) {
            bytes[i] ^= (byte) key;
            key = Integer.rotateRight(key, 8);
        }
    }

    private static boolean isKnown(int opcode) {
        return opcode <= BINARY || (opcode >= CLOSE && opcode <= PONG);
    }
}
