package dev.realtime.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

import dev.realtime.config.HistorySettings;
import dev.realtime.contract.Json;
import dev.realtime.history.Broker;
import dev.realtime.history.InMemoryHistory;
import dev.realtime.history.LocalBroker;
import dev.realtime.history.Position;
import dev.realtime.history.Publication;
import dev.realtime.history.Replay;

/**
 * The broker of a cluster, on Redis Streams, in the manner of Centrifugo's Redis engine: one Lua script
 * takes a stream's next offset, appends the message to the stream ({@code XADD … MAXLEN ~}) and publishes it
 * on the bus with its position, all at once (for each message of a batch, in order), so every instance (this
 * one included) receives each stream's messages in offset order, and a client recovers on whichever instance it
 * reaches.
 * <p>
 * Keys: {@code realtime:stream:<stream>} (the Redis stream; entry id {@code <offset>-0}, fields {@code b}: the
 * message as the bus carries it without its position, {@code t}: when, in epoch milliseconds) expiring
 * {@code ttl} after the last message, and {@code realtime:stream-meta:<stream>} (hash: {@code epoch},
 * {@code top}) kept a day longer, so a quiet stream keeps its epoch. If the meta hash is lost, the next
 * message starts a new epoch.
 * <p>
 * While Redis is unreachable a message is positioned in this instance's own history instead (its own epochs,
 * so a client never mistakes those positions for the shared ones) and reaches this instance's sessions only.
 * The shared stream then lacks a message some sessions got: the first time it is reached again it starts a
 * new epoch, so that a client that resumes from before is told {@code epoch_changed}, never given a silent gap.
 */
public final class RedisBroker implements Broker {
    private static final Duration META_TTL = Duration.ofDays(1);
    private static final Map<String, String> DIGESTS = new ConcurrentHashMap<>();
    private static final Executor COMPLETIONS = Executors.newVirtualThreadPerTaskExecutor();
    /** At most this many messages, and this many characters of them, in one script call. */
    private static final int BATCH_MESSAGES = 64;
    private static final int BATCH_CHARS = 64 * 1024;
    /**
     * Lua: the epoch of the stream whose keys are {@code stream} and {@code meta}; a stream that has none (new, or
     * its meta lost) starts over in epoch {@code new}.
     */
    private static final String EPOCH_OF = """
            local function epoch_of(stream, meta, new, meta_ttl)
              local epoch = redis.call('HGET', meta, 'epoch')
              if not epoch then
                epoch = new
                redis.call('HSET', meta, 'epoch', epoch, 'top', 0)
                redis.call('DEL', stream)
                redis.call('EXPIRE', meta, meta_ttl)
              end
              return epoch
            end
            """;
    /**
     * Publishes a batch, in its order: message i has the keys {@code KEYS[2i+1..2i+2]} and the arguments
     * {@code ARGV[6+3i..8+3i]} (its stream as JSON, its bus body, its time); answers each one's epoch and offset.
     * Each message is still one bus message of its own, as a batch of one was before batches; a stream's epoch is
     * read, and its keys' expiry pushed back, once per batch.
     */
    private static final String PUBLISH = EPOCH_OF + """
            local epochs, positions = {}, {}
            for i = 0, #KEYS / 2 - 1 do
              local stream, meta = KEYS[2 * i + 1], KEYS[2 * i + 2]
              local name, body, at = ARGV[6 + 3 * i], ARGV[7 + 3 * i], ARGV[8 + 3 * i]
              local epoch = epochs[meta] or epoch_of(stream, meta, ARGV[4], ARGV[3])
              epochs[meta] = epoch
              local offset = redis.call('HINCRBY', meta, 'top', 1)
              redis.call('XADD', stream, 'MAXLEN', '~', ARGV[1], offset .. '-0', 'b', body, 't', at)
              redis.call('PUBLISH', ARGV[5], '{"position":{"stream":' .. name .. ',"epoch":"' .. epoch
                .. '","offset":' .. offset .. '},' .. string.sub(body, 2))
              positions[#positions + 1] = epoch
              positions[#positions + 1] = offset
            end
            for i = 0, #KEYS / 2 - 1 do
              local stream, meta = KEYS[2 * i + 1], KEYS[2 * i + 2]
              if epochs[meta] then
                redis.call('EXPIRE', stream, ARGV[2])
                redis.call('EXPIRE', meta, ARGV[3])
                epochs[meta] = false
              end
            end
            return positions
            """;
    /** Starts the stream over in a new epoch (ARGV[1]). */
    private static final String RESET = """
            redis.call('HSET', KEYS[2], 'epoch', ARGV[1], 'top', 0)
            redis.call('DEL', KEYS[1])
            redis.call('EXPIRE', KEYS[2], ARGV[2])
            return {ARGV[1]}
            """;
    /** The epoch, the top offset and the entries from offset ARGV[1] on (none if ARGV[1] is empty). */
    private static final String RANGE = EPOCH_OF + """
            local epoch = epoch_of(KEYS[1], KEYS[2], ARGV[2], ARGV[3])
            local top = tonumber(redis.call('HGET', KEYS[2], 'top'))
            local entries = {}
            if ARGV[1] ~= '' and tonumber(ARGV[1]) <= top then
              entries = redis.call('XRANGE', KEYS[1], ARGV[1] .. '-0', '+')
            end
            return {epoch, top, entries}
            """;

    private final RedisConnection redis;
    private final HistorySettings settings;
    private final Clock clock;
    private final LocalBroker fallback;
    /** Streams that got a message while Redis was unreachable, to start over in a new epoch once it is back. */
    private final Set<String> diverged = ConcurrentHashMap.newKeySet();
    private volatile Consumer<Publication> handler = publication -> { };
    /** Messages not sent to Redis yet, in the order they were published. */
    private final Queue<Pending> queued = new ConcurrentLinkedQueue<>();
    /** Whether a batch is out: taken from {@link #queued}, its answer not handled yet. */
    private final AtomicBoolean sending = new AtomicBoolean();
    /** Held while a diverged stream is started over; never while taking a stream's lock. */
    private final ReentrantLock healing = new ReentrantLock();

    /** @param backplane whose connection, error policy and bus the broker shares */
    public RedisBroker(RedisBackplane backplane, HistorySettings settings, Clock clock) {
        this.redis = backplane.connection();
        this.settings = settings;
        this.clock = clock;
        this.fallback = new LocalBroker(new InMemoryHistory(settings, clock));
        fallback.onPublication(publication -> handler.accept(publication));
        backplane.bus().onStreamMessage(message -> handler.accept(message.publication()));
    }

    @Override
    public void onPublication(Consumer<Publication> handler) {
        this.handler = handler;
    }

    /**
     * Queues the message and sends it at once unless a batch is out, in which case the answer to that batch sends
     * it with whatever else queued meanwhile: nothing waits to be batched, and under load Redis and both ends of the
     * connection pay one script call, one write and one wake-up per batch instead of per message. The caller does
     * not wait for Redis's round trip; the stage completes on a virtual thread, never on Lettuce's event loop, which
     * must stay free to read Redis's answers for callers that hold a stream's lock.
     */
    @Override
    public CompletableFuture<Published> publish(String stream, String from, JsonNode payload) {
        Instant at = clock.instant();
        String body = Json.write(ClusterMessage.StreamMessage.of(redis.instanceId(), stream, from, payload, at));
        Pending message = new Pending(stream, from, payload, at, body, new CompletableFuture<>());
        queued.add(message);
        sendQueued();
        return message.published();
    }

    /** A message not sent to Redis yet. */
    private record Pending(String stream, String from, JsonNode payload, Instant at, String body,
                           CompletableFuture<Published> published) {
    }

    /**
     * Sends what is queued, in its order, as one script call, unless a batch is out already (one at a time keeps
     * the order, and is what lets a batch form). Runs on a publisher's thread, which holds its stream's lock, or on
     * the thread that handled the previous batch's answer; never on the event loop.
     */
    private void sendQueued() {
        while (!queued.isEmpty() && sending.compareAndSet(false, true)) {
            List<Pending> batch = takeBatch();
            if (batch.isEmpty()) {
                sending.set(false);
                continue;
            }
            // Starting a diverged stream over waits for Redis, and a message that cannot go is delivered here at once,
            // taking its stream's lock: both on a thread that holds no lock, not on the publisher's.
            CompletableFuture<List<Pending>> ready = batch.stream().noneMatch(message -> diverged.contains(message.stream()))
                    ? CompletableFuture.completedFuture(batch)
                    : CompletableFuture.supplyAsync(() -> shared(batch), COMPLETIONS);
            ready.thenCompose(this::send).whenCompleteAsync((sent, failure) -> answered(batch, sent, failure), COMPLETIONS);
            return;
        }
    }

    /** A batch's messages that went to Redis, and what the script answered (empty if it failed). */
    private record Sent(List<Pending> messages, Optional<List<Object>> positions) {
    }

    private CompletableFuture<Sent> send(List<Pending> shared) {
        if (shared.isEmpty()) {
            return CompletableFuture.completedFuture(new Sent(shared, Optional.of(List.of())));
        }
        try {
            return redis.runAsync("publish", commands -> script(commands, PUBLISH, keys(shared), arguments(shared)))
                    .thenApply(positions -> new Sent(shared, positions));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * On a virtual thread: positions the messages that could not go here (in order, before the next batch goes),
     * sends the next batch, then answers this one's publishers.
     */
    private void answered(List<Pending> batch, Sent sent, Throwable failure) {
        List<Published> published = List.of();
        try {
            if (failure == null) {
                published = published(sent.messages(), sent.positions());
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        sending.set(false);
        sendQueued();
        for (int i = 0; i < published.size(); i++) {
            sent.messages().get(i).published().complete(published.get(i));
        }
        if (failure != null) {
            for (Pending message : batch) {
                message.published().completeExceptionally(failure); // a no-op for those already answered
            }
        }
    }

    /** Up to {@link #BATCH_MESSAGES} messages and {@link #BATCH_CHARS} characters of them (at least one), oldest first. */
    private List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>();
        int chars = 0;
        for (Pending next; batch.size() < BATCH_MESSAGES && (next = queued.peek()) != null
                && (batch.isEmpty() || chars + next.body().length() <= BATCH_CHARS); chars += next.body().length()) {
            batch.add(queued.poll());
        }
        return batch;
    }

    /**
     * The messages that can go to Redis: each stream that diverged starts over in a new epoch first. If that fails,
     * Redis is unreachable and the whole batch is positioned here (degraded) at once, in order, rather than each
     * message waiting out Redis's timeout in turn.
     */
    private List<Pending> shared(List<Pending> batch) {
        for (Pending message : batch) {
            if (diverged.contains(message.stream())
                    && redis.run("restart a stream's epoch", commands -> heal(commands, message.stream())).isEmpty()) {
                batch.forEach(each -> each.published().complete(degraded(each)));
                return List.of();
            }
        }
        return batch;
    }

    /** What the script answered for each message (its epoch and offset), or each one degraded if it failed. */
    private List<Published> published(List<Pending> batch, Optional<List<Object>> positions) {
        List<Published> published = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Pending message = batch.get(i);
            published.add(positions.isEmpty() ? degraded(message)
                    : new Published(new Publication(new Position(message.stream(), (String) positions.get().get(2 * i),
                                                                 (Long) positions.get().get(2 * i + 1)),
                                                    message.at(), message.from(), message.payload()), true, false));
        }
        return published;
    }

    private static String[] keys(List<Pending> batch) {
        String[] keys = new String[2 * batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            String[] own = keys(batch.get(i).stream());
            keys[2 * i] = own[0];
            keys[2 * i + 1] = own[1];
        }
        return keys;
    }

    private String[] arguments(List<Pending> batch) {
        String[] arguments = new String[5 + 3 * batch.size()];
        arguments[0] = String.valueOf(settings.size());
        arguments[1] = String.valueOf(settings.ttl().toSeconds());
        arguments[2] = String.valueOf(metaTtl());
        arguments[3] = newEpoch();
        arguments[4] = RedisBus.CHANNEL;
        for (int i = 0; i < batch.size(); i++) {
            Pending message = batch.get(i);
            arguments[5 + 3 * i] = Json.write(message.stream());
            arguments[6 + 3 * i] = message.body();
            arguments[7 + 3 * i] = String.valueOf(message.at().toEpochMilli());
        }
        return arguments;
    }

    /** Redis cannot be reached: positioned in this instance's own history, for this instance's sessions only. */
    private Published degraded(Pending message) {
        diverged.add(message.stream());
        return new Published(fallback.publish(message.stream(), message.from(), message.payload()).join().publication(),
                             false, true);
    }

    @Override
    public Position top(String stream) {
        return range(stream, "").map(range -> new Position(stream, range.epoch, range.top))
                .orElse(new Position(stream, UNAVAILABLE_EPOCH, 0));
    }

    @Override
    public Replay after(Position since) {
        Optional<Range> read = range(since.stream(), String.valueOf(since.offset() + 1));
        if (read.isEmpty()) {
            return new Replay.NotRecovered(Replay.Reason.HISTORY_UNAVAILABLE);
        }
        Range range = read.get();
        if (!range.epoch.equals(since.epoch()) || since.offset() > range.top) {
            return new Replay.NotRecovered(Replay.Reason.EPOCH_CHANGED);
        }
        Instant oldest = clock.instant().minus(settings.ttl());
        List<Publication> missed = range.entries.stream().filter(p -> !p.at().isBefore(oldest)).toList();
        boolean complete = since.offset() == range.top
                || !missed.isEmpty() && missed.getFirst().offset() == since.offset() + 1;
        return complete ? new Replay.Recovered(missed) : new Replay.NotRecovered(Replay.Reason.TOO_OLD);
    }

    private record Range(String epoch, long top, List<Publication> entries) {
    }

    @SuppressWarnings("unchecked")
    private Optional<Range> range(String stream, String from) {
        return redis.run("read history", commands -> {
                    heal(commands, stream);
                    return script(commands, RANGE, keys(stream), from, newEpoch(), String.valueOf(metaTtl()));
                })
                .map(reply -> {
                    String epoch = (String) reply.get(0);
                    List<Publication> entries = new ArrayList<>();
                    for (Object entry : (List<Object>) reply.get(2)) {
                        entries.add(publication(stream, epoch, (List<Object>) entry));
                    }
                    return new Range(epoch, (Long) reply.get(1), entries);
                });
    }

    /** An XRANGE entry: its id ({@code <offset>-0}) and its fields. */
    @SuppressWarnings("unchecked")
    private static Publication publication(String stream, String epoch, List<Object> entry) {
        String id = (String) entry.get(0);
        List<Object> fields = (List<Object>) entry.get(1);
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            values.put((String) fields.get(i), (String) fields.get(i + 1));
        }
        var message = Json.read(values.get("b"), ClusterMessage.StreamMessage.class);
        long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
        return new Publication(new Position(stream, epoch, offset), Instant.ofEpochMilli(Long.parseLong(values.get("t"))),
                               message.from(), message.payload());
    }

    /**
     * Starts a stream that diverged over in a new epoch (throws, like any command, if Redis fails). One at a time: a
     * resume (under the stream's lock) and the publisher (under none) may both find it diverged, and a second reset
     * would drop what was published in between.
     */
    private Boolean heal(RedisCommands<String, String> commands, String stream) {
        healing.lock();
        try {
            if (diverged.contains(stream)) {
                script(commands, RESET, keys(stream), newEpoch(), String.valueOf(metaTtl()));
                diverged.remove(stream);
            }
        } finally {
            healing.unlock();
        }
        return Boolean.TRUE;
    }

    private long metaTtl() {
        return Math.max(META_TTL.toSeconds(), settings.ttl().toSeconds());
    }

    private static String[] keys(String stream) {
        return new String[] {"realtime:stream:" + stream, "realtime:stream-meta:" + stream};
    }

    /** Unique enough to tell one life of a stream from another; not a secret. */
    private static String newEpoch() {
        return Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    }

    /** Runs a script by its digest, sending it whole only if Redis does not have it yet (or any more, after a restart). */
    private static List<Object> script(RedisCommands<String, String> commands, String script, String[] keys, String... args) {
        try {
            return commands.evalsha(digest(script), ScriptOutputType.MULTI, keys, args);
        } catch (RedisNoScriptException e) {
            return commands.eval(script, ScriptOutputType.MULTI, keys, args);
        }
    }

    /** As {@link #script(RedisCommands, String, String[], String...)}, answered later. */
    private static CompletionStage<List<Object>> script(RedisAsyncCommands<String, String> commands, String script, String[] keys,
                                                        String... args) {
        return commands.<List<Object>>evalsha(digest(script), ScriptOutputType.MULTI, keys, args)
                .handle((reply, failure) -> failure == null
                        ? CompletableFuture.completedFuture(reply)
                        : isNoScript(failure)
                                ? commands.<List<Object>>eval(script, ScriptOutputType.MULTI, keys, args).toCompletableFuture()
                                : CompletableFuture.<List<Object>>failedFuture(failure))
                .thenCompose(stage -> stage);
    }

    private static boolean isNoScript(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        return cause instanceof RedisNoScriptException;
    }

    /** The SHA-1 Redis knows a script by (EVALSHA). */
    private static String digest(String script) {
        return DIGESTS.computeIfAbsent(script, text -> {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is part of every JDK", e);
            }
        });
    }
}
