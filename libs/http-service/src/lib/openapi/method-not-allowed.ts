import type { FastifyInstance } from 'fastify';
import FindMyWay from 'find-my-way';

/**
 * A request for a path the service serves, with a method it does not serve
 * there, gets 405 with an `Allow` header naming the methods it does (RFC 9110
 * section 15.5.6); only a path it does not serve at all gets 404.
 */
export function answerUnservedMethods(fastify: FastifyInstance): void {
  const paths = FindMyWay();
  const methodsOf = new Map<string, Set<string>>();
  fastify.addHook('onRoute', (route) => {
    let methods = methodsOf.get(route.url);
    if (!methods) {
      methods = new Set();
      methodsOf.set(route.url, methods);
      // One entry per path, whatever its methods: the lookup below only asks whether the path is served.
      paths.on('GET', route.url, () => undefined, { url: route.url });
    }
    for (const method of [route.method].flat()) methods.add(method);
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const found = paths.find('GET', request.url.split('?')[0]);
    const methods = found && methodsOf.get((found.store as { url: string }).url);
    if (!methods || methods.has(request.method)) return;
    const allowed = [...methods].sort().join(', ');
    await reply
      .code(405)
      .header('allow', allowed)
      .header('content-type', 'application/json; charset=utf-8')
      .send({
        error: {
          code: 'method_not_allowed',
          message: `${request.method} is not served at this path; ${allowed} are`,
          details: [],
        },
      });
  });
}
