/**
 * The HTTP API of {@code openapi.yaml}: login and refresh, publishing, the session list, the published specs and
 * docs, and what every route shares (security headers, the CORS refusal, problem documents for every error,
 * 405 and 426 answers). Handlers turn requests into calls on {@code auth}, {@code limits} and the message hub.
 * <p>
 * May use: {@code auth}, {@code cluster}, {@code config}, {@code contract}, {@code limits}, {@code metrics}, {@code ws}.
 */
package dev.realtime.http;
