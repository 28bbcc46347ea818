package dev.realtime.ws.protocol;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Buffers for small incoming messages, shared by all connections: a connection takes one when a message
 * starts and gives it back once the message is handed over, so reading a small message allocates no
 * buffer and an idle connection holds none. A lock-free array of slots; when every slot is taken a new
 * buffer is made, and a returned buffer that finds no free slot is left to the garbage collector.
 */
final class ScratchBuffers {
    /** Messages up to this size are read into a shared buffer; larger ones get an array of their own. */
    static final int SIZE = 8 * 1024;
    private static final int SLOTS = Integer.highestOneBit(Math.max(4, Runtime.getRuntime().availableProcessors()) * 8);

    private static final AtomicReferenceArray<byte[]> FREE = new AtomicReferenceArray<>(SLOTS);

    private ScratchBuffers() {
    }

    static byte[] take() {
        int start = startSlot();
        for (int i = 0; i < SLOTS; i++) {
            byte[] buffer = FREE.getAndSet((start + i) & (SLOTS - 1), null);
            if (buffer != null) {
                return buffer;
            }
        }
        return new byte[SIZE];
    }

    static void giveBack(byte[] buffer) {
        if (buffer.length != SIZE) {
            return;
        }
        int start = startSlot();
        for (int i = 0; i < SLOTS; i++) {
            if (FREE.compareAndSet((start + i) & (SLOTS - 1), null, buffer)) {
                return;
            }
        }
    }

    /** Threads start their search in different slots, so that they rarely contend for one. */
    private static int startSlot() {
        return (int) Thread.currentThread().threadId() & (SLOTS - 1);
    }
}
