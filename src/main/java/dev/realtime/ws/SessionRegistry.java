package dev.realtime.ws;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.websocket.WsCloseCodes;

import dev.realtime.metrics.RealtimeMetrics;

/**
 * Who is connected: user → that user's open sessions (the tutorial's "who is who").
 * Thread-safe; a user with no sessions left disappears. Every session that joins or leaves is
 * reported to the {@link Observer} (presence events) exactly once.
 * <p>
 * A session is removed the moment its connection ends, however it ends (the protocol engine calls
 * {@link RealtimeListener#onClose} for a close handshake, a reset, end of stream, a protocol error or
 * a timeout), so its connection-cap slot is free before the same user's next handshake; {@link Keepalive}
 * catches peers whose connection looks open but no longer answers.
 */
public final class SessionRegistry {
    private static final System.Logger LOG = System.getLogger(SessionRegistry.class.getName());

    /** Told about every session that joins or leaves. */
    public interface Observer {
        void joined(ConnectedSession session);

        void left(ConnectedSession session);
    }

    private final Map<String, Map<String, ConnectedSession>> byUser = new ConcurrentHashMap<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger open = new AtomicInteger();
    private volatile Observer observer = new Observer() {
        @Override
        public void joined(ConnectedSession session) {
        }

        @Override
        public void left(ConnectedSession session) {
        }
    };

    public void observe(Observer observer) {
        this.observer = observer;
    }

    public void add(ConnectedSession session) {
        byUser.computeIfAbsent(session.user(), u -> new ConcurrentHashMap<>()).put(session.id(), session);
        open.incrementAndGet();
        RealtimeMetrics.sessionOpened();
        observer.joined(session);
    }

    /** Removes the session if it is still here; the observer hears of it once, whoever removes it first. */
    public void remove(ConnectedSession session) {
        boolean[] removed = new boolean[1];
        byUser.computeIfPresent(session.user(), (user, sessions) -> {
            removed[0] = sessions.remove(session.id()) != null;
            return sessions.isEmpty() ? null : sessions;
        });
        session.closed();
        if (removed[0]) {
            open.decrementAndGet();
            RealtimeMetrics.sessionClosed();
            observer.left(session);
        }
    }

    public List<ConnectedSession> sessionsOf(String user) {
        var sessions = byUser.get(user);
        return sessions == null ? List.of() : List.copyOf(sessions.values());
    }

    public List<ConnectedSession> all() {
        return byUser.values().stream().flatMap(s -> s.values().stream()).toList();
    }

    public int size() {
        return open.get();
    }

    /** Sessions held, in O(1) (for the connection caps). */
    public int heldCount() {
        return open.get();
    }

    /** As {@link #heldCount()}, for one user. */
    public int heldCount(String user) {
        var sessions = byUser.get(user);
        return sessions == null ? 0 : sessions.size();
    }

    /** True once {@link #drain} started: new connections are told to go away at once. */
    public boolean isDraining() {
        return draining.get();
    }

    /**
     * Graceful stop: closes every session with 1001 (Going Away) and waits, at most {@code timeout},
     * for the clients to answer the close (each answer removes its session).
     *
     * @return the number of sessions still open when the wait ended
     */
    public int drain(Duration timeout) {
        draining.set(true);
        List<ConnectedSession> open = all();
        LOG.log(Level.INFO, "Draining: closing " + open.size() + " WebSocket session(s) with 1001");
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ConnectedSession session : open) {
            // A close frame per virtual thread: one waits behind a frame stuck on a peer that does not read,
            // and holds up only that peer's; the deadline bounds the whole drain.
            Thread.ofVirtual().name("ws-drain-" + session.id()).start(() -> {
                try {
                    session.closeWith(WsCloseCodes.GOING_AWAY, "Server shutting down");
                } catch (RuntimeException e) {
                    remove(session);
                }
            });
        }
        while (size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = size();
        LOG.log(left == 0 ? Level.INFO : Level.WARNING, "Drained; " + left + " session(s) did not answer the close in time");
        return left;
    }
}
