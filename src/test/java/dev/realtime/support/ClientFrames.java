package dev.realtime.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Client frames as RFC 6455 5.2 lays them out, byte by byte, including every way to get them
 * wrong: any opcode, FIN clear on anything, RSV bits, no mask, a length field that says something
 * else than the payload (or that is not the shortest encoding), only the header.
 * <pre>{@code
 * byte[] frame = ClientFrames.frame(ClientFrames.TEXT).fin(false).payload("{\"ty").bytes();
 * byte[] header = ClientFrames.frame(ClientFrames.TEXT).declaredLength(65_537).header();
 * }</pre>
 */
public final class ClientFrames {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    public static final int RSV1 = 0x4;
    public static final int RSV2 = 0x2;
    public static final int RSV3 = 0x1;

    /** A mask key with all bits mixed, so an unmasked or wrongly unmasked payload shows. */
    private static final byte[] DEFAULT_MASK = {(byte) 0x37, (byte) 0xFA, (byte) 0x21, (byte) 0x3D};

    private ClientFrames() {
    }

    public static Frame frame(int opcode) {
        return new Frame(opcode);
    }

    /** One final, masked text frame. */
    public static byte[] text(String text) {
        return frame(TEXT).payload(text).bytes();
    }

    public static byte[] text(byte[] payload) {
        return frame(TEXT).payload(payload).bytes();
    }

    public static byte[] binary(byte[] payload) {
        return frame(BINARY).payload(payload).bytes();
    }

    public static byte[] ping(byte[] payload) {
        return frame(PING).payload(payload).bytes();
    }

    public static byte[] pong(byte[] payload) {
        return frame(PONG).payload(payload).bytes();
    }

    /** A fragment: {@code opcode} is TEXT/BINARY for the first, CONTINUATION for the others. */
    public static byte[] fragment(int opcode, byte[] payload, boolean fin) {
        return frame(opcode).fin(fin).payload(payload).bytes();
    }

    /** A close frame with a status code and no reason. */
    public static byte[] close(int code) {
        return frame(CLOSE).payload(closePayload(code, new byte[0])).bytes();
    }

    public static byte[] close(int code, String reason) {
        return frame(CLOSE).payload(closePayload(code, reason.getBytes(StandardCharsets.UTF_8))).bytes();
    }

    /** A close frame with no payload at all (no status code). */
    public static byte[] closeEmpty() {
        return frame(CLOSE).bytes();
    }

    /** A close payload: the code in two bytes, big-endian, then the reason bytes as given. */
    public static byte[] closePayload(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return payload;
    }

    public static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** A frame under construction; defaults: FIN set, no RSV bit, masked, empty payload, shortest length encoding. */
    public static final class Frame {
        private final int opcode;
        private boolean fin = true;
        private int rsv;
        private byte[] mask = DEFAULT_MASK;
        private byte[] payload = new byte[0];
        private Long declaredLength;
        /** 7, 16 or 64 bits for the length, or 0 for the shortest one that holds it (RFC 6455 5.2 asks for the shortest). */
        private int lengthBits;

        private Frame(int opcode) {
            if (opcode < 0 || opcode > 0xF) {
                throw new IllegalArgumentException("opcode " + opcode);
            }
            this.opcode = opcode;
        }

        public Frame fin(boolean fin) {
            this.fin = fin;
            return this;
        }

        /** The RSV bits: any of {@link #RSV1}, {@link #RSV2}, {@link #RSV3} or'ed together. */
        public Frame rsv(int bits) {
            this.rsv = bits & 0x7;
            return this;
        }

        public Frame payload(byte[] payload) {
            this.payload = payload.clone();
            return this;
        }

        public Frame payload(String text) {
            return payload(text.getBytes(StandardCharsets.UTF_8));
        }

        public Frame unmasked() {
            this.mask = null;
            return this;
        }

        public Frame mask(byte[] key) {
            if (key.length != 4) {
                throw new IllegalArgumentException("a masking key has 4 bytes");
            }
            this.mask = key.clone();
            return this;
        }

        /**
         * The length the header announces, whatever the payload is (e.g. the header of a frame whose
         * payload is never sent). Taken as the raw 64 bits: a negative value sets the most significant bit.
         */
        public Frame declaredLength(long length) {
            this.declaredLength = length;
            return this;
        }

        /** Encodes the length in 16 bits (the 126 marker), even if it would fit in 7. */
        public Frame length16() {
            this.lengthBits = 16;
            return this;
        }

        /** Encodes the length in 64 bits (the 127 marker), even if it would fit in fewer. */
        public Frame length64() {
            this.lengthBits = 64;
            return this;
        }

        public int opcode() {
            return opcode;
        }

        public boolean isFin() {
            return fin;
        }

        public int rsvBits() {
            return rsv;
        }

        public boolean isMasked() {
            return mask != null;
        }

        /** The length the header announces (the payload's, unless {@link #declaredLength} set another). */
        public long announcedLength() {
            return declaredLength != null ? declaredLength : payload.length;
        }

        public byte[] payload() {
            return payload.clone();
        }

        /** The header alone: first byte, length, masking key. */
        public byte[] header() {
            long length = declaredLength != null ? declaredLength : payload.length;
            int bits = lengthBits;
            if (bits == 0) {
                bits = length >= 0 && length <= 125 ? 7 : length >= 0 && length <= 0xFFFF ? 16 : 64;
            }
            var out = new ByteArrayOutputStream();
            out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
            int maskBit = mask == null ? 0 : 0x80;
            switch (bits) {
            case 7 -> {
                if (length < 0 || length > 125) {
                    throw new IllegalArgumentException("length " + length + " does not fit in 7 bits");
                }
                out.write(maskBit | (int) length);
            }
            case 16 -> {
                if (length < 0 || length > 0xFFFF) {
                    throw new IllegalArgumentException("length " + length + " does not fit in 16 bits");
                }
                out.write(maskBit | 126);
                out.write((int) (length >>> 8) & 0xFF);
                out.write((int) length & 0xFF);
            }
            default -> {
                out.write(maskBit | 127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) (length >>> shift) & 0xFF);
                }
            }
            }
            if (mask != null) {
                out.writeBytes(mask);
            }
            return out.toByteArray();
        }

        /** The payload as it goes on the wire (masked with the key, if any). */
        public byte[] maskedPayload() {
            byte[] wire = Arrays.copyOf(payload, payload.length);
            if (mask != null) {
                for (int i = 0; i < wire.length; i++) {
                    wire[i] ^= mask[i & 3];
                }
            }
            return wire;
        }

        /** Header and (masked) payload. */
        public byte[] bytes() {
            return concat(header(), maskedPayload());
        }
    }
}
