import type { FastifyInstance } from 'fastify';
import { InvalidRequestError } from '../errors/api-error';
import { MAX_JSON_DEPTH, nestsDeeperThan, pathBeyondDepth } from './json-depth';

/**
 * Replaces Fastify's JSON body parser with one that refuses bodies nested
 * deeper than MAX_JSON_DEPTH (400 naming the path) before validation, whose
 * recursive walks would otherwise overflow the stack (a 500). Everything
 * else stays Fastify's: the body limit, and `__proto__`/`constructor` keys refused.
 */
export function useDepthLimitedJsonParser(fastify: FastifyInstance, bodyLimitBytes: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: bodyLimitBytes },
    (request, text, done) => {
      const body = text as string;
      if (!nestsDeeperThan(body)) return parseJson(request, body, done);
      parseJson(request, body, (error, value) => {
        if (error) return done(error, undefined);
        const path = pathBeyondDepth(value) ?? '(body)';
        done(new InvalidRequestError([{ path, problem: `nests deeper than ${MAX_JSON_DEPTH} levels` }]), undefined);
      });
    },
  );
}
