/**
 * Message positions and bounded history, so that a client that reconnects gets what it missed.
 * <p>
 * Every pushed message that is not ephemeral belongs to a stream ({@link History#BROADCAST}, or one
 * user's stream for direct messages and targeted pushes) and takes the next offset in it; the stream's
 * epoch changes whenever its history was lost. {@link History} keeps the last messages of each stream,
 * bounded by count and age, and answers "everything after this position" or why it cannot.
 * <p>
 * Speaks value types only ({@link Position}, {@link Publication}, {@link Replay}); it knows nothing of
 * sessions or connections. May use: {@code config}, {@code contract} (the size of a payload).
 */
package dev.realtime.history;
