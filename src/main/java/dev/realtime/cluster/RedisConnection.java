package dev.realtime.cluster;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import dev.realtime.metrics.RealtimeMetrics;

/**
 * The connection to Redis (Lettuce) and the error policy every Redis call follows: a call that fails, or
 * is made while Redis is unreachable, is counted ({@code realtime.backplane.failures}), logged once per
 * outage, and answered empty, so that callers say "degraded" instead of failing. After a first connection
 * Lettuce reconnects by itself, with exponential back-off; until the first one succeeds, {@link #connect}
 * is retried by the heartbeat.
 */
final class RedisConnection {
    private static final System.Logger LOG = System.getLogger(RedisConnection.class.getName());
    /** A command that takes longer than this counts as Redis being unreachable. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

    private final String instanceId;
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile boolean reportedDown;

    RedisConnection(String redisUrl, String instanceId) {
        this.instanceId = instanceId;
        this.client = RedisClient.create(ClientResources.builder()
                                                 .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(5),
                                                                                   2, TimeUnit.MILLISECONDS))
                                                 .build(),
                                         RedisURI.create(redisUrl));
        client.setOptions(ClientOptions.builder()
                                  .autoReconnect(true)
                                  // fail fast while disconnected instead of queueing: callers report "degraded"
                                  .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                  .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                                  .build());
    }

    String instanceId() {
        return instanceId;
    }

    /**
     * Opens the command connection if it is not open yet.
     *
     * @return false if Redis could not be reached (logged and counted)
     */
    synchronized boolean connect() {
        if (commands != null) {
            return true;
        }
        try {
            commands = client.connect();
            return true;
        } catch (RedisException e) {
            unreachable(e);
            return false;
        }
    }

    /**
     * A new pub/sub connection (Lettuce re-subscribes it after a reconnect).
     *
     * @return empty if Redis could not be reached (logged and counted)
     */
    Optional<StatefulRedisPubSubConnection<String, String>> connectPubSub() {
        try {
            return Optional.of(client.connectPubSub());
        } catch (RedisException e) {
            unreachable(e);
            return Optional.empty();
        }
    }

    /** Whether a first connection was made (Lettuce keeps it, reconnecting as needed). */
    boolean hasConnection() {
        return commands != null;
    }

    boolean isOpen() {
        var connection = commands;
        return connection != null && connection.isOpen();
    }

    /** Closes every connection of the client, waiting at most two seconds. */
    void shutdown() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** A unit of work against Redis; returns something non-null (its result, or TRUE). */
    interface RedisCall<T> {
        T call(RedisCommands<String, String> redis);
    }

    /** Runs a call on the calling thread; a failure is logged (once per outage), counted, and answered empty. */
    <T> Optional<T> run(String what, RedisCall<T> call) {
        var connection = commands;
        if (connection == null) {
            return failed(what, () -> "not connected");
        }
        try {
            return succeeded(call.call(connection.sync()));
        } catch (RedisException e) {
            return failed(what, e::getMessage);
        }
    }

    /** A call whose answer comes later: the caller does not wait for Redis's round trip. */
    interface AsyncRedisCall<T> {
        CompletionStage<T> call(RedisAsyncCommands<String, String> redis);
    }

    /**
     * As {@link #run}, without waiting: the command is sent (in the calling thread's order, on the one
     * connection, so Redis sees calls in the order they were made) and the answer completes the stage;
     * a failure is logged, counted and answered empty.
     */
    <T> CompletableFuture<Optional<T>> runAsync(String what, AsyncRedisCall<T> call) {
        var connection = commands;
        if (connection == null) {
            return CompletableFuture.completedFuture(failed(what, () -> "not connected"));
        }
        try {
            return call.call(connection.async()).toCompletableFuture()
                    .thenApply(this::succeeded)
                    .exceptionally(e -> failed(what, () -> String.valueOf(e.getMessage())));
        } catch (RedisException e) {
            return CompletableFuture.completedFuture(failed(what, e::getMessage));
        }
    }

    /** Connecting failed: counted and logged. */
    void unreachable(RedisException e) {
        RealtimeMetrics.backplaneFailure();
        LOG.log(Level.WARNING, "Backplane: Redis unreachable ({0}); serving local sessions only, retrying", e.getMessage());
    }

    private <T> Optional<T> succeeded(T result) {
        if (reportedDown) {
            reportedDown = false;
            LOG.log(Level.INFO, "Backplane: Redis reachable again");
        }
        return Optional.of(result);
    }

    private <T> Optional<T> failed(String what, Supplier<String> why) {
        RealtimeMetrics.backplaneFailure();
        if (!reportedDown) {
            reportedDown = true;
            LOG.log(Level.WARNING, "Backplane: " + what + " failed (" + why.get() + "); other instances are unreachable");
        }
        return Optional.empty();
    }
}
