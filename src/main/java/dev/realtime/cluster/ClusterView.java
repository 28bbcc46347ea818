package dev.realtime.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This instance's picture of the sessions the other live instances hold, so that a broadcast or a
 * direct message can say how many sessions it reached without a round trip to Redis. The heartbeat
 * rebuilds it from the presence the instances keep in Redis; between heartbeats the presence events
 * they publish on the bus adjust it.
 * <p>
 * It may lag their presence by up to one heartbeat: an event missed while the subscription
 * reconnected, or one that raced a rebuild (read before the rebuild installed, or counted by it and
 * again by the event), is put right by the next rebuild. The contract allows that lag ("those other
 * instances reported in presence"). It does not allow counting instances that may have died since,
 * so a picture no rebuild has confirmed within the presence TTL answers nothing.
 * <p>
 * Thread-safe: events arrive on the bus listener, rebuilds on the heartbeat, questions on
 * connection threads. A rebuild swaps in a whole new picture; events adjust the current one.
 */
public final class ClusterView {
    private final Duration maxAge;
    /** Null until the first rebuild. */
    private volatile Picture picture;

    /** @param maxAge how long a picture is trusted without a rebuild: the presence TTL */
    public ClusterView(Duration maxAge) {
        this.maxAge = maxAge;
    }

    /**
     * @param usersByInstance each other live instance → user → that user's sessions there
     * @param readAt          when the reads began: the picture is at least that old
     */
    public void rebuild(Map<String, Map<String, Integer>> usersByInstance, Instant readAt) {
        ConcurrentMap<String, Sessions> instances = new ConcurrentHashMap<>();
        usersByInstance.forEach((instance, users) -> instances.put(instance, new Sessions(users)));
        picture = new Picture(instances, readAt);
    }

    /** Forgets the instances not in {@code live} at once, rather than at the next rebuild. */
    public void retain(Collection<String> live) {
        Picture current = picture;
        if (current != null) {
            current.instances().keySet().retainAll(live);
        }
    }

    /** A session of {@code user} opened on {@code instance}, which is live since it just said so. */
    public void joined(String instance, String user) {
        Picture current = picture;
        if (current != null) {
            current.instances().computeIfAbsent(instance, name -> new Sessions(Map.of())).joined(user);
        }
    }

    /** A session of {@code user} on {@code instance} closed. */
    public void left(String instance, String user) {
        Picture current = picture;
        if (current != null) {
            Sessions sessions = current.instances().get(instance);
            if (sessions != null) {
                sessions.left(user);
            }
        }
    }

    /** Sessions on the other instances; empty when the picture is missing or too old to trust. */
    public OptionalInt sessions(Instant now) {
        Picture current = trusted(now);
        if (current == null) {
            return OptionalInt.empty();
        }
        int total = 0;
        for (Sessions sessions : current.instances().values()) {
            total += sessions.total();
        }
        return OptionalInt.of(total);
    }

    /** Sessions of {@code user} on the other instances; empty when the picture is missing or too old to trust. */
    public OptionalInt sessionsOf(String user, Instant now) {
        Picture current = trusted(now);
        if (current == null) {
            return OptionalInt.empty();
        }
        int total = 0;
        for (Sessions sessions : current.instances().values()) {
            total += sessions.of(user);
        }
        return OptionalInt.of(total);
    }

    private Picture trusted(Instant now) {
        Picture current = picture;
        return current == null || current.readAt().plus(maxAge).isBefore(now) ? null : current;
    }

    private record Picture(ConcurrentMap<String, Sessions> instances, Instant readAt) {
    }

    /** One instance's sessions: per user, and their total kept alongside so a broadcast does not sum every user. */
    private static final class Sessions {
        private final ConcurrentMap<String, Integer> byUser;
        private final AtomicInteger total = new AtomicInteger();

        Sessions(Map<String, Integer> users) {
            byUser = new ConcurrentHashMap<>(users);
            byUser.values().removeIf(count -> count <= 0);
            byUser.values().forEach(total::addAndGet);
        }

        void joined(String user) {
            byUser.merge(user, 1, Integer::sum);
            total.incrementAndGet();
        }

        /** A leave the picture never saw the join of (it raced a rebuild) must not count below zero. */
        void left(String user) {
            boolean[] counted = new boolean[1];
            byUser.computeIfPresent(user, (name, count) -> {
                counted[0] = true;
                return count > 1 ? count - 1 : null;
            });
            if (counted[0]) {
                total.decrementAndGet();
            }
        }

        int of(String user) {
            return byUser.getOrDefault(user, 0);
        }

        int total() {
            return total.get();
        }
    }
}
