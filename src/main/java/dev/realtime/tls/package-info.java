/**
 * HTTPS and WSS: loading the PEM certificate and key, and reloading them when the files change.
 * <p>
 * May use: no other package of the service.
 */
package dev.realtime.tls;
