package dev.realtime.support;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing above U+10FFFF), for test oracles. */
public final class Utf8 {
    private Utf8() {
    }

    /** Whole, valid UTF-8 (the JDK's strict decoder). */
    public static boolean isValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Valid UTF-8, or the start of some: true if more bytes could still make it valid (it may end in
     * an unfinished character), false once a byte makes that impossible. Written from RFC 3629's table
     * (section 4), the way a streaming validator must decide at each byte.
     */
    public static boolean isValidPrefix(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b < 0x80) {
                i++;
                continue;
            } else if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
            } else if (b == 0xE0) {
                need = 2;
                lo = 0xA0;
            } else if (b >= 0xE1 && b <= 0xEC || b == 0xEE || b == 0xEF) {
                need = 2;
            } else if (b == 0xED) {
                need = 2;
                hi = 0x9F;
            } else if (b == 0xF0) {
                need = 3;
                lo = 0x90;
            } else if (b >= 0xF1 && b <= 0xF3) {
                need = 3;
            } else if (b == 0xF4) {
                need = 3;
                hi = 0x8F;
            } else {
                return false;
            }
            for (int k = 1; k <= need; k++) {
                if (i + k >= bytes.length) {
                    return true;
                }
                int c = bytes[i + k] & 0xFF;
                if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
    }
}
