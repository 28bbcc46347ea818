package dev.realtime.ws;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is connected: user → that user's open sessions (the tutorial's "who is who").
 * Thread-safe; a user with no sessions left disappears.
 */
public final class SessionRegistry {
    private final Map<String, Map<String, ConnectedSession>> byUser = new ConcurrentHashMap<>();

    public void add(ConnectedSession session) {
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
        return sessions == null ? List.of() : List.copyOf(sessions.values());
    }

    public List<ConnectedSession> all() {
        return byUser.values().stream().flatMap(s -> s.values().stream()).toList();
    }

    public int size() {
        return byUser.values().stream().mapToInt(Map::size).sum();
    }
}
