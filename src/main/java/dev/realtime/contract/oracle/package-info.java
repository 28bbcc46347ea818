/**
 * The contract oracle: validates HTTP responses and WebSocket messages against {@code openapi.yaml} and
 * {@code asyncapi.yaml}. The tests check all real traffic through it, and the verifier checks a running service.
 * <p>
 * May use: {@code contract}.
 */
package dev.realtime.contract.oracle;
