package dev.realtime.http;

import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import dev.realtime.auth.RequestAuthenticator;
import dev.realtime.ws.ConnectedSession;
import dev.realtime.ws.SessionRegistry;

/** {@code GET /sessions}: who is connected, for administrators (openapi.yaml {@code listSessions}). */
public final class SessionsHandler implements Handler {
    private final RequestAuthenticator authenticator;
    private final SessionRegistry sessions;
    private final String adminRole;

    public SessionsHandler(RequestAuthenticator authenticator, SessionRegistry sessions, String adminRole) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.adminRole = adminRole;
    }

    record Connection(String sessionId, String connectedAt) {
    }

    record UserSessions(String user, int sessions, List<Connection> connections) {
    }

    record SessionList(int total, List<UserSessions> users) {
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        authenticator.bearerWithRole(req.headers(), adminRole);
        var all = sessions.all();
        var byUser = all.stream().collect(Collectors.groupingBy(ConnectedSession::user, TreeMap::new, Collectors.toList()));
        List<UserSessions> users = byUser.entrySet().stream()
                .map(entry -> new UserSessions(entry.getKey(), entry.getValue().size(), entry.getValue().stream()
                        .sorted(Comparator.comparing(ConnectedSession::connectedAt).reversed())
                        .map(s -> new Connection(s.id(), s.connectedAt().toString()))
                        .toList()))
                .toList();
        JsonBodies.send(res, Status.OK_200, new SessionList(all.size(), users));
    }
}
