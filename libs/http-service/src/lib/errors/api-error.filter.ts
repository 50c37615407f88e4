import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, DomainErrorKind } from '@prov/contracts';
import { ApiErrorBody } from './api-error';

/**
 * Maps every error a request can end with to the API error shape. Errors of
 * the framework (unknown route, malformed JSON, body too large) get the
 * same shape; anything unexpected is a 500 whose details stay in the log.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = toApiError(exception, this.logger);
    if (status === 401 || status === 403) {
      // Who was turned away, from what: the message names the principal and roles, never a credential;
      // the query string is left out, since a client may have put its key there (?api_key=...).
      const request = host.switchToHttp().getRequest<FastifyRequest>();
      const path = request.url.split('?', 1)[0];
      this.logger.warn(`denied ${request.method} ${path} (${status}): ${body.error.message}`);
    }
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}

export function toApiError(exception: unknown, logger: Pick<Logger, 'error'>): { status: number; body: ApiErrorBody } {
  if (exception instanceof DomainError) {
    const { status, code } = BY_KIND[exception.kind];
    return { status, body: { error: { code, message: exception.message, details: exception.details } } };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { status, body: body(codeFor(status), exception.message) };
  }
  const framework = exception as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof framework?.statusCode === 'number' && framework.statusCode >= 400 && framework.statusCode < 500) {
    // Fastify's own errors: FST_ERR_CTP_BODY_TOO_LARGE, FST_ERR_CTP_INVALID_JSON_BODY, ...
    return { status: framework.statusCode, body: body(codeFor(framework.statusCode), String(framework.message)) };
  }
  logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  return { status: 500, body: body('internal', 'Internal error') };
}

const BY_KIND: Record<DomainErrorKind, { status: number; code: string }> = {
  invalid: { status: 400, code: 'invalid_request' },
  unauthenticated: { status: 401, code: 'unauthenticated' },
  forbidden: { status: 403, code: 'forbidden' },
  'not-found': { status: 404, code: 'not_found' },
  conflict: { status: 409, code: 'conflict' },
  'too-large': { status: 413, code: 'payload_too_large' },
  unprocessable: { status: 422, code: 'unprocessable' },
  unavailable: { status: 503, code: 'unavailable' },
};

const body = (code: string, message: string): ApiErrorBody => ({ error: { code, message, details: [] } });

function codeFor(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 422:
      return 'unprocessable';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal' : 'invalid_request';
  }
}
