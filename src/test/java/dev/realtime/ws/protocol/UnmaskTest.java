package dev.realtime.ws.protocol;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Eight bytes at a time gives what RFC 6455 5.3's byte-by-byte definition gives, at any offset, length and key phase. */
class UnmaskTest {
    @Test
    void unmaskingEqualsTheByteByByteDefinition() {
        Random random = new Random(6455);
        byte[] key = new byte[4];
        for (int round = 0; round < 2000; round++) {
            random.nextBytes(key);
            int length = random.nextInt(70);
            int offset = random.nextInt(9);
            int phase = random.nextInt(4);
            byte[] data = new byte[offset + length + 3];
            random.nextBytes(data);
            byte[] expected = data.clone();
            for (int i = 0; i < length; i++) {
                expected[offset + i] ^= key[(phase + i) & 3];
            }
            int mask = (key[0] & 0xFF) | (key[1] & 0xFF) << 8 | (key[2] & 0xFF) << 16 | (key[3] & 0xFF) << 24;
            FrameReader.unmask(data, offset, length, Integer.rotateRight(mask, 8 * phase));
            assertArrayEquals(expected, data, "round " + round);
        }
    }
}
