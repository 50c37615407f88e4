import type { FastifyInstance } from 'fastify';
import { InvalidRequestError } from '../errors/api-error';
import { MAX_JSON_DEPTH, nestsDeeperThan, pathBeyondDepth, pathOfDuplicateKey, pathOfPrototypeKey } from './json-depth';

/**
 * Replaces Fastify's JSON body parser with one that refuses bodies nested
 * deeper than MAX_JSON_DEPTH (400 naming the path) before validation, whose
 * recursive walks would otherwise overflow the stack (a 500), and that
 * names the path of a refused `__proto__` or `constructor.prototype` key,
 * that refuses a key an object names twice (400 naming it), and that refuses
 * a body that is not UTF-8 (400) rather than rewrite it.
 * Everything else stays Fastify's: the body limit, the parsing itself.
 */
export function useDepthLimitedJsonParser(fastify: FastifyInstance, bodyLimitBytes: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    // As bytes: Fastify's string reading replaces invalid UTF-8 with U+FFFD (and then miscounts the length).
    { parseAs: 'buffer', bodyLimit: bodyLimitBytes },
    (request, bytes, done) => {
      let body: string;
      try {
        body = UTF8.decode(bytes as Buffer);
      } catch {
        const problem = 'is not valid UTF-8 (RFC 8259 section 8.1): nothing was rewritten, send the text as UTF-8';
        return done(new InvalidRequestError([{ path: '(body)', problem }]), undefined);
      }
      parseJson(request, body, (error, value) => {
        if (error) {
          // Text that plain JSON.parse takes (it keeps prototype keys as own keys) was refused for such a key: say where.
          const path = validJson(body) ? pathOfPrototypeKey(JSON.parse(body)) : undefined;
          const problem = path ? { path, problem: 'is a key no body may carry (prototype poisoning)' } : undefined;
          return done(problem ? new InvalidRequestError([problem]) : error, undefined);
        }
        if (nestsDeeperThan(body)) {
          const path = pathBeyondDepth(value) ?? '(body)';
          return done(
            new InvalidRequestError([{ path, problem: `nests deeper than ${MAX_JSON_DEPTH} levels` }]),
            undefined,
          );
        }
        const duplicate = pathOfDuplicateKey(body);
        if (duplicate) {
          return done(
            new InvalidRequestError([
              { path: duplicate, problem: 'is a key its object already has (each key may appear once)' },
            ]),
            undefined,
          );
        }
        done(null, value);
      });
    },
  );
}

/** Refuses invalid UTF-8 instead of replacing it: a provenance record must hold the bytes it was sent. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function validJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
