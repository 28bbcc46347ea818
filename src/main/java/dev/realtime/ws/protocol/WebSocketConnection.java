package dev.realtime.ws.protocol;

import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.SocketContext;
import io.helidon.common.socket.SocketWriterException;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsUpgrader;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import static dev.realtime.ws.protocol.FrameReader.BINARY;
import static dev.realtime.ws.protocol.FrameReader.CLOSE;
import static dev.realtime.ws.protocol.FrameReader.CONTINUATION;
import static dev.realtime.ws.protocol.FrameReader.PING;
import static dev.realtime.ws.protocol.FrameReader.PONG;
import static dev.realtime.ws.protocol.FrameReader.TEXT;
import static dev.realtime.ws.protocol.ProtocolViolation.invalidText;
import static dev.realtime.ws.protocol.ProtocolViolation.protocolError;
import static dev.realtime.ws.protocol.ProtocolViolation.tooBig;

/**
 * One upgraded connection: reads the client's frames on the connection's own thread, hands whole
 * messages to the {@link WsListener}, and is the {@link WsSession} the application writes through
 * (from any thread; one frame at a time).
 * <p>
 * Closing: whoever closes first, the close frame is the last frame written. A peer's close is answered
 * with its own code and the connection ends. A close the server starts waits up to {@link #CLOSE_TIMEOUT}
 * for the peer's answer (frames that arrive meanwhile are read but not delivered). A protocol violation
 * is answered with its close code, then the input is drained for at most {@link #LINGER} so that unread
 * bytes do not turn the TCP close into a reset that could destroy the close frame before the peer reads
 * it. However the connection ends, the listener hears {@code onClose} exactly once, with the peer's
 * close code, or 1006 if there was none.
 */
final class WebSocketConnection implements ServerConnection, WsSession {
    private static final System.Logger LOG = System.getLogger(WebSocketConnection.class.getName());
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LINGER = Duration.ofMillis(500);
    private static final ScheduledThreadPoolExecutor TIMER = timer();
    private static final int NO_MESSAGE = -1;
    /** Frames up to this size may be held back for a combined write; larger ones gain nothing from it. */
    private static final int HOLD_BACK_MAX = 4 * 1024;

    private final ConnectionContext ctx;
    private final HttpPrologue prologue;
    private final Headers upgradeHeaders;
    private final WsListener listener;
    private final int maxMessageBytes;
    private final MessageBuffers buffers;
    private final DataReader input;
    private final FrameReader frames;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile long lastActivity = System.nanoTime();
    private volatile Thread readerThread;
    private volatile ScheduledFuture<?> cutOff;
    /** Guarded by {@link #writeLock}: the application is in the middle of sending a fragmented message. */
    private boolean sendingFragments;
    /**
     * Guarded by {@link #writeLock}: frames the reader thread wrote while more input was already here, sent in one
     * write before it waits for the network (or before anyone else writes): a client that pipelines N messages
     * gets its N answers in one TCP write instead of N.
     */
    private byte[] heldBack;
    private volatile int heldBackLength;

    // The message being received; only the reader thread touches these.
    private int messageOpcode = NO_MESSAGE;
    private byte[] message;
    private int messageLength;
    private final Utf8Validator utf8 = new Utf8Validator();

    WebSocketConnection(ConnectionContext ctx, HttpPrologue prologue, Headers upgradeHeaders, WsListener listener,
                        int maxMessageBytes, MessageBuffers buffers) {
        this.ctx = ctx;
        this.prologue = prologue;
        this.upgradeHeaders = upgradeHeaders;
        this.listener = listener;
        this.maxMessageBytes = maxMessageBytes;
        this.buffers = buffers;
        this.input = ctx.dataReader();
        this.frames = new FrameReader(input, this::flushHeldBack);
    }

    // ---- ServerConnection: driven by Helidon's connection thread

    /**
     * Serves the connection until it ends. Throws nothing: anything escaping here would make Helidon
     * write an HTTP error response into the upgraded stream. Messages are not counted against
     * {@code limit}, Helidon's limit of concurrent HTTP requests: the handshake was, and a connection's
     * messages are handled one at a time on its own thread.
     */
    @Override
    public void handle(Limit limit) {
        readerThread = Thread.currentThread();
        CloseFrames.PeerClose peerClose = null;
        try {
            open();
            peerClose = readUntilClose();
            if (closeSent.compareAndSet(false, true)) {
                writeFrame(CLOSE, true, CloseFrames.answer(peerClose));
            }
        } catch (ProtocolViolation violation) {
            failConnection(violation.closeCode(), violation.reason());
        } catch (ListenerFailure failure) {
            try {
                listener.onError(this, failure.getCause());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "WsListener.onError failed", e);
            }
            failConnection(WsCloseCodes.UNEXPECTED_CONDITION, "Internal server error");
        } catch (DataReader.InsufficientDataAvailableException | UncheckedIOException | ServerConnectionException
                 | SocketWriterException e) {
            // the peer went away (end of stream, reset), or the connection was cut (close timeout, idle, stop)
            LOG.log(Level.DEBUG, "WebSocket connection ended: {0}", e.toString());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "WebSocket connection failed", e);
            failConnection(WsCloseCodes.UNEXPECTED_CONDITION, "Internal server error");
        } finally {
            ScheduledFuture<?> timer = cutOff;
            if (timer != null) {
                timer.cancel(false);
            }
            end(peerClose);
        }
    }

    @Override
    public Duration idleTime() {
        return Duration.ofNanos(System.nanoTime() - lastActivity);
    }

    /**
     * Helidon's idle timeout ({@code interrupt = false}) or server stop: a close frame (1001), sent off the
     * caller's thread, since Helidon's idle timer serves every connection and a peer may not be reading.
     */
    @Override
    public void close(boolean interrupt) {
        if (interrupt) {
            Thread reader = readerThread;
            if (reader != null) {
                reader.interrupt();
            }
            return;
        }
        if (!closeSent.get()) {
            Thread.ofVirtual().name("ws-idle-close").start(() -> close(WsCloseCodes.GOING_AWAY, "Idle timeout"));
        }
    }

    // ---- WsSession: called by the application, from any thread

    @Override
    public WsSession send(String text, boolean last) {
        return sendData(TEXT, text.getBytes(StandardCharsets.UTF_8), last);
    }

    /**
     * A whole text message, framed already ({@link Utf8Text#send}). On the reader thread, while more input is
     * already waiting, a small frame is held back and written with the next ones.
     */
    void send(TextFrame frame) {
        writeLock.lock();
        try {
            if (closeSent.get()) {
                return;
            }
            if (frame.length <= HOLD_BACK_MAX && Thread.currentThread() == readerThread && input.available() > 0) {
                holdBack(frame);
            } else {
                flushHeldBackLocked();
                writeNow(BufferData.create(frame.bytes, frame.offset, frame.length));
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Whole text messages, in order, small ones combined into one write per pooled array's worth: a writer that
     * found N messages queued for a peer makes one system call, not N. On the reader thread, while more input is
     * already waiting, they are held back as by {@link #send(TextFrame)}.
     */
    void send(List<TextFrame> frames) {
        if (frames.size() == 1 || Thread.currentThread() == readerThread) {
            frames.forEach(this::send);
            return;
        }
        writeLock.lock();
        byte[] combined = null;
        try {
            if (closeSent.get()) {
                return;
            }
            flushHeldBackLocked();
            int limit = buffers.smallSize();
            int used = 0;
            for (TextFrame frame : frames) {
                if (used > 0 && used + frame.length > limit) {
                    writeNow(BufferData.create(combined, 0, used));
                    used = 0;
                }
                if (frame.length > limit) {
                    writeNow(BufferData.create(frame.bytes, frame.offset, frame.length));
                    continue;
                }
                if (combined == null) {
                    combined = buffers.takeSmall();
                }
                System.arraycopy(frame.bytes, frame.offset, combined, used, frame.length);
                used += frame.length;
            }
            if (used > 0) {
                writeNow(BufferData.create(combined, 0, used));
            }
        } finally {
            writeLock.unlock();
            if (combined != null) {
                buffers.giveBack(combined);
            }
        }
    }

    private void holdBack(TextFrame frame) {
        if (heldBack != null && heldBackLength + frame.length > heldBack.length) {
            flushHeldBackLocked(); // which lets the array go
        }
        if (heldBack == null) {
            heldBack = new byte[HOLD_BACK_MAX * 2];
        }
        System.arraycopy(frame.bytes, frame.offset, heldBack, heldBackLength, frame.length);
        heldBackLength += frame.length;
    }

    /**
     * Writes the frames held back, if any; called by the reader thread before it waits for input. Without a frame
     * held back it must not wait for the lock: a writer draining a long backlog to a slow peer takes the lock again
     * after each batch, and a reader queued behind it would not read the peer's close (or anything) until the whole
     * backlog was written. Only the reader thread adds to {@link #heldBackLength}, so a 0 seen here is current.
     */
    private void flushHeldBack() {
        if (heldBackLength == 0) {
            return;
        }
        writeLock.lock();
        try {
            flushHeldBackLocked();
        } finally {
            writeLock.unlock();
        }
    }

    private void flushHeldBackLocked() {
        if (heldBackLength > 0) {
            byte[] frames = heldBack;
            int length = heldBackLength;
            heldBack = null; // an idle connection keeps no buffer
            heldBackLength = 0;
            writeNow(BufferData.create(frames, 0, length));
        }
    }

    @Override
    public WsSession send(BufferData data, boolean last) {
        return sendData(BINARY, bytesOf(data), last);
    }

    @Override
    public WsSession ping(BufferData data) {
        return sendControl(PING, bytesOf(data));
    }

    @Override
    public WsSession pong(BufferData data) {
        return sendControl(PONG, bytesOf(data));
    }

    /** Starts the closing handshake; does nothing if a close frame was already sent. */
    @Override
    public WsSession close(int code, String reason) {
        if (!CloseFrames.mayBeSent(code)) {
            throw new IllegalArgumentException("Close code " + code + " may not be sent");
        }
        if (startClose(code, reason, CLOSE_TIMEOUT)) {
            try {
                writeFrame(CLOSE, true, CloseFrames.payload(code, reason));
            } catch (RuntimeException e) {
                cut(); // the connection is broken: nothing more can be said on it
            }
        }
        return this;
    }

    /** Sends a 1000 close frame and cuts the connection without waiting for the answer. */
    @Override
    public WsSession terminate() {
        close(WsCloseCodes.NORMAL_CLOSE, "Terminate");
        cut();
        return this;
    }

    @Override
    public Optional<String> subProtocol() {
        return upgradeHeaders.first(WsUpgrader.PROTOCOL);
    }

    @Override
    public SocketContext socketContext() {
        return ctx;
    }

    @Override
    public HttpPrologue prologue() {
        return prologue;
    }

    // ---- reading

    private void open() throws ListenerFailure {
        try {
            listener.onOpen(this);
        } catch (RuntimeException e) {
            throw new ListenerFailure(e);
        }
    }

    /** Reads and dispatches frames until the peer's close frame, which it returns (validated). */
    private CloseFrames.PeerClose readUntilClose() throws ProtocolViolation, ListenerFailure {
        while (true) {
            if (input.available() == 0) {
                // An idle connection parks here, as shallow in the stack as it can: a parked virtual thread's
                // frames are copied to the heap, per connection, every time it parks.
                flushHeldBack();
                input.ensureAvailable();
            }
            frames.next();
            lastActivity = System.nanoTime();
            switch (frames.opcode()) {
            case TEXT, BINARY -> {
                if (messageOpcode != NO_MESSAGE) {
                    throw protocolError("A new message started before the previous one was finished");
                }
                startMessage(frames.opcode());
                readMessageFrame();
            }
            case CONTINUATION -> {
                if (messageOpcode == NO_MESSAGE) {
                    throw protocolError("Continuation frame without a message to continue");
                }
                readMessageFrame();
            }
            case PING -> {
                byte[] payload = frames.readPayload();
                sendControl(PONG, payload);
                deliverControl(PING, payload);
            }
            case PONG -> deliverControl(PONG, frames.readPayload());
            case CLOSE -> {
                return CloseFrames.parse(frames.readPayload());
            }
            default -> throw new IllegalStateException("FrameReader let opcode " + frames.opcode() + " through");
            }
            lastActivity = System.nanoTime();
        }
    }

    private void startMessage(int opcode) {
        messageOpcode = opcode;
        messageLength = 0;
        utf8.reset();
    }

    /** Reads one data frame of the message under way, validating text as it arrives; delivers the message on its last frame. */
    private void readMessageFrame() throws ProtocolViolation, ListenerFailure {
        long total = messageLength + frames.remaining();
        if (total > maxMessageBytes) {
            throw tooBig("Message over " + maxMessageBytes + " bytes");
        }
        reserve((int) total);
        while (frames.remaining() > 0) {
            int count = frames.readSome(message, messageLength, (int) frames.remaining());
            if (messageOpcode == TEXT && !utf8.accept(message, messageLength, count)) {
                throw invalidText("Text message is not UTF-8");
            }
            messageLength += count;
        }
        if (!frames.fin()) {
            return;
        }
        if (messageOpcode == TEXT && !utf8.complete()) {
            throw invalidText("Text message ends inside a UTF-8 sequence");
        }
        deliverMessage();
    }

    private void reserve(int size) {
        message = buffers.reserve(message, messageLength, size);
    }

    private void deliverMessage() throws ListenerFailure {
        int opcode = messageOpcode;
        byte[] bytes = message;
        int length = messageLength;
        message = null;
        messageOpcode = NO_MESSAGE;
        if (closeSent.get()) {
            // RFC 6455 1.4: after its close frame an endpoint only waits for the answer
            buffers.giveBack(bytes);
            return;
        }
        try {
            if (opcode == TEXT && listener instanceof Utf8Text.Listener textListener) {
                try {
                    textListener.onText(this, bytes, 0, length);
                } finally {
                    buffers.giveBack(bytes);
                }
            } else if (opcode == TEXT) {
                String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
                buffers.giveBack(bytes);
                listener.onMessage(this, text, true);
            } else {
                byte[] copy = Arrays.copyOf(bytes, length);
                buffers.giveBack(bytes);
                listener.onMessage(this, BufferData.create(copy), true);
            }
        } catch (RuntimeException e) {
            throw new ListenerFailure(e);
        }
    }

    private void deliverControl(int opcode, byte[] payload) throws ListenerFailure {
        try {
            if (opcode == PING) {
                listener.onPing(this, BufferData.create(payload));
            } else {
                listener.onPong(this, BufferData.create(payload));
            }
        } catch (RuntimeException e) {
            throw new ListenerFailure(e);
        }
    }

    // ---- writing

    private WsSession sendData(int opcode, byte[] payload, boolean last) {
        writeLock.lock();
        try {
            if (closeSent.get()) {
                return this; // RFC 6455 5.5.1: no data frame after the close frame
            }
            int sent = sendingFragments ? CONTINUATION : opcode;
            sendingFragments = !last;
            flushHeldBackLocked();
            write(Frames.encode(sent, last, payload));
        } finally {
            writeLock.unlock();
        }
        return this;
    }

    private WsSession sendControl(int opcode, byte[] payload) {
        if (payload.length > FrameReader.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("A control frame's payload is at most 125 bytes");
        }
        writeLock.lock();
        try {
            if (!closeSent.get()) {
                flushHeldBackLocked();
                write(Frames.encode(opcode, true, payload));
            }
        } finally {
            writeLock.unlock();
        }
        return this;
    }

    /** Writes a frame even after {@link #closeSent} (that is how the close frame itself goes out). */
    private void writeFrame(int opcode, boolean fin, byte[] payload) {
        writeLock.lock();
        try {
            flushHeldBackLocked();
            write(Frames.encode(opcode, fin, payload));
        } finally {
            writeLock.unlock();
        }
    }

    private void write(byte[] frame) {
        writeNow(BufferData.create(frame));
    }

    private void writeNow(BufferData frame) {
        try {
            ctx.dataWriter().writeNow(frame);
        } catch (SocketWriterException | UncheckedIOException e) {
            throw new ServerConnectionException("Failed to write a WebSocket frame", e);
        }
    }

    // ---- closing

    /**
     * Marks the close frame as sent (the caller then writes it), tells the listener, and makes sure the
     * connection ends within {@code deadline} even if the peer never answers or never reads.
     *
     * @return false if a close frame was already sent
     */
    private boolean startClose(int code, String reason, Duration deadline) {
        if (!closeSent.compareAndSet(false, true)) {
            return false;
        }
        cutOff = TIMER.schedule(this::cut, deadline.toMillis(), TimeUnit.MILLISECONDS);
        if (listener instanceof ServerCloseListener closeListener) {
            try {
                closeListener.onServerClose(this, code, reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "ServerCloseListener failed", e);
            }
        }
        return true;
    }

    /** RFC 6455 7.1.7: the close frame (unless one was sent already), then the TCP connection goes. */
    private void failConnection(int code, String reason) {
        if (!startClose(code, reason, LINGER)) {
            return;
        }
        try {
            writeFrame(CLOSE, true, CloseFrames.payload(code, reason));
            // the connection is over for the application now, not after the linger: its slot is free at once
            end(null);
            while (true) {
                input.readBuffer(); // discard until the peer closes or the linger time is up
            }
        } catch (RuntimeException e) {
            // end of stream, or cut at the end of the linger time
        }
    }

    /** Closes the TCP connection; the reader thread then ends. */
    private void cut() {
        try {
            ctx.serverSocket().close();
        } catch (RuntimeException e) {
            LOG.log(Level.TRACE, "Closing the socket failed", e);
        }
    }

    /** Once per connection, whichever way it ends: the listener hears {@code onClose}. */
    private void end(CloseFrames.PeerClose peerClose) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (message != null) {
            buffers.giveBack(message);
            message = null;
        }
        try {
            if (peerClose == null) {
                listener.onClose(this, WsCloseCodes.CLOSED_ABNORMALLY, "");
            } else {
                listener.onClose(this, peerClose.code(), peerClose.reason());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "WsListener.onClose failed", e);
        }
    }

    private static byte[] bytesOf(BufferData data) {
        byte[] bytes = new byte[data.available()];
        data.read(bytes);
        return bytes;
    }

    private static ScheduledThreadPoolExecutor timer() {
        var timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("ws-close-timer").factory());
        timer.setRemoveOnCancelPolicy(true); // a connection that closes in time is not held until its deadline
        return timer;
    }

    /** A listener callback threw: the application's fault, answered with 1011. */
    private static final class ListenerFailure extends Exception {
        ListenerFailure(RuntimeException cause) {
            super(cause);
        }
    }
}
