package dev.realtime.cluster;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

import dev.realtime.cluster.ClusterMessage.PresenceEvent;

/** No backplane (the default): this instance is the whole service, so there is nobody else to reach. */
public final class SingleInstance implements Backplane {
    private final String instanceId;

    /** @param instanceId the name {@code welcome} and {@code GET /sessions} give this instance */
    public SingleInstance(String instanceId) {
        this.instanceId = instanceId;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public void onRemote(Consumer<PresenceEvent> handler) {
    }

    @Override
    public boolean publish(PresenceEvent event) {
        return true;
    }

    @Override
    public void joined(SessionInfo session) {
    }

    @Override
    public void left(SessionInfo session) {
    }

    @Override
    public OptionalInt remoteSessionCount() {
        return OptionalInt.of(0);
    }

    @Override
    public OptionalInt remoteSessionCount(String user) {
        return OptionalInt.of(0);
    }

    @Override
    public OptionalInt remoteSessionCountNow(String user) {
        return OptionalInt.of(0);
    }

    @Override
    public Optional<List<RemoteSession>> remoteSessions() {
        return Optional.of(List.of());
    }

    @Override
    public Optional<List<String>> liveInstances() {
        return Optional.of(List.of(instanceId));
    }

    @Override
    public boolean healthy() {
        return true;
    }

    @Override
    public void close() {
    }
}
