import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiErrorBody } from './api-error';

/**
 * What Node refuses before a request reaches the service (headers not in
 * within the timeout, a request line and headers over its 16 KiB, bytes that
 * are no HTTP), answered in the API's error shape rather than Fastify's own,
 * so that every answer a client gets is one the OpenAPI documents describe.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'the request did not arrive in time']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'request_too_large', 'the request line and headers are over 16 KiB (a query string too long?)']
        : [400, 'invalid_request', 'the request is not HTTP/1.1 this server can read'];
  const body: ApiErrorBody = { error: { code, message, details: [] } };
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
        `Content-Type: application/json\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
