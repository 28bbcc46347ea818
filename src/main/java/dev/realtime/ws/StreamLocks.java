package dev.realtime.ws;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per stream (striped, so the number of locks stays fixed however many streams there are).
 * A message's offset is taken and the message queued on every target session under its stream's lock, so
 * that each session gets a stream's messages in offset order, and a session joins under the same lock, so
 * that the positions its welcome gives and the messages it is sent next meet without a gap or an overlap.
 */
final class StreamLocks {
    private static final int STRIPES = 64;

    /** Held until closed. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    StreamLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Locks the streams' stripes, always in the same order (so two callers cannot deadlock), and returns the unlocker. */
    Held lock(String... streams) {
        if (streams.length == 1) { // every publication and delivery: no sorting, no arrays
            ReentrantLock only = stripes[stripe(streams[0])];
            only.lock();
            return only::unlock;
        }
        int[] taken = Arrays.stream(streams).mapToInt(StreamLocks::stripe).distinct().sorted().toArray();
        for (int stripe : taken) {
            stripes[stripe].lock();
        }
        return () -> {
            for (int i = taken.length - 1; i >= 0; i--) {
                stripes[taken[i]].unlock();
            }
        };
    }

    private static int stripe(String stream) {
        return Math.floorMod(stream.hashCode(), STRIPES);
    }
}
