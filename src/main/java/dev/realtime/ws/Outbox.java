package dev.realtime.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.websocket.WsSession;

import dev.realtime.ws.protocol.TextFrame;
import dev.realtime.ws.protocol.Utf8Text;

/**
 * A session's bounded outbound queue, written to the socket by one writer at a time, in order.
 * <p>
 * A {@link #push} from another thread (a broadcast to 10,000 sessions, a back-end publish, the
 * backplane) only enqueues, and starts a short-lived virtual thread to write if none is writing:
 * no sender waits for a peer that does not read, and when the queue is full {@code push} says so
 * and the caller treats the peer as a slow consumer. A {@link #reply} comes from the session's own
 * connection thread, which writes it itself when nobody else is writing: no hand-off to another
 * thread per reply, and no writer thread kept per idle session.
 */
final class Outbox {
    /**
     * At most this much (or one larger message) leaves the queue at a time, the size of the engine's array for
     * combined writes: one write per batch, without letting a peer that does not read hold much more than its
     * queue's bound.
     */
    private static final int BATCH_BYTES = 8 * 1024;

    private final BlockingQueue<TextFrame> queue;
    private final WsSession socket;
    private final String name;
    private final Runnable onWriteFailure;
    /** Held by the one thread writing; whoever queues a message while it is free takes it. */
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile boolean started;
    private volatile boolean closed;

    Outbox(WsSession socket, int capacity, String name, Runnable onWriteFailure) {
        // Linked, not an array: a bound without allocating it up front (4 KiB per idle session with 1024).
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.socket = socket;
        this.name = name;
        this.onWriteFailure = onWriteFailure;
    }

    /** Writes what was queued so far on the calling thread (the connection's); until then messages are only queued. */
    void start() {
        started = true;
        writeHere();
    }

    /** @return false if the queue is full (or the outbox closed): the message is not sent */
    boolean push(TextFrame message) {
        if (!enqueue(message)) {
            return false;
        }
        if (claimWriting()) {
            Thread.ofVirtual().name("ws-out-" + name).start(this::writeQueued);
        }
        return true;
    }

    /**
     * As {@link #push}, but written by the calling thread if nobody is writing. Only for the session's own
     * connection thread: a peer that stops reading its replies then stops being read.
     */
    boolean reply(TextFrame message) {
        if (!enqueue(message)) {
            return false;
        }
        writeHere();
        return true;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Accepts nothing more and drops what is queued; a batch being written (at most {@link #BATCH_BYTES} or one
     * message) is finished, unless the close frame went out first (the engine writes no data frame after a close
     * frame, whoever sends it). The writer is never interrupted: interrupting
     * a virtual thread in a socket write closes the socket, which would cut off a frame (and a close
     * handshake) in progress. A writer stuck on a peer that does not read ends when the connection is cut.
     */
    void close() {
        closed = true;
        queue.clear();
    }

    private boolean enqueue(TextFrame message) {
        return !closed && queue.offer(message);
    }

    /** @return false if nothing was queued */
    private boolean takeBatch(List<TextFrame> batch) {
        int bytes = 0;
        TextFrame next;
        // Only the writer takes from the queue, so the message peeked at is the one polled (or the queue was cleared).
        while ((next = queue.peek()) != null && (batch.isEmpty() || bytes + next.length() <= BATCH_BYTES)) {
            TextFrame message = queue.poll();
            if (message == null) {
                break;
            }
            batch.add(message);
            bytes += message.length();
        }
        return !batch.isEmpty();
    }

    private void writeHere() {
        if (claimWriting()) {
            writeQueued();
        }
    }

    /** @return whether the caller became the writer (and must write what is queued) */
    private boolean claimWriting() {
        return started && writing.compareAndSet(false, true);
    }

    /**
     * Writes until the queue is empty; the caller holds {@link #writing}. What is queued is taken in batches of
     * up to {@link #BATCH_BYTES}, which the engine writes in as few system calls as it can.
     */
    private void writeQueued() {
        List<TextFrame> batch = new ArrayList<>();
        try {
            do {
                while (!closed && takeBatch(batch)) {
                    Utf8Text.send(socket, batch);
                    batch.clear();
                }
                writing.set(false);
                // A message queued after the last poll, while this thread still held the flag, is written here too.
            } while (!closed && !queue.isEmpty() && writing.compareAndSet(false, true));
        } catch (RuntimeException e) {
            // The flag stays held: nothing more is written to a connection that failed (it is being cut).
            if (!closed) {
                onWriteFailure.run();
            }
        }
    }
}
