package dev.realtime.cluster;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import dev.realtime.config.ClusterSettings;
import dev.realtime.contract.Json;
import dev.realtime.metrics.RealtimeMetrics;
import dev.realtime.ws.ConnectedSession;
import dev.realtime.ws.SessionRegistry;

/**
 * The Redis backplane (Lettuce), in the manner of Socket.IO's Redis adapter: messages for other
 * instances go over one pub/sub channel; presence is one hash of sessions and one of per-user
 * counts per instance, rewritten every heartbeat and expiring after three, so a dead instance's
 * sessions disappear on their own.
 * <p>
 * The session counts a broadcast or direct message reports come from a {@link ClusterView} that the
 * heartbeat rebuilds from that presence and the presence events on the bus adjust, so that a
 * broadcast, or a direct message to a user connected elsewhere, costs one {@code PUBLISH} on the
 * sender's thread rather than a round trip per instance besides.
 * <p>
 * Keys: {@code realtime:instances} (set of names), {@code realtime:instance:<id>} (alive marker),
 * {@code realtime:sessions:<id>} (session id → {user, connectedAt}), {@code realtime:users:<id>}
 * (user → session count); channel {@code realtime:bus}.
 */
public final class RedisBackplane implements Backplane {
    private static final System.Logger LOG = System.getLogger(RedisBackplane.class.getName());
    static final String CHANNEL = "realtime:bus";
    private static final String INSTANCES = "realtime:instances";
    /** A command that takes longer than this counts as Redis being unreachable. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

    private final ClusterSettings settings;
    private final SessionRegistry localSessions;
    private final RedisClient client;
    private final ClusterView view;
    private final AtomicBoolean rebuilding = new AtomicBoolean();
    private volatile Consumer<ClusterMessage> remoteHandler = message -> { };
    private volatile Consumer<ClusterMessage> publicationHandler = message -> { };
    /**
     * Positioned messages, handed from Lettuce's event loop to one virtual thread that delivers them in the
     * order they came: delivering takes a stream's lock, which a thread may hold while it waits for Redis, and
     * Redis's answers arrive on that event loop.
     */
    private final BlockingQueue<ClusterMessage> publications = new LinkedBlockingQueue<>();
    private final Thread deliverer;
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> subscription;
    private volatile boolean reportedDown;

    public RedisBackplane(ClusterSettings settings, SessionRegistry localSessions) {
        this.settings = settings;
        this.localSessions = localSessions;
        this.view = new ClusterView(settings.presenceTtl());
        // After a first connection Lettuce reconnects by itself, with exponential back-off, and re-subscribes.
        this.client = RedisClient.create(ClientResources.builder()
                                                 .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(5),
                                                                                   2, TimeUnit.MILLISECONDS))
                                                 .build(),
                                         RedisURI.create(settings.redisUrl().orElseThrow()));
        client.setOptions(ClientOptions.builder()
                                  .autoReconnect(true)
                                  // fail fast while disconnected instead of queueing: callers report "degraded"
                                  .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                  .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                                  .build());
        connect();
        this.deliverer = Thread.ofVirtual().name("backplane-publications").start(this::deliverPublications);
    }

    private void deliverPublications() {
        while (true) {
            ClusterMessage message;
            try {
                message = publications.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                publicationHandler.accept(message);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Backplane: delivering a message failed", e);
            }
        }
    }

    /**
     * Run every heartbeat: (re)connects if the first connection never came, rewrites this instance's
     * presence, and rebuilds the view of the others'.
     */
    public void heartbeat() {
        if (commands == null || subscription == null) {
            connect();
        }
        run("heartbeat", redis -> {
            String id = settings.instanceId();
            long ttl = settings.presenceTtl().toSeconds();
            redis.set(aliveKey(id), Instant.now().toString(), SetArgs.Builder.ex(ttl));
            redis.sadd(INSTANCES, id);
            Map<String, String> sessions = new HashMap<>();
            Map<String, String> users = new HashMap<>();
            for (ConnectedSession session : localSessions.all()) {
                sessions.put(session.id(), sessionJson(session));
                users.merge(session.user(), "1", (a, b) -> String.valueOf(Long.parseLong(a) + 1));
            }
            // Written aside and renamed into place, so other instances never see a half-written view.
            rewrite(redis, sessionsKey(id), sessions, ttl);
            rewrite(redis, usersKey(id), users, ttl);
            return rebuildView(redis);
        });
    }

    @Override
    public String instanceId() {
        return settings.instanceId();
    }

    @Override
    public void onRemote(Consumer<ClusterMessage> handler) {
        this.remoteHandler = handler;
    }

    /** Where the messages of the {@link RedisBroker} go, whichever instance published them (this one's included). */
    void onPublication(Consumer<ClusterMessage> handler) {
        this.publicationHandler = handler;
    }

    @Override
    public boolean publish(ClusterMessage message) {
        return run("publish", redis -> redis.publish(CHANNEL, Json.write(message))).isPresent();
    }

    @Override
    public void joined(ConnectedSession session) {
        run("presence join", redis -> {
            redis.hset(sessionsKey(instanceId()), session.id(), sessionJson(session));
            return redis.hincrby(usersKey(instanceId()), session.user(), 1);
        });
    }

    @Override
    public void left(ConnectedSession session) {
        run("presence leave", redis -> {
            redis.hdel(sessionsKey(instanceId()), session.id());
            if (redis.hincrby(usersKey(instanceId()), session.user(), -1) <= 0) {
                redis.hdel(usersKey(instanceId()), session.user());
            }
            return Boolean.TRUE;
        });
    }

    @Override
    public OptionalInt remoteSessionCount() {
        return fromView(() -> view.sessions(Instant.now()));
    }

    @Override
    public OptionalInt remoteSessionCount(String user) {
        return fromView(() -> view.sessionsOf(user, Instant.now()));
    }

    @Override
    public OptionalInt remoteSessionCountNow(String user) {
        return run("count sessions of a user", redis -> {
            long total = 0;
            for (String instance : others(redis)) {
                String count = redis.hget(usersKey(instance), user);
                total += count == null ? 0 : Long.parseLong(count);
            }
            return (int) total;
        }).map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    @Override
    public Optional<List<RemoteSession>> remoteSessions() {
        return run("list sessions", redis -> {
            List<RemoteSession> sessions = new ArrayList<>();
            for (String instance : others(redis)) {
                redis.hgetall(sessionsKey(instance)).forEach((sessionId, json) -> {
                    JsonNode node = Json.parse(json);
                    sessions.add(new RemoteSession(sessionId, node.path("user").asText(), node.path("connectedAt").asText(), instance));
                });
            }
            return sessions;
        });
    }

    @Override
    public Optional<List<String>> liveInstances() {
        return run("list instances", redis -> {
            List<String> live = new ArrayList<>(others(redis));
            live.add(instanceId());
            live.sort(String::compareTo);
            return live;
        });
    }

    @Override
    public boolean healthy() {
        var connection = commands;
        var pubsub = subscription;
        return connection != null && connection.isOpen() && pubsub != null && pubsub.isOpen();
    }

    @Override
    public void close() {
        run("leave the cluster", redis -> {
            redis.del(aliveKey(instanceId()), sessionsKey(instanceId()), usersKey(instanceId()));
            return redis.srem(INSTANCES, instanceId());
        });
        deliverer.interrupt();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private synchronized void connect() {
        try {
            if (commands == null) {
                commands = client.connect();
            }
            if (subscription == null) {
                var pubsub = client.connectPubSub();
                pubsub.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String text) {
                        receive(text);
                    }
                });
                pubsub.sync().subscribe(CHANNEL);
                subscription = pubsub;
            }
            LOG.log(Level.INFO, "Backplane connected to Redis as instance {0}", instanceId());
        } catch (RedisException e) {
            RealtimeMetrics.backplaneFailure();
            LOG.log(Level.WARNING, "Backplane: Redis unreachable ({0}); serving local sessions only, retrying", e.getMessage());
        }
    }

    private void receive(String text) {
        try {
            ClusterMessage message = Json.read(text, ClusterMessage.class);
            if (message.position() != null) {
                publications.add(message);
            } else if (!instanceId().equals(message.origin())) {
                if ("presence".equals(message.kind())) {
                    adjustView(message);
                }
                remoteHandler.accept(message);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Backplane: dropped an unreadable message: " + e.getMessage());
        }
    }

    private void adjustView(ClusterMessage presence) {
        switch (presence.event()) {
        case "join" -> view.joined(presence.origin(), presence.from());
        case "leave" -> view.left(presence.origin(), presence.from());
        default -> LOG.log(Level.WARNING, "Backplane: ignored an unknown presence event " + presence.event());
        }
    }

    /**
     * Answers from the view, without a round trip; empty while Redis is unreachable. A view no heartbeat
     * has rebuilt within the presence TTL (the first heartbeat has not run yet, or Redis was unreachable
     * for longer) is rebuilt here first; a caller that finds another one rebuilding answers empty (degraded).
     */
    private OptionalInt fromView(Supplier<OptionalInt> count) {
        if (!healthy()) {
            return OptionalInt.empty();
        }
        OptionalInt answer = count.get();
        // One rebuild at a time: while Redis is slow, every message would otherwise start its own.
        if (answer.isEmpty() && rebuilding.compareAndSet(false, true)) {
            try {
                if (run("read presence", this::rebuildView).isPresent()) {
                    answer = count.get();
                }
            } finally {
                rebuilding.set(false);
            }
        }
        return answer;
    }

    /** Reads the per-user counts of every other live instance into the view. */
    private Boolean rebuildView(RedisCommands<String, String> redis) {
        Instant readAt = Instant.now();
        Map<String, Map<String, Integer>> usersByInstance = new HashMap<>();
        for (String instance : others(redis)) {
            Map<String, Integer> users = new HashMap<>();
            redis.hgetall(usersKey(instance)).forEach((user, count) -> users.put(user, Integer.parseInt(count)));
            usersByInstance.put(instance, users);
        }
        view.rebuild(usersByInstance, readAt);
        return Boolean.TRUE;
    }

    /**
     * The other live instances; the names of dead ones (alive marker expired) are removed on the way,
     * from Redis and from the view, so that acks and {@code GET /sessions} agree on who is gone.
     */
    private List<String> others(RedisCommands<String, String> redis) {
        List<String> names = redis.smembers(INSTANCES).stream().filter(name -> !name.equals(instanceId())).sorted().toList();
        List<String> live = new ArrayList<>();
        if (!names.isEmpty()) {
            List<KeyValue<String, String>> markers = redis.mget(names.stream().map(RedisBackplane::aliveKey).toArray(String[]::new));
            for (int i = 0; i < names.size(); i++) {
                if (markers.get(i).hasValue()) {
                    live.add(names.get(i));
                } else {
                    redis.srem(INSTANCES, names.get(i));
                }
            }
        }
        view.retain(live);
        return live;
    }

    /** A unit of work against Redis; returns something non-null (its result, or TRUE). */
    interface RedisCall<T> {
        T call(RedisCommands<String, String> redis);
    }

    /** Runs a call; a failure is logged (once per outage), counted, and answered empty. */
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

    private static void rewrite(RedisCommands<String, String> redis, String key, Map<String, String> fields, long ttl) {
        if (fields.isEmpty()) {
            redis.del(key);
            return;
        }
        String aside = key + ":next";
        redis.del(aside);
        redis.hset(aside, fields);
        redis.expire(aside, ttl);
        redis.rename(aside, key);
    }

    private static String sessionJson(ConnectedSession session) {
        return Json.write(Map.of("user", session.user(), "connectedAt", session.connectedAt().toString()));
    }

    private static String aliveKey(String instance) {
        return "realtime:instance:" + instance;
    }

    private static String sessionsKey(String instance) {
        return "realtime:sessions:" + instance;
    }

    private static String usersKey(String instance) {
        return "realtime:users:" + instance;
    }
}
