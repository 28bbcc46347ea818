package dev.realtime.ws;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
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
 * Sessions are removed by the listener when a connection closes normally, but Helidon gives the
 * listener no callback when a connection just ends (no close frame) or when Helidon closes it
 * itself (1009 for an over-long frame). So every answer checks each session's connection
 * ({@link ConnectedSession#isOpen()}) and forgets the closed ones, {@link #sweep()} does the same every
 * second when nobody asks (so presence subscribers hear of a dropped connection promptly), and
 * {@link Keepalive} catches peers whose connection looks open but no longer answers.
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
        return sessions == null ? List.of() : removeClosed(List.copyOf(sessions.values()));
    }

    public List<ConnectedSession> all() {
        return removeClosed(byUser.values().stream().flatMap(s -> s.values().stream()).toList());
    }

    public int size() {
        return all().size();
    }

    /** Sessions held, in O(1): may still count a dead one the next answer will forget (for limits, not reports). */
    public int heldCount() {
        return open.get();
    }

    /** As {@link #heldCount()}, for one user. */
    public int heldCount(String user) {
        var sessions = byUser.get(user);
        return sessions == null ? 0 : sessions.size();
    }

    /**
     * Forgets the sessions whose connection has ended without a listener callback (a client that
     * crashed or lost its network). Cheap: it reads a flag per session; run by a {@link PeriodicTask}.
     */
    public void sweep() {
        all();
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

    /** @return the open ones among {@code sessions}; the others are removed from the registry */
    private List<ConnectedSession> removeClosed(List<ConnectedSession> sessions) {
        List<ConnectedSession> open = new ArrayList<>(sessions.size());
        for (ConnectedSession session : sessions) {
            if (session.isOpen()) {
                open.add(session);
            } else {
                remove(session);
                LOG.log(Level.INFO, "WebSocket gone without a close handshake: session {0}, user {1}",
                        session.id(), session.user());
            }
        }
        return List.copyOf(open);
    }
}
