/**
 * The contract verifier ({@code java -jar realtime-service.jar verify}): provokes every documented response and
 * message of a running service and checks each against the contract it publishes, for pipelines.
 * <p>
 * May use: {@code contract}, {@code contract.oracle}.
 */
package dev.realtime.verify;
