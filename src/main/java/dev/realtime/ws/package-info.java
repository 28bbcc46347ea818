/**
 * The application's WebSocket at {@code /}: the handshake's checks, one {@link dev.realtime.ws.RealtimeListener}
 * per connection dispatching the messages of {@code asyncapi.yaml}, the registry of open sessions, server push
 * and recovery ({@link dev.realtime.ws.MessageHub}), each session's outbound queue, keepalive, token expiry and
 * the drain on shutdown. The bytes on the wire are {@code ws.protocol}'s.
 * <p>
 * May use: {@code auth}, {@code cluster}, {@code config}, {@code contract}, {@code history}, {@code limits},
 * {@code metrics}, {@code ws.protocol}.
 */
package dev.realtime.ws;
