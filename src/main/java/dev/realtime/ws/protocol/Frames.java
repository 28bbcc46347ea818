package dev.realtime.ws.protocol;

/** Server frames (RFC 6455 5.2): never masked, the header and the payload in one array, written in one go. */
final class Frames {
    private Frames() {
    }

    static byte[] encode(int opcode, boolean fin, byte[] payload) {
        int header = headerLength(payload.length);
        byte[] frame = new byte[header + payload.length];
        writeHeader(frame, 0, opcode, fin, payload.length);
        System.arraycopy(payload, 0, frame, header, payload.length);
        return frame;
    }

    /** 2 bytes, plus 2 for a 16-bit length or 8 for a 64-bit one: always the shortest form. */
    static int headerLength(int payloadLength) {
        return payloadLength < 126 ? 2 : payloadLength < 65536 ? 4 : 10;
    }

    /** Writes the {@link #headerLength} bytes of a header at {@code frame[at]}. */
    static void writeHeader(byte[] frame, int at, int opcode, boolean fin, int payloadLength) {
        frame[at] = (byte) ((fin ? 0x80 : 0) | opcode);
        int header = headerLength(payloadLength);
        if (header == 2) {
            frame[at + 1] = (byte) payloadLength;
        } else if (header == 4) {
            frame[at + 1] = 126;
            frame[at + 2] = (byte) (payloadLength >>> 8);
            frame[at + 3] = (byte) payloadLength;
        } else {
            frame[at + 1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[at + 2 + i] = (byte) ((long) payloadLength >>> (56 - 8 * i));
            }
        }
    }
}
