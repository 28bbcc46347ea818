package dev.realtime.cluster;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

import dev.realtime.cluster.ClusterMessage.PresenceEvent;
import dev.realtime.config.ClusterSettings;

/**
 * The backplane of a cluster of instances joined by Redis: the {@link RedisBus} carries presence events and
 * stream messages, {@link RedisPresence} keeps each instance's sessions and the view of the others', and
 * {@link RedisConnection} holds the connection and the error policy both follow. Run {@link #heartbeat} every
 * {@code CLUSTER_HEARTBEAT_SECONDS}.
 */
public final class RedisBackplane implements Backplane {
    private static final System.Logger LOG = System.getLogger(RedisBackplane.class.getName());

    private final RedisConnection redis;
    private final RedisBus bus;
    private final RedisPresence presence;
    private final LocalSessions localSessions;
    private volatile Consumer<PresenceEvent> remoteHandler = event -> { };

    /** @param localSessions this instance's sessions, for the presence each heartbeat rewrites */
    public RedisBackplane(ClusterSettings settings, LocalSessions localSessions, Clock clock) {
        this.redis = new RedisConnection(settings.redisUrl().orElseThrow(), settings.instanceId());
        this.bus = new RedisBus(redis);
        this.presence = new RedisPresence(redis, settings.presenceTtl(), clock);
        this.localSessions = localSessions;
        bus.onPresence(event -> {
            presence.adjust(event);
            remoteHandler.accept(event);
        });
        connect();
    }

    /**
     * Run every heartbeat: (re)connects if the first connection never came, rewrites this instance's
     * presence, and rebuilds the view of the others'.
     */
    public void heartbeat() {
        connect();
        presence.heartbeat(localSessions.present());
    }

    /** Lettuce reconnects a connection once made; this makes the first one, until it succeeds. */
    private synchronized void connect() {
        if (redis.hasConnection() && bus.hasSubscription()) {
            return;
        }
        if (redis.connect() && bus.subscribe()) {
            LOG.log(Level.INFO, "Backplane connected to Redis as instance {0}", instanceId());
        }
    }

    /** The connection and error policy the {@link RedisBroker} shares. */
    RedisConnection connection() {
        return redis;
    }

    /** The bus the {@link RedisBroker}'s script publishes stream messages on. */
    RedisBus bus() {
        return bus;
    }

    @Override
    public String instanceId() {
        return redis.instanceId();
    }

    @Override
    public void onRemote(Consumer<PresenceEvent> handler) {
        this.remoteHandler = handler;
    }

    @Override
    public boolean publish(PresenceEvent event) {
        return bus.publish(event);
    }

    @Override
    public void joined(SessionInfo session) {
        presence.joined(session);
    }

    @Override
    public void left(SessionInfo session) {
        presence.left(session);
    }

    @Override
    public OptionalInt remoteSessionCount() {
        return healthy() ? presence.sessionCount() : OptionalInt.empty();
    }

    @Override
    public OptionalInt remoteSessionCount(String user) {
        return healthy() ? presence.sessionCount(user) : OptionalInt.empty();
    }

    @Override
    public OptionalInt remoteSessionCountNow(String user) {
        return presence.sessionCountNow(user);
    }

    @Override
    public Optional<List<RemoteSession>> remoteSessions() {
        return presence.sessions();
    }

    @Override
    public Optional<List<String>> liveInstances() {
        return presence.liveInstances();
    }

    @Override
    public boolean healthy() {
        return redis.isOpen() && bus.isSubscribed();
    }

    @Override
    public void close() {
        presence.leave();
        bus.close();
        redis.shutdown();
    }
}
