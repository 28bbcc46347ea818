package dev.realtime.ws.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Streaming UTF-8 validation (RFC 3629, the well-formed byte sequences of Unicode's table 3-7): bytes
 * may arrive in any number of pieces, split anywhere, and the first byte that cannot continue a
 * well-formed sequence is reported at once. Overlong forms, surrogates (U+D800..U+DFFF) and code
 * points above U+10FFFF are invalid. Runs of ASCII are skipped eight bytes at a time.
 */
final class Utf8Validator {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** Continuation bytes still expected by the sequence under way (0: between characters). */
    private int pending;
    /** The range the next continuation byte must fall in; narrower than 80..BF right after some lead bytes. */
    private int lower = 0x80;
    private int upper = 0xBF;

    /** @return false at the first byte that makes the text invalid (this validator is then spent) */
    boolean accept(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (pending == 0) {
                while (i + 8 <= end && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
            }
            if (!accept(bytes[i] & 0xFF)) {
                return false;
            }
            i++;
        }
        return true;
    }

    /** @return whether the text so far ends on a character boundary (a message or close reason may end here) */
    boolean complete() {
        return pending == 0;
    }

    /** Back to the start, for the next message. */
    void reset() {
        pending = 0;
        lower = 0x80;
        upper = 0xBF;
    }

    /** @return whether {@code bytes[offset, offset+length)} is, whole, valid UTF-8 */
    static boolean isValid(byte[] bytes, int offset, int length) {
        Utf8Validator validator = new Utf8Validator();
        return validator.accept(bytes, offset, length) && validator.complete();
    }

    private boolean accept(int b) {
        if (pending > 0) {
            if (b < lower || b > upper) {
                return false;
            }
            pending--;
            lower = 0x80;
            upper = 0xBF;
            return true;
        }
        if (b < 0x80) {
            return true;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            pending = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            pending = 2;
            if (b == 0xE0) {
                lower = 0xA0; // E0 80..9F would be overlong
            } else if (b == 0xED) {
                upper = 0x9F; // ED A0..BF would be a surrogate
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            pending = 3;
            if (b == 0xF0) {
                lower = 0x90; // F0 80..8F would be overlong
            } else if (b == 0xF4) {
                upper = 0x8F; // F4 90.. would be above U+10FFFF
            }
        } else {
            return false; // a stray continuation byte, C0/C1 (overlong), F5..FF
        }
        return true;
    }
}
