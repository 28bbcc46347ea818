/**
 * What the contract ({@code api-specs/}) fixes, as code: the error codes ({@link dev.realtime.contract.ErrorCode})
 * and errors as values ({@link dev.realtime.contract.ApiException}), the problem document, field rules shared by
 * HTTP and the WebSocket, and the one JSON mapper.
 * <p>
 * May use: no other package of the service.
 */
package dev.realtime.contract;
