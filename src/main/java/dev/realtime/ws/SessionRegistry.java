package dev.realtime.ws;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is connected: user → that user's open sessions (the tutorial's "who is who").
 * Thread-safe; a user with no sessions left disappears.
 * <p>
 * Sessions are removed by the listener when a connection closes normally, but Helidon gives the
 * listener no callback when a connection just ends (no close frame) or when Helidon closes it
 * itself (1009 for an over-long frame). So the registry also checks each session's connection
 * ({@link ConnectedSession#isOpen()}) whenever it answers, and sweeps all sessions on every
 * {@link #add}: it never reports a dead session, and dead ones do not pile up.
 */
public final class SessionRegistry {
    private static final System.Logger LOG = System.getLogger(SessionRegistry.class.getName());

    private final Map<String, Map<String, ConnectedSession>> byUser = new ConcurrentHashMap<>();

    public void add(ConnectedSession session) {
        removeClosed(snapshot());
        byUser.computeIfAbsent(session.user(), u -> new ConcurrentHashMap<>()).put(session.id(), session);
    }

    public void remove(ConnectedSession session) {
        byUser.computeIfPresent(session.user(), (user, sessions) -> {
            sessions.remove(session.id());
            return sessions.isEmpty() ? null : sessions;
        });
    }

    public List<ConnectedSession> sessionsOf(String user) {
        var sessions = byUser.get(user);
        return sessions == null ? List.of() : removeClosed(List.copyOf(sessions.values()));
    }

    public List<ConnectedSession> all() {
        return removeClosed(snapshot());
    }

    public int size() {
        return all().size();
    }

    private List<ConnectedSession> snapshot() {
        return byUser.values().stream().flatMap(s -> s.values().stream()).toList();
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
