package dev.realtime.cluster;

import java.lang.System.Logger.Level;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import dev.realtime.cluster.ClusterMessage.PresenceEvent;
import dev.realtime.cluster.ClusterMessage.StreamMessage;
import dev.realtime.contract.Json;

/**
 * The pub/sub channel every instance publishes on and listens to ({@code realtime:bus}), in the manner of
 * Socket.IO's Redis adapter: presence events of the other instances, and every instance's positioned stream
 * messages, which the {@link RedisBroker}'s script publishes.
 */
final class RedisBus {
    private static final System.Logger LOG = System.getLogger(RedisBus.class.getName());
    static final String CHANNEL = "realtime:bus";

    private final RedisConnection redis;
    private volatile Consumer<PresenceEvent> presenceHandler = event -> { };
    private volatile Consumer<StreamMessage> messageHandler = message -> { };
    /**
     * Stream messages, handed from Lettuce's event loop to one virtual thread that delivers them in the order
     * they came: delivering takes a stream's lock, which a thread may hold while it waits for Redis, and Redis's
     * answers arrive on that event loop.
     */
    private final BlockingQueue<StreamMessage> messages = new LinkedBlockingQueue<>();
    private final Thread deliverer;
    private volatile StatefulRedisPubSubConnection<String, String> subscription;

    RedisBus(RedisConnection redis) {
        this.redis = redis;
        this.deliverer = Thread.ofVirtual().name("backplane-publications").start(this::deliverMessages);
    }

    /** Where the other instances' presence events go. */
    void onPresence(Consumer<PresenceEvent> handler) {
        this.presenceHandler = handler;
    }

    /** Where every instance's stream messages go, this one's included, in the order the bus carried them. */
    void onStreamMessage(Consumer<StreamMessage> handler) {
        this.messageHandler = handler;
    }

    /**
     * Subscribes to the channel if it is not subscribed yet.
     *
     * @return false if Redis could not be reached
     */
    synchronized boolean subscribe() {
        if (subscription != null) {
            return true;
        }
        var connection = redis.connectPubSub();
        if (connection.isEmpty()) {
            return false;
        }
        var pubsub = connection.get();
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String text) {
                receive(text);
            }
        });
        try {
            pubsub.sync().subscribe(CHANNEL);
        } catch (RedisException e) {
            pubsub.closeAsync();
            redis.unreachable(e);
            return false;
        }
        subscription = pubsub;
        return true;
    }

    /** Whether a first subscription was made (Lettuce re-subscribes it after a reconnect). */
    boolean hasSubscription() {
        return subscription != null;
    }

    boolean isSubscribed() {
        var pubsub = subscription;
        return pubsub != null && pubsub.isOpen();
    }

    /** @return false if the other instances could not be reached */
    boolean publish(ClusterMessage message) {
        return redis.run("publish", commands -> commands.publish(CHANNEL, Json.write(message))).isPresent();
    }

    void close() {
        deliverer.interrupt();
    }

    private void receive(String text) {
        try {
            switch (Json.read(text, ClusterMessage.class)) {
            case StreamMessage message when message.position() == null ->
                    LOG.log(Level.WARNING, "Backplane: dropped a " + message.kind() + " message without its position");
            case StreamMessage message -> messages.add(message);
            case PresenceEvent event -> {
                if (!redis.instanceId().equals(event.origin())) {
                    presenceHandler.accept(event);
                }
            }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Backplane: dropped an unreadable message: " + e.getMessage());
        }
    }

    private void deliverMessages() {
        while (true) {
            StreamMessage message;
            try {
                message = messages.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                messageHandler.accept(message);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Backplane: delivering a message failed", e);
            }
        }
    }
}
