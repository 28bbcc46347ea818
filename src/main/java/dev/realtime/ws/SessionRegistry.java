package dev.realtime.ws;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import dev.realtime.cluster.LocalSessions;
import dev.realtime.cluster.SessionInfo;
import dev.realtime.limits.OpenConnections;
import dev.realtime.metrics.RealtimeMetrics;

/**
 * Who is connected to this instance: user → that user's open sessions.
 * Thread-safe; a user with no sessions left disappears. Every session that joins or leaves is
 * reported to the {@link Observer} (presence events) exactly once.
 * <p>
 * A session is removed the moment its connection ends, however it ends (the protocol engine calls
 * {@link RealtimeListener#onClose} for a close handshake, a reset, end of stream, a protocol error or
 * a timeout), so its connection-cap slot ({@link #size()}, {@link #countOf}) is free before the same user's
 * next handshake; {@link Keepalive} catches peers whose connection looks open but no longer answers.
 * {@link DrainOnShutdown} sends every session away at shutdown.
 */
public final class SessionRegistry implements OpenConnections, LocalSessions {

    /** Told about every session that joins or leaves. */
    public interface Observer {
        void joined(ConnectedSession session);

        void left(ConnectedSession session);
    }

    private final Map<String, Map<String, ConnectedSession>> byUser = new ConcurrentHashMap<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger open = new AtomicInteger();
    /** What the open-session gauge reads; held here, since the gauge holds it weakly. */
    private final IntSupplier gauge = open::get;
    private volatile Observer observer = new Observer() {
        @Override
        public void joined(ConnectedSession session) {
        }

        @Override
        public void left(ConnectedSession session) {
        }
    };

    /** An empty registry, counted by the {@code realtime.sessions.open} gauge. */
    public SessionRegistry() {
        RealtimeMetrics.countOpenSessions(gauge);
    }

    /** The one observer (the message hub), set before the first session is added. */
    public void observe(Observer observer) {
        this.observer = observer;
    }

    /** Registers a session that was welcomed: from now on every push reaches it. */
    public void add(ConnectedSession session) {
        byUser.computeIfAbsent(session.user(), u -> new ConcurrentHashMap<>()).put(session.id(), session);
        open.incrementAndGet();
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
            observer.left(session);
        }
    }

    /** A snapshot of {@code user}'s open sessions. */
    public List<ConnectedSession> sessionsOf(String user) {
        var sessions = byUser.get(user);
        return sessions == null ? List.of() : List.copyOf(sessions.values());
    }

    /** A snapshot of every open session. */
    public List<ConnectedSession> all() {
        return byUser.values().stream().flatMap(s -> s.values().stream()).toList();
    }

    /** The open sessions, in O(1): what the connection cap counts. */
    @Override
    public int size() {
        return open.get();
    }

    /** {@code user}'s open sessions: what the per-user connection cap counts. */
    @Override
    public int countOf(String user) {
        var sessions = byUser.get(user);
        return sessions == null ? 0 : sessions.size();
    }

    @Override
    public List<SessionInfo> present() {
        return all().stream().map(ConnectedSession::info).toList();
    }

    /** From now on new connections are told to go away at once ({@link DrainOnShutdown}). */
    void startDraining() {
        draining.set(true);
    }

    /** True once the drain started. */
    public boolean isDraining() {
        return draining.get();
    }
}
