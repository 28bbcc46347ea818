/**
 * The service's own WebSocket protocol engine (RFC 6455), plugged into Helidon's HTTP/1.1 server
 * through its public upgrade SPI ({@code Http1UpgradeProvider}) in place of Helidon's
 * {@code WsUpgradeProvider}: the application keeps writing against Helidon's {@code WsListener},
 * {@code WsSession} and {@code WsRouting}, and this package owns the bytes on the wire.
 * <p>
 * Why: Helidon 4.5's WebSocket connection answers reserved opcodes with an HTTP 500 written into
 * the upgraded stream, replaces invalid or split UTF-8 with U+FFFD instead of closing with 1007,
 * answers several protocol errors with 1011 or 1000 instead of 1002, tells the listener nothing
 * when a connection ends without a close frame, and unmasks payloads one byte at a time. Here:
 * every MUST of RFC 6455 sections 5 to 8 with its close code, messages reassembled from fragments
 * and validated as UTF-8 incrementally, the message limit applied from frame headers, payloads
 * unmasked eight bytes at a time, exactly one {@code onClose} per connection however it ends, and
 * every close the server starts reported to the listener ({@link ServerCloseListener}).
 * <p>
 * It depends on Helidon only, never on the application's packages. May use: no other package of the service.
 */
package dev.realtime.ws.protocol;
