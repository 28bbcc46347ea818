package dev.realtime.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.realtime.auth.RequestAuthenticator;
import dev.realtime.cluster.Backplane;
import dev.realtime.cluster.RemoteSession;
import dev.realtime.contract.Fields;
import dev.realtime.ws.SessionRegistry;

/**
 * {@code GET /sessions}: who is connected, on every instance, for administrators (openapi.yaml
 * {@code listSessions}). When the other instances cannot be reached, this instance's sessions
 * are listed and the answer says it is {@code degraded}.
 */
public final class SessionsHandler implements Handler {
    private final RequestAuthenticator authenticator;
    private final SessionRegistry sessions;
    private final Backplane backplane;
    private final String adminRole;

    /** @param adminRole the role a caller of {@code GET /sessions} needs */
    public SessionsHandler(RequestAuthenticator authenticator, SessionRegistry sessions, Backplane backplane, String adminRole) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.backplane = backplane;
        this.adminRole = adminRole;
    }

    record Connection(String sessionId, String connectedAt, String instance) {
    }

    record UserSessions(String user, int sessions, List<Connection> connections) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SessionList(int total, List<UserSessions> users, List<String> instances, Boolean degraded) {
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        authenticator.bearerWithRole(req.headers(), adminRole);
        List<RemoteSession> all = new ArrayList<>();
        sessions.all().forEach(s -> all.add(new RemoteSession(s.id(), s.user(), s.connectedAt().toString(), backplane.instanceId())));
        var remote = backplane.remoteSessions();
        var instances = backplane.liveInstances();
        remote.ifPresent(all::addAll);
        boolean degraded = remote.isEmpty() || instances.isEmpty();

        var byUser = all.stream().collect(Collectors.groupingBy(RemoteSession::user, TreeMap::new, Collectors.toList()));
        List<UserSessions> users = byUser.entrySet().stream()
                .map(entry -> new UserSessions(entry.getKey(), entry.getValue().size(), entry.getValue().stream()
                        .sorted(Comparator.comparing((RemoteSession s) -> Instant.parse(s.connectedAt())).reversed())
                        .map(s -> new Connection(s.sessionId(), s.connectedAt(), s.instance()))
                        .toList()))
                .toList();
        JsonBodies.send(res, Status.OK_200, new SessionList(all.size(), users,
                                                           instances.orElse(List.of(backplane.instanceId())),
                                                           Fields.degraded(degraded)));
    }
}
