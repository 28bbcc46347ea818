/**
 * The service's own meters ({@code realtime.*}), in Helidon's registry, served at {@code /observe/metrics}.
 * <p>
 * May use: no other package of the service.
 */
package dev.realtime.metrics;
