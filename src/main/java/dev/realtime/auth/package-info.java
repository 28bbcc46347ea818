/**
 * Who is calling: the user accounts and their bcrypt passwords ({@link dev.realtime.auth.Authenticator}),
 * the HS256 tokens {@code POST /login} issues and every request and upgrade presents
 * ({@link dev.realtime.auth.TokenService}, {@link dev.realtime.auth.RequestAuthenticator}), and the
 * {@link dev.realtime.auth.Identity} (user and roles) a verified token names, with the one role check.
 * <p>
 * May use: {@code config}, {@code contract}.
 */
package dev.realtime.auth;
