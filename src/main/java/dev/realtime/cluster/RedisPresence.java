package dev.realtime.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;

import dev.realtime.contract.Json;

/**
 * Presence in Redis, in the manner of Centrifuge's presence manager: each instance writes its own sessions
 * (one hash of sessions and one of per-user counts, rewritten every heartbeat and expiring after three, so a
 * dead instance's sessions disappear on their own) and reads the others'. The counts a push reports come
 * from a {@link ClusterView} that the heartbeat rebuilds from that presence and the presence events on the
 * bus adjust, so a push costs no round trip besides its own.
 * <p>
 * Keys: {@code realtime:instances} (set of names), {@code realtime:instance:<id>} (alive marker),
 * {@code realtime:sessions:<id>} (session id → {user, connectedAt}), {@code realtime:users:<id>}
 * (user → session count).
 */
final class RedisPresence {
    private static final String INSTANCES = "realtime:instances";

    private final RedisConnection redis;
    private final Duration ttl;
    private final Clock clock;
    private final ClusterView view;
    private final AtomicBoolean rebuilding = new AtomicBoolean();

    /** @param ttl how long an instance's presence outlives its last heartbeat */
    RedisPresence(RedisConnection redis, Duration ttl, Clock clock) {
        this.redis = redis;
        this.ttl = ttl;
        this.clock = clock;
        this.view = new ClusterView(ttl);
    }

    /** Rewrites this instance's presence from {@code sessions} and rebuilds the view of the others'. */
    void heartbeat(List<SessionInfo> sessions) {
        redis.run("heartbeat", commands -> {
            String id = redis.instanceId();
            commands.set(aliveKey(id), clock.instant().toString(), SetArgs.Builder.ex(ttl.toSeconds()));
            commands.sadd(INSTANCES, id);
            Map<String, String> byId = new HashMap<>();
            Map<String, String> users = new HashMap<>();
            for (SessionInfo session : sessions) {
                byId.put(session.id(), sessionJson(session));
                users.merge(session.user(), "1", (a, b) -> String.valueOf(Long.parseLong(a) + 1));
            }
            // Written aside and renamed into place, so other instances never see a half-written view.
            rewrite(commands, sessionsKey(id), byId);
            rewrite(commands, usersKey(id), users);
            return rebuildView(commands);
        });
    }

    void joined(SessionInfo session) {
        redis.run("presence join", commands -> {
            commands.hset(sessionsKey(redis.instanceId()), session.id(), sessionJson(session));
            return commands.hincrby(usersKey(redis.instanceId()), session.user(), 1);
        });
    }

    void left(SessionInfo session) {
        redis.run("presence leave", commands -> {
            commands.hdel(sessionsKey(redis.instanceId()), session.id());
            if (commands.hincrby(usersKey(redis.instanceId()), session.user(), -1) <= 0) {
                commands.hdel(usersKey(redis.instanceId()), session.user());
            }
            return Boolean.TRUE;
        });
    }

    /** Another instance's session joined or left: the view follows at once. */
    void adjust(ClusterMessage.PresenceEvent event) {
        switch (event.event()) {
        case JOIN -> view.joined(event.origin(), event.user());
        case LEAVE -> view.left(event.origin(), event.user());
        }
    }

    /** Removes this instance from the cluster (at shutdown). */
    void leave() {
        String id = redis.instanceId();
        redis.run("leave the cluster", commands -> {
            commands.del(aliveKey(id), sessionsKey(id), usersKey(id));
            return commands.srem(INSTANCES, id);
        });
    }

    /** Sessions on the other live instances, from the view. */
    OptionalInt sessionCount() {
        return fromView(now -> view.sessions(now));
    }

    /** Sessions of {@code user} on the other live instances, from the view. */
    OptionalInt sessionCount(String user) {
        return fromView(now -> view.sessionsOf(user, now));
    }

    /** Sessions of {@code user} on the other live instances, read from Redis now. */
    OptionalInt sessionCountNow(String user) {
        return redis.run("count sessions of a user", commands -> {
            long total = 0;
            for (String instance : others(commands)) {
                String count = commands.hget(usersKey(instance), user);
                total += count == null ? 0 : Long.parseLong(count);
            }
            return (int) total;
        }).map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    Optional<List<RemoteSession>> sessions() {
        return redis.run("list sessions", commands -> {
            List<RemoteSession> sessions = new ArrayList<>();
            for (String instance : others(commands)) {
                commands.hgetall(sessionsKey(instance)).forEach((sessionId, json) -> {
                    JsonNode node = Json.parse(json);
                    sessions.add(new RemoteSession(sessionId, node.path("user").asText(), node.path("connectedAt").asText(), instance));
                });
            }
            return sessions;
        });
    }

    /** The live instances, this one included, by name. */
    Optional<List<String>> liveInstances() {
        return redis.run("list instances", commands -> {
            List<String> live = new ArrayList<>(others(commands));
            live.add(redis.instanceId());
            live.sort(String::compareTo);
            return live;
        });
    }

    /**
     * Answers from the view, without a round trip. A view no heartbeat has rebuilt within the presence TTL (the
     * first heartbeat has not run yet, or Redis was unreachable for longer) is rebuilt here first; a caller that
     * finds another one rebuilding answers empty (degraded).
     */
    private OptionalInt fromView(Function<Instant, OptionalInt> count) {
        OptionalInt answer = count.apply(clock.instant());
        // One rebuild at a time: while Redis is slow, every message would otherwise start its own.
        if (answer.isEmpty() && rebuilding.compareAndSet(false, true)) {
            try {
                if (redis.run("read presence", this::rebuildView).isPresent()) {
                    answer = count.apply(clock.instant());
                }
            } finally {
                rebuilding.set(false);
            }
        }
        return answer;
    }

    /** Reads the per-user counts of every other live instance into the view. */
    private Boolean rebuildView(RedisCommands<String, String> commands) {
        Instant readAt = clock.instant();
        Map<String, Map<String, Integer>> usersByInstance = new HashMap<>();
        for (String instance : others(commands)) {
            Map<String, Integer> users = new HashMap<>();
            commands.hgetall(usersKey(instance)).forEach((user, count) -> users.put(user, Integer.parseInt(count)));
            usersByInstance.put(instance, users);
        }
        view.rebuild(usersByInstance, readAt);
        return Boolean.TRUE;
    }

    /**
     * The other live instances; the names of dead ones (alive marker expired) are removed on the way,
     * from Redis and from the view, so that acks and {@code GET /sessions} agree on who is gone.
     */
    private List<String> others(RedisCommands<String, String> commands) {
        List<String> names = commands.smembers(INSTANCES).stream().filter(name -> !name.equals(redis.instanceId())).sorted().toList();
        List<String> live = new ArrayList<>();
        if (!names.isEmpty()) {
            List<KeyValue<String, String>> markers = commands.mget(names.stream().map(RedisPresence::aliveKey).toArray(String[]::new));
            for (int i = 0; i < names.size(); i++) {
                if (markers.get(i).hasValue()) {
                    live.add(names.get(i));
                } else {
                    commands.srem(INSTANCES, names.get(i));
                }
            }
        }
        view.retain(live);
        return live;
    }

    private void rewrite(RedisCommands<String, String> commands, String key, Map<String, String> fields) {
        if (fields.isEmpty()) {
            commands.del(key);
            return;
        }
        String aside = key + ":next";
        commands.del(aside);
        commands.hset(aside, fields);
        commands.expire(aside, ttl.toSeconds());
        commands.rename(aside, key);
    }

    private static String sessionJson(SessionInfo session) {
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
