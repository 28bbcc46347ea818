package dev.realtime.ws.protocol;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming validator against the JDK's strict decoder, whole and split at every byte. */
class Utf8ValidatorTest {
    private static final String MIXED = "plain ASCII long enough for the 8-byte path, é € 𝄞 中文 \u007f\u0080\uffff \uD83D\uDE00 end";

    @Test
    void validTextIsAcceptedWholeAndSplitAtEveryByte() {
        byte[] bytes = MIXED.getBytes(StandardCharsets.UTF_8);
        assertTrue(Utf8Validator.isValid(bytes, 0, bytes.length));
        for (int split = 0; split <= bytes.length; split++) {
            Utf8Validator validator = new Utf8Validator();
            assertTrue(validator.accept(bytes, 0, split), "first part up to " + split);
            assertTrue(validator.accept(bytes, split, bytes.length - split), "rest from " + split);
            assertTrue(validator.complete(), "complete after split at " + split);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "80", "bf", "c0af", "c1bf", "e08080", "e09fbf", "f0808080", "f08fbfbf", // stray continuation, overlong
            "eda080", "edbfbf", // UTF-16 surrogates
            "f4908080", "f5808080", "fe", "ff", // above U+10FFFF, never-used bytes
            "c2", "e282", "f09d84", "c220", "e22082ac", // truncated, or interrupted by another character
    })
    void invalidSequencesAreRejectedAsTheJdkRejectsThem(String hex) {
        byte[] bytes = HexFormat.of().parseHex("41424344" + hex);
        Utf8Validator validator = new Utf8Validator();
        boolean valid = validator.accept(bytes, 0, bytes.length) && validator.complete();
        assertFalse(valid, hex);
        assertFalse(decodesStrictly(bytes), "the JDK agrees: " + hex);
    }

    @Test
    void theFirstInvalidByteIsReportedBeforeTheMessageEnds() {
        byte[] bytes = HexFormat.of().parseHex("41eda080");
        Utf8Validator validator = new Utf8Validator();
        assertTrue(validator.accept(bytes, 0, 2), "41 ED could still be valid");
        assertFalse(validator.accept(bytes, 2, 1), "ED A0 cannot");
    }

    @Test
    void everyCodePointBoundaryAgreesWithTheJdk() {
        for (int cp = 0; cp <= 0x10FFFF; cp += (cp < 0x800 ? 1 : 97)) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            assertTrue(Utf8Validator.isValid(bytes, 0, bytes.length), Integer.toHexString(cp));
        }
        assertEquals(4, new String(Character.toChars(0x10FFFF)).getBytes(StandardCharsets.UTF_8).length);
    }

    private static boolean decodesStrictly(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }
}
