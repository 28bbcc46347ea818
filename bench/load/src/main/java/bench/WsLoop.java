package bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * A minimal WebSocket client (RFC 6455, text frames, no extensions) on one NIO selector thread:
 * the load generator runs on one core, so one event loop does all the work with no thread hand-offs.
 * Frames sent are masked with a random key per connection; the constant parts of an echo request
 * are masked once and only the id is masked per message ({@link EchoFrames}).
 */
final class WsLoop implements AutoCloseable {
    /** What a scenario does when something happens on one of its connections. */
    interface Handler {
        /** The 101 came back with a valid Sec-WebSocket-Accept. */
        default void onOpen(Conn c) {
        }

        /**
         * A whole text message arrived.
         *
         * @param head   the first bytes of the message (up to {@link #HEAD} of them)
         * @param length the message's length in bytes
         */
        void onMessage(Conn c, byte[] head, int headLength, long length);

        /** The connection is closed (clean: after the close handshake). Called once. */
        default void onClosed(Conn c, boolean clean, String why) {
        }
    }

    static final boolean DEBUG = Boolean.getBoolean("bench.debug");
    static final int HEAD = 64;
    /** At most this many queued frames per gathering write (3 buffers each; Linux takes 1024). */
    private static final int MAX_GATHER_FRAMES = 128;
    static final int MAX_MESSAGE = 1 << 20;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final Selector selector;
    private final InetSocketAddress target;
    private final String requestTarget;
    private final String hostHeader;
    private final SplittableRandom random = new SplittableRandom();
    private final byte[] head = new byte[HEAD];
    private int open;

    WsLoop(InetSocketAddress target, String token) throws IOException {
        this.selector = Selector.open();
        this.target = target;
        this.requestTarget = "/?token=" + token;
        this.hostHeader = target.getHostString() + ":" + target.getPort();
    }

    /** Connections not yet closed. */
    int open() {
        return open;
    }

    /** Starts a connection (non-blocking); the handler hears of it from then on. */
    Conn connect(Handler handler, Object state) {
        Conn c = new Conn(handler, state);
        open++;
        try {
            SocketChannel ch = SocketChannel.open();
            c.ch = ch;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = ch.connect(target);
            c.key = ch.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
            if (connected) {
                c.sendHandshake();
            }
        } catch (IOException e) {
            c.fail("connect: " + e.getMessage());
        }
        return c;
    }

    /**
     * Runs the loop until {@code stop} is true or {@code deadline} (System.nanoTime) passes. {@code tick}
     * runs after every select; {@code nextWake} says when the handler next needs the loop awake
     * (Long.MAX_VALUE: only on I/O). Within 2 ms of that moment the loop polls instead of sleeping,
     * so scheduled sends leave on time (the client has a core of its own).
     */
    void run(BooleanSupplier stop, long deadline, Runnable tick, java.util.function.LongSupplier nextWake)
            throws IOException {
        while (!stop.getAsBoolean()) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return;
            }
            long wake = Math.min(deadline, nextWake == null ? Long.MAX_VALUE : nextWake.getAsLong());
            long waitNanos = wake - now;
            int n;
            if (waitNanos <= 2_000_000L) {
                n = selector.selectNow(this::ready);
            } else {
                n = selector.select(this::ready, Math.max(1, (waitNanos - 1_000_000L) / 1_000_000L));
            }
            long t1 = System.nanoTime();
            if (DEBUG && t1 - now > 20_000_000L) {
                System.out.println("DEBUG iteration " + (t1 - now) / 1_000_000 + " ms, wait asked " + waitNanos / 1_000_000 + " ms, keys " + n);
            }
            if (tick != null) {
                tick.run();
            }
            if (DEBUG && System.nanoTime() - t1 > 20_000_000L) {
                System.out.println("DEBUG tick " + (System.nanoTime() - t1) / 1_000_000 + " ms");
            }
        }
    }

    void runFor(BooleanSupplier stop, long deadline) throws IOException {
        run(stop, deadline, null, null);
    }

    private void ready(SelectionKey key) {
        Conn c = (Conn) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                if (c.ch.finishConnect()) {
                    key.interestOps(SelectionKey.OP_READ);
                    c.sendHandshake();
                }
                return;
            }
            if (key.isWritable()) {
                c.flush();
            }
            if (key.isValid() && key.isReadable()) {
                c.read();
            }
        } catch (IOException | RuntimeException e) {
            c.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Closes every connection still open at once (no close handshake). */
    void abortAll() {
        for (SelectionKey key : new ArrayList<>(selector.keys())) {
            ((Conn) key.attachment()).fail("aborted at the end of the scenario");
        }
    }

    @Override
    public void close() throws IOException {
        abortAll();
        selector.close();
    }

    /** Pre-masked echo requests of one size for one connection: only the 10-digit id is masked per message. */
    static final class EchoFrames {
        static final String PREFIX = "{\"type\":\"echo\",\"id\":\"";
        static final int ID_DIGITS = 10;
        final ByteBuffer head; // frame header, mask key, masked prefix
        final ByteBuffer tail; // masked ","payload":"xxx…"}
        final byte[] mask;
        final int idOffset;    // offset of the id in the message
        final int messageLength;

        EchoFrames(String fill, byte[] mask) {
            this.mask = mask;
            String suffix = "\",\"payload\":\"" + fill + "\"}";
            byte[] prefix = PREFIX.getBytes(StandardCharsets.US_ASCII);
            byte[] rest = suffix.getBytes(StandardCharsets.US_ASCII);
            this.idOffset = prefix.length;
            this.messageLength = prefix.length + ID_DIGITS + rest.length;
            byte[] header = frameHeader(1, messageLength, mask);
            ByteBuffer h = ByteBuffer.allocateDirect(header.length + prefix.length);
            h.put(header);
            for (int i = 0; i < prefix.length; i++) {
                h.put((byte) (prefix[i] ^ mask[i & 3]));
            }
            this.head = h.flip().asReadOnlyBuffer();
            ByteBuffer t = ByteBuffer.allocateDirect(rest.length);
            int base = idOffset + ID_DIGITS;
            for (int i = 0; i < rest.length; i++) {
                t.put((byte) (rest[i] ^ mask[(base + i) & 3]));
            }
            this.tail = t.flip().asReadOnlyBuffer();
        }

        /** The id as it appears in the message and its reply. */
        static void idDigits(long id, byte[] into) {
            for (int i = ID_DIGITS - 1; i >= 0; i--) {
                into[i] = (byte) ('0' + id % 10);
                id /= 10;
            }
        }

        ByteBuffer[] frame(long id) {
            byte[] digits = new byte[ID_DIGITS];
            idDigits(id, digits);
            for (int i = 0; i < ID_DIGITS; i++) {
                digits[i] ^= mask[(idOffset + i) & 3];
            }
            return new ByteBuffer[] {head.duplicate(), ByteBuffer.wrap(digits), tail.duplicate()};
        }

        /** Whether a reply's first bytes are this echo with this id. */
        boolean isReplyTo(byte[] head, int headLength, long id) {
            if (headLength < idOffset + ID_DIGITS) {
                return false;
            }
            for (int i = 0; i < idOffset; i++) {
                if (head[i] != PREFIX.charAt(i)) {
                    return false;
                }
            }
            long v = 0;
            for (int i = 0; i < ID_DIGITS; i++) {
                int d = head[idOffset + i] - '0';
                if (d < 0 || d > 9) {
                    return false;
                }
                v = v * 10 + d;
            }
            return v == id % 10_000_000_000L;
        }
    }

    static byte[] frameHeader(int opcode, int length, byte[] mask) {
        int ext = length < 126 ? 0 : length <= 0xFFFF ? 2 : 8;
        byte[] h = new byte[2 + ext + 4];
        h[0] = (byte) (0x80 | opcode);
        if (ext == 0) {
            h[1] = (byte) (0x80 | length);
        } else if (ext == 2) {
            h[1] = (byte) (0x80 | 126);
            h[2] = (byte) (length >>> 8);
            h[3] = (byte) length;
        } else {
            h[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                h[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(mask, 0, h, 2 + ext, 4);
        return h;
    }

    static boolean startsWith(byte[] head, int headLength, String prefix) {
        if (headLength < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (head[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** One WebSocket connection. */
    final class Conn {
        final Handler handler;
        Object state;
        SocketChannel ch;
        SelectionKey key;
        final byte[] mask = new byte[4];
        private final ArrayDeque<ByteBuffer[]> out = new ArrayDeque<>();
        private boolean batching;
        private boolean waitingForWritable;
        private ByteBuffer in = ByteBuffer.allocateDirect(4096);
        private int needed;
        private String expectedAccept;
        boolean opened;
        /** Set by the scenario once the server's welcome message came. */
        boolean welcomed;
        boolean closeSent;
        boolean closed;
        // fragmented message reassembly (we only keep its first bytes)
        private boolean inMessage;
        private long messageLength;
        private int messageHeadLength;
        private final byte[] messageHead = new byte[HEAD];

        Conn(Handler handler, Object state) {
            this.handler = handler;
            this.state = state;
            int m = random.nextInt();
            for (int i = 0; i < 4; i++) {
                mask[i] = (byte) (m >>> (8 * i));
            }
        }

        private void sendHandshake() throws IOException {
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            expectedAccept = accept(key);
            String request = "GET " + requestTarget + " HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            write(new ByteBuffer[] {ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII))});
        }

        /**
         * Queues a frame (as buffers to write in order) and writes what the socket takes now. Frames queued
         * while the replies of one read are handled go out together, in one gathering write, after it.
         */
        void write(ByteBuffer[] frame) throws IOException {
            if (closed) {
                return;
            }
            out.add(frame);
            if (!batching && !waitingForWritable) {
                flush();
            }
        }

        /** Sends a data frame; on an I/O error the connection fails (the handler hears of it). */
        void send(ByteBuffer[] frame) {
            try {
                write(frame);
            } catch (IOException e) {
                fail("write: " + e.getMessage());
            }
        }

        void sendText(String text) {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            send(new ByteBuffer[] {control(1, payload)});
        }

        /** Starts the close handshake (1000); the connection closes when the server's close frame comes. */
        void close() {
            if (closed || closeSent) {
                return;
            }
            closeSent = true;
            send(new ByteBuffer[] {control(8, new byte[] {0x03, (byte) 0xE8})});
        }

        private ByteBuffer control(int opcode, byte[] payload) {
            byte[] header = frameHeader(opcode, payload.length, mask);
            ByteBuffer b = ByteBuffer.allocate(header.length + payload.length);
            b.put(header);
            for (int i = 0; i < payload.length; i++) {
                b.put((byte) (payload[i] ^ mask[i & 3]));
            }
            return b.flip();
        }

        private void flush() throws IOException {
            while (!out.isEmpty()) {
                List<ByteBuffer> gather = new ArrayList<>();
                int frames = 0;
                for (ByteBuffer[] frame : out) {
                    if (frames++ == MAX_GATHER_FRAMES) {
                        break;
                    }
                    for (ByteBuffer b : frame) {
                        if (b.hasRemaining()) {
                            gather.add(b);
                        }
                    }
                }
                ch.write(gather.toArray(new ByteBuffer[0]));
                while (!out.isEmpty() && !remaining(out.peek())) {
                    out.poll();
                }
                if (!out.isEmpty() && gather.get(gather.size() - 1).hasRemaining()) {
                    // the socket is full: wait until it is writable
                    if (!waitingForWritable) {
                        waitingForWritable = true;
                        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    }
                    return;
                }
            }
            if (waitingForWritable) {
                waitingForWritable = false;
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        private static boolean remaining(ByteBuffer[] frame) {
            return frame[frame.length - 1].hasRemaining();
        }

        private void read() throws IOException {
            if (needed > in.capacity()) {
                ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(needed, in.capacity() * 2));
                in.flip();
                bigger.put(in);
                in = bigger;
            }
            int n = ch.read(in);
            if (n < 0) {
                finish(closeSent && opened, closeSent ? "closed after our close frame" : "connection closed by the server");
                return;
            }
            in.flip();
            batching = true;
            try {
                if (!opened && !readHandshake()) {
                    return;
                }
                readFrames();
            } finally {
                batching = false;
                if (!closed) {
                    in.compact();
                    if (!out.isEmpty() && !waitingForWritable) {
                        flush();
                    }
                }
            }
        }

        /** @return true once the 101 is read (the buffer is then at the first frame byte) */
        private boolean readHandshake() {
            int end = -1;
            for (int i = in.position(); i + 3 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                    end = i + 4;
                    break;
                }
            }
            if (end < 0) {
                needed = in.remaining() + 4096;
                return false;
            }
            byte[] bytes = new byte[end - in.position()];
            in.get(bytes);
            String response = new String(bytes, StandardCharsets.ISO_8859_1);
            if (!response.startsWith("HTTP/1.1 101")) {
                fail("handshake refused: " + response.lines().findFirst().orElse(""));
                return false;
            }
            boolean acceptOk = response.lines().anyMatch(line -> {
                int colon = line.indexOf(':');
                return colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Accept")
                        && line.substring(colon + 1).trim().equals(expectedAccept);
            });
            if (!acceptOk) {
                fail("handshake: bad Sec-WebSocket-Accept");
                return false;
            }
            opened = true;
            handler.onOpen(this);
            return !closed;
        }

        private void readFrames() throws IOException {
            needed = 0;
            while (!closed && in.remaining() >= 2) {
                int p = in.position();
                int b0 = in.get(p) & 0xFF;
                int b1 = in.get(p + 1) & 0xFF;
                int opcode = b0 & 0x0F;
                boolean fin = (b0 & 0x80) != 0;
                if ((b1 & 0x80) != 0) {
                    fail("protocol: masked frame from the server");
                    return;
                }
                long length = b1 & 0x7F;
                int header = 2;
                if (length == 126) {
                    if (in.remaining() < 4) {
                        needed = 4;
                        return;
                    }
                    length = in.getShort(p + 2) & 0xFFFF;
                    header = 4;
                } else if (length == 127) {
                    if (in.remaining() < 10) {
                        needed = 10;
                        return;
                    }
                    length = in.getLong(p + 2);
                    header = 10;
                }
                if (length < 0 || length > MAX_MESSAGE) {
                    fail("protocol: frame of " + length + " bytes");
                    return;
                }
                if (in.remaining() < header + length) {
                    needed = (int) (header + length);
                    return;
                }
                int start = p + header;
                int len = (int) length;
                in.position(start + len);
                switch (opcode) {
                case 0, 1, 2 -> {
                    if (opcode != 0) {
                        inMessage = true;
                        messageLength = 0;
                        messageHeadLength = Math.min(HEAD, len);
                        in.get(start, messageHead, 0, messageHeadLength);
                    } else if (messageHeadLength < HEAD) {
                        int more = Math.min(HEAD - messageHeadLength, len);
                        in.get(start, messageHead, messageHeadLength, more);
                        messageHeadLength += more;
                    }
                    messageLength += len;
                    if (fin && inMessage) {
                        inMessage = false;
                        System.arraycopy(messageHead, 0, head, 0, messageHeadLength);
                        handler.onMessage(this, head, messageHeadLength, messageLength);
                    }
                }
                case 8 -> {
                    if (!closeSent) {
                        closeSent = true;
                        byte[] body = new byte[Math.min(len, 2)];
                        in.get(start, body, 0, body.length);
                        out.add(new ByteBuffer[] {control(8, body)});
                    }
                    if (!out.isEmpty() && !waitingForWritable) {
                        flush(); // what is queued, and our close frame, before the socket is closed
                    }
                    finish(true, "close handshake done");
                    return;
                }
                case 9 -> {
                    byte[] body = new byte[len];
                    in.get(start, body, 0, len);
                    write(new ByteBuffer[] {control(10, body)});
                }
                default -> {
                    // pong or reserved: ignored
                }
                }
            }
        }

        void fail(String why) {
            finish(false, why);
        }

        private void finish(boolean clean, String why) {
            if (closed) {
                return;
            }
            closed = true;
            open--;
            if (key != null) {
                key.cancel();
            }
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException e) {
                // closing anyway
            }
            out.clear();
            handler.onClosed(this, clean, why);
        }
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
