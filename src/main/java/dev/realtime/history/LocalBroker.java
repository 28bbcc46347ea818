package dev.realtime.history;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The broker of an instance alone: its history in memory, and every publication handed to this instance's
 * handler at once, on the publisher's thread.
 */
public final class LocalBroker implements Broker {
    private final History history;
    private volatile Consumer<Publication> handler = publication -> { };

    /** @param history where this instance keeps its streams */
    public LocalBroker(History history) {
        this.history = history;
    }

    @Override
    public void onPublication(Consumer<Publication> handler) {
        this.handler = handler;
    }

    /** Delivered before it returns: the stage is complete already. */
    @Override
    public CompletableFuture<Published> publish(String stream, String from, JsonNode payload) {
        Publication publication = history.append(stream, from, payload);
        handler.accept(publication);
        return CompletableFuture.completedFuture(new Published(publication, true, true));
    }

    @Override
    public Position top(String stream) {
        return history.top(stream);
    }

    @Override
    public Replay after(Position since) {
        return history.after(since);
    }
}
