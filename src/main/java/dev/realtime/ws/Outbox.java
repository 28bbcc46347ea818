package dev.realtime.ws;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import io.helidon.websocket.WsSession;

/**
 * A session's bounded outbound queue and the one virtual thread that writes it to the socket.
 * Whoever sends (the session's own replies, a broadcast to 10,000 sessions, a back-end push)
 * only enqueues, so a peer that does not read blocks nobody but its own writer; when its queue
 * is full, {@link #offer} says so and the caller treats the peer as a slow consumer.
 */
final class Outbox {
    /** Wakes a writer waiting for work so that it sees the outbox closed (compared by identity). */
    private static final String STOP = new String("stop");

    private final BlockingQueue<String> queue;
    private final WsSession socket;
    private final String name;
    private final Runnable onWriteFailure;
    private volatile boolean closed;

    Outbox(WsSession socket, int capacity, String name, Runnable onWriteFailure) {
        // Linked, not an array: a bound without allocating it up front (4 KiB per idle session with 1024).
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.socket = socket;
        this.name = name;
        this.onWriteFailure = onWriteFailure;
    }

    /** Starts the writer; until then messages are only queued. */
    void start() {
        Thread.ofVirtual().name("ws-out-" + name).start(this::drain);
    }

    /** @return false if the queue is full (or the outbox closed): the message is not sent */
    boolean offer(String text) {
        return !closed && queue.offer(text);
    }

    boolean isClosed() {
        return closed;
    }

    /** Accepts nothing more and drops what is queued; a frame being written is finished. */
    void abandon() {
        closed = true;
        queue.clear();
    }

    /**
     * As {@link #abandon()}, and lets the writer end. It is woken, never interrupted: interrupting a
     * virtual thread in a socket write closes the socket, which would cut off a frame (and a close
     * handshake) in progress. A writer stuck on a peer that does not read ends when the connection is cut.
     */
    void close() {
        abandon();
        queue.offer(STOP);
    }

    private void drain() {
        try {
            while (!closed) {
                String text = queue.take();
                if (!closed && text != STOP) {
                    socket.send(text, true);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed) {
                onWriteFailure.run();
            }
        }
    }
}
