import java.util.ArrayList;
import java.util.List;

import io.helidon.common.buffers.BufferData;

/**
 * What unmasking a 64 KiB client frame costs in a Helidon {@link BufferData}, one byte at a time
 * through read()/write(int) (what the profile of realtime-service shows Helidon 4.5 doing) versus one
 * bulk read into a byte[] and an XOR over the array. Uses only Helidon's public buffer API.
 *
 *   taskset -c 0 java -cp 'target/libs/*' bench/experiments/UnmaskCost.java [payload bytes] [seconds per variant]
 */
public class UnmaskCost {
    public static void main(String[] args) {
        int length = args.length > 0 ? Integer.parseInt(args[0]) : 65_488;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        byte[] wire = new byte[length];
        for (int i = 0; i < length; i++) {
            wire[i] = (byte) ('x' ^ (i * 31));
        }
        int[] mask = {0x12, 0x34, 0x56, 0x78};
        long sink = 0;
        for (int round = 0; round < 2; round++) { // round 0 warms up the JIT
            for (String variant : new String[] {"byte-by-byte", "bulk"}) {
                long deadline = System.nanoTime() + (long) (seconds * 1e9);
                long n = 0;
                long start = System.nanoTime();
                while (System.nanoTime() < deadline) {
                    BufferData frame = payload(wire);
                    BufferData out = variant.equals("bulk") ? bulk(frame, mask) : byteByByte(frame, mask);
                    sink += out.available();
                    n++;
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (round == 1) {
                    System.out.printf("%-13s %7.3f ns/byte  %8.1f MiB/s  %9.0f frames/s of %d bytes%n", variant,
                                      elapsed * 1e9 / (n * (double) length), n * (double) length / elapsed / (1 << 20),
                                      n / elapsed, length);
                }
            }
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    /** The payload as the server sees it: read-only slices of socket reads (16 KiB here) in a composite. */
    static BufferData payload(byte[] wire) {
        List<BufferData> parts = new ArrayList<>();
        for (int from = 0; from < wire.length; from += 16_384) {
            parts.add(BufferData.createReadOnly(wire, from, Math.min(16_384, wire.length - from)));
        }
        return BufferData.create(parts);
    }

    static BufferData byteByByte(BufferData data, int[] mask) {
        int length = data.available();
        BufferData out = BufferData.create(length);
        for (int i = 0; i < length; i++) {
            out.write(data.read() ^ mask[i % 4]);
        }
        return out;
    }

    static BufferData bulk(BufferData data, int[] mask) {
        byte[] bytes = new byte[data.available()];
        data.read(bytes);
        byte[] m = {(byte) mask[0], (byte) mask[1], (byte) mask[2], (byte) mask[3]};
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] ^= m[i & 3];
        }
        return BufferData.create(bytes);
    }
}
