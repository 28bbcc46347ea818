package dev.realtime.ws.protocol;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Arrays of one size, shared by all connections: a connection takes one when a message starts and gives it
 * back once the message is handed over, so reading a message allocates no buffer and an idle connection holds
 * none. A lock-free array of slots; when every slot is taken a new array is made, and one given back that
 * finds no free slot is left to the garbage collector.
 */
final class BufferPool {
    private final int size;
    private final AtomicReferenceArray<byte[]> free;
    private final int mask;

    /** @param slots rounded up to a power of two */
    BufferPool(int size, int slots) {
        this.size = size;
        int count = Integer.highestOneBit(Math.max(1, slots) * 2 - 1);
        this.free = new AtomicReferenceArray<>(count);
        this.mask = count - 1;
    }

    int size() {
        return size;
    }

    byte[] take() {
        int start = startSlot();
        for (int i = 0; i <= mask; i++) {
            byte[] buffer = free.getAndSet((start + i) & mask, null);
            if (buffer != null) {
                return buffer;
            }
        }
        return new byte[size];
    }

    /** Ignores an array of another size. */
    void giveBack(byte[] buffer) {
        if (buffer.length != size) {
            return;
        }
        int start = startSlot();
        for (int i = 0; i <= mask; i++) {
            if (free.compareAndSet((start + i) & mask, null, buffer)) {
                return;
            }
        }
    }

    /** Threads start their search in different slots, so that they rarely contend for one. */
    private int startSlot() {
        return (int) Thread.currentThread().threadId() & mask;
    }
}
