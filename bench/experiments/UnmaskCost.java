import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.helidon.common.buffers.BufferData;

/**
 * What unmasking a 64 KiB client frame costs in a Helidon {@link BufferData}, one byte at a time
 * through read()/write(int) (what the profile of realtime-service shows Helidon 4.5 doing) versus one
 * bulk read into a byte[] and an XOR eight bytes at a time. Uses only Helidon's public buffer API.
 * Alternating rounds after two warm-up rounds; prints the median and the range of the measured rounds.
 *
 *   taskset -c 0 java -cp 'target/libs/*' bench/experiments/UnmaskCost.java [payload bytes] [seconds per round]
 */
public class UnmaskCost {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int ROUNDS = 7; // the first two warm up the JIT

    public static void main(String[] args) {
        int length = args.length > 0 ? Integer.parseInt(args[0]) : 65_488;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1;
        byte[] wire = new byte[length];
        for (int i = 0; i < length; i++) {
            wire[i] = (byte) ('x' ^ (i * 31));
        }
        int[] mask = {0x12, 0x34, 0x56, 0x78};
        byte[] a = new byte[length];
        byte[] b = new byte[length];
        byteByByte(payload(wire), mask).read(a);
        bulk(payload(wire), mask).read(b);
        if (!Arrays.equals(a, b)) {
            throw new IllegalStateException("the two variants disagree");
        }
        String[] variants = {"byte-by-byte", "bulk"};
        double[][] nsPerByte = new double[2][ROUNDS - 2];
        long sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (int v = 0; v < 2; v++) {
                long deadline = System.nanoTime() + (long) (seconds * 1e9);
                long n = 0;
                long start = System.nanoTime();
                while (System.nanoTime() < deadline) {
                    BufferData frame = payload(wire);
                    BufferData out = v == 1 ? bulk(frame, mask) : byteByByte(frame, mask);
                    sink += out.available();
                    n++;
                }
                if (round >= 2) {
                    nsPerByte[v][round - 2] = (System.nanoTime() - start) / (n * (double) length);
                }
            }
        }
        for (int v = 0; v < 2; v++) {
            double[] r = nsPerByte[v].clone();
            Arrays.sort(r);
            double median = r[r.length / 2];
            System.out.printf("%-13s %6.3f ns/byte median (%.3f–%.3f over %d rounds)  ~%,.0f frames/s of %d bytes%n",
                              variants[v], median, r[0], r[r.length - 1], r.length, 1e9 / (median * length), length);
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
        long mask8 = 0;
        for (int k = 0; k < 8; k++) {
            mask8 |= (mask[k & 3] & 0xFFL) << (8 * k);
        }
        int i = 0;
        for (; i + 8 <= bytes.length; i += 8) {
            LONGS.set(bytes, i, (long) LONGS.get(bytes, i) ^ mask8);
        }
        for (; i < bytes.length; i++) {
            bytes[i] ^= (byte) mask[i & 3];
        }
        return BufferData.create(bytes);
    }
}
