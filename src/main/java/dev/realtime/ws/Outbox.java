package dev.realtime.ws;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import io.helidon.websocket.WsSession;

/**
 * A session's bounded outbound queue and the one virtual thread that writes it to the socket.
 * Whoever sends (the session's own replies, a broadcast to 10,000 sessions, a back-end push)
 * only enqueues, so a peer that does not read blocks nobody but its own writer; when its queue
 * is full, {@link #offer} says so and the caller treats the peer as a slow consumer.
 */
final class Outbox {
    private final BlockingQueue<String> queue;
    private final WsSession socket;
    private final String name;
    private final Runnable onWriteFailure;
    private volatile Thread writer;
    private volatile boolean closed;

    Outbox(WsSession socket, int capacity, String name, Runnable onWriteFailure) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.socket = socket;
        this.name = name;
        this.onWriteFailure = onWriteFailure;
    }

    /** Starts the writer; until then messages are only queued. */
    void start() {
        writer = Thread.ofVirtual().name("ws-out-" + name).start(this::drain);
        if (closed) {
            close(); // closed while it started: close() may not have seen the writer
        }
    }

    /** @return false if the queue is full (or the outbox closed): the message is not sent */
    boolean offer(String text) {
        return !closed && queue.offer(text);
    }

    /** Accepts nothing more and drops what is queued; a frame being written is finished. */
    void abandon() {
        closed = true;
        queue.clear();
    }

    /** As {@link #abandon()}, and stops the writer (a write in progress is cut off with the connection). */
    void close() {
        abandon();
        Thread running = writer;
        if (running != null) {
            running.interrupt();
        }
    }

    private void drain() {
        try {
            while (!closed) {
                String text = queue.take();
                if (!closed) {
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
