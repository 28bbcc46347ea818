package dev.realtime.cluster;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

import dev.realtime.cluster.ClusterMessage.PresenceEvent;

/**
 * How instances reach each other's sessions. Every query answers empty, and {@link #publish}
 * false, when the other instances cannot be reached: callers then say so (degraded), never drop
 * silently.
 */
public interface Backplane extends AutoCloseable {
    /** This instance's name among the others. */
    String instanceId();

    /** Where the presence events of other instances go (set once, before any arrives). */
    void onRemote(Consumer<PresenceEvent> handler);

    /**
     * Tells the other instances' sessions that one of this instance's sessions joined or left.
     *
     * @return false if the other instances could not be reached
     */
    boolean publish(PresenceEvent event);

    /** This instance's session opened: its presence for the others. */
    void joined(SessionInfo session);

    /** This instance's session closed. */
    void left(SessionInfo session);

    /** Sessions on the other live instances, as they last reported in presence (this may lag by a heartbeat). */
    OptionalInt remoteSessionCount();

    /** Sessions of {@code user} on the other live instances, as they last reported in presence (this may lag by a heartbeat). */
    OptionalInt remoteSessionCount(String user);

    /**
     * Sessions of {@code user} on the other live instances, asked of them now: slower, but without
     * the lag, for when a 0 from {@link #remoteSessionCount(String)} would mean not sending at all.
     */
    OptionalInt remoteSessionCountNow(String user);

    /** Every session of the other live instances. */
    Optional<List<RemoteSession>> remoteSessions();

    /** The live instances, this one included. */
    Optional<List<String>> liveInstances();

    /** Whether the other instances can be reached now (readiness). */
    boolean healthy();

    @Override
    void close();
}
