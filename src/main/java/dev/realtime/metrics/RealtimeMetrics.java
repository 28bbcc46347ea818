package dev.realtime.metrics;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;

/**
 * The service's meters, in Helidon's global registry (served at {@code /observe/metrics}; the list
 * is in openapi.yaml under {@code GET /observe/metrics}). Static like the registry itself: one
 * process, one set of meters, whichever class records.
 */
public final class RealtimeMetrics {
    private static final MeterRegistry REGISTRY = Metrics.globalRegistry();
    /**
     * The session registries of the process (one per service; the tests run several services in one JVM), held
     * weakly: a registry nobody uses any more is not kept alive, nor counted, by the gauge.
     */
    private static final List<WeakReference<IntSupplier>> OPEN_SESSIONS = new CopyOnWriteArrayList<>();
    private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();

    static {
        REGISTRY.getOrCreate(Gauge.builder("realtime.sessions.open", RealtimeMetrics::openSessions)
                                     .description("Open WebSocket sessions"));
    }

    private RealtimeMetrics() {
    }

    /**
     * The gauge {@code realtime.sessions.open} reads {@code openSessions} (a session registry's own count) for as
     * long as the caller holds it strongly.
     */
    public static void countOpenSessions(IntSupplier openSessions) {
        OPEN_SESSIONS.add(new WeakReference<>(openSessions));
    }

    private static int openSessions() {
        int open = 0;
        for (WeakReference<IntSupplier> reference : OPEN_SESSIONS) {
            IntSupplier registry = reference.get();
            if (registry == null) {
                OPEN_SESSIONS.remove(reference);
            } else {
                open += registry.getAsInt();
            }
        }
        return open;
    }

    /** A client message of {@code type} was received ({@code realtime.messages.in}). */
    public static void messageIn(String type) {
        counter("realtime.messages.in", "type", type).increment();
    }

    /** {@code count} server messages of {@code type} were queued ({@code realtime.messages.out}). */
    public static void messagesOut(String type, long count) {
        if (count > 0) {
            counter("realtime.messages.out", "type", type).increment(count);
        }
    }

    /** Messages sent again to sessions that resumed after a reconnect. */
    public static void messagesReplayed(long count) {
        if (count > 0) {
            counter("realtime.messages.replayed", null, null).increment(count);
        }
    }

    /** A session resumed: whether every stream it named was recovered. */
    public static void resumed(boolean recovered) {
        counter("realtime.resumes", "result", recovered ? "recovered" : "not_recovered").increment();
    }

    /** An error with {@code code} was answered, over HTTP or the WebSocket ({@code realtime.errors}). */
    public static void error(String code) {
        counter("realtime.errors", "code", code).increment();
    }

    /** Every close the server initiates, by close code (1001, 1003, 1008, 1009, ...). */
    public static void serverClose(int code) {
        counter("realtime.closes", "code", String.valueOf(code)).increment();
    }

    /** A backplane (Redis) operation failed: cross-instance delivery or presence did not happen. */
    public static void backplaneFailure() {
        counter("realtime.backplane.failures", null, null).increment();
    }

    /** A session was closed as a slow consumer. */
    public static void slowConsumerClosed() {
        counter("realtime.slow.consumers", null, null).increment();
    }

    /** A {@code POST /login} attempt and its outcome. */
    public static void login(boolean succeeded) {
        counter("realtime.logins", "result", succeeded ? "success" : "failure").increment();
    }

    /** A push reached {@code sessions} sessions. */
    public static void pushDelivered(long sessions) {
        counter("realtime.publish.delivered", null, null).increment(sessions);
    }

    /** The current count of a counter, for tests and diagnostics (0 if it was never incremented). */
    public static long count(String name, String tag, String value) {
        return counter(name, tag, value).count();
    }

    private static Counter counter(String name, String tag, String value) {
        return COUNTERS.computeIfAbsent(name + "|" + tag + "=" + value, key -> REGISTRY.getOrCreate(
                Counter.builder(name).tags(tag == null ? List.of() : List.of(Tag.create(tag, value)))));
    }
}
