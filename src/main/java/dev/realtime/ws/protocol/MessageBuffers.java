package dev.realtime.ws.protocol;

/**
 * Where incoming messages are assembled: small ones in pooled 8 KiB arrays, larger ones (up to the message
 * limit) in pooled arrays of the limit's size, so that a stream of 64 KiB messages does not allocate 64 KiB
 * per message for the garbage collector to clear. Above {@link #MAX_POOLED} the limit is too large to keep
 * arrays of its size around: such messages get arrays of their own size.
 */
final class MessageBuffers {
    static final int SMALL = 8 * 1024;
    private static final int MAX_POOLED = 1024 * 1024;
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final int maxMessageBytes;
    private final BufferPool small;
    private final BufferPool large;

    MessageBuffers(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
        this.small = new BufferPool(Math.min(SMALL, maxMessageBytes), 8 * CORES);
        this.large = maxMessageBytes > SMALL && maxMessageBytes <= MAX_POOLED ? new BufferPool(maxMessageBytes, 2 * CORES) : null;
    }

    /** An array of at least {@code size} bytes holding {@code current}'s first {@code used} bytes ({@code current} may be null). */
    byte[] reserve(byte[] current, int used, int size) {
        if (current != null && current.length >= size) {
            return current;
        }
        byte[] larger;
        if (current == null && size <= small.size()) {
            larger = small.take();
        } else if (large != null) {
            larger = large.take();
        } else {
            int grown = current == null ? size : Math.max(size, 2 * current.length);
            larger = new byte[Math.min(grown, maxMessageBytes)];
        }
        if (current != null) {
            System.arraycopy(current, 0, larger, 0, used);
            giveBack(current);
        }
        return larger;
    }

    /** A pooled array of {@link #smallSize()} bytes, to be given back: where small outgoing frames are combined. */
    byte[] takeSmall() {
        return small.take();
    }

    int smallSize() {
        return small.size();
    }

    void giveBack(byte[] buffer) {
        small.giveBack(buffer);
        if (large != null) {
            large.giveBack(buffer);
        }
    }
}
