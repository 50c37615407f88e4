import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `nx run explorer-web:bundle` writes the page (the workspace's dist folder). */
export const EXPLORER_BUILD_DIR = resolve(__dirname, '..', '..', '..', '..', '..', 'dist', 'explorer-web');

/**
 * The page loads nothing but its own bundle and talks only to this gateway:
 * no external origin, no inline script, no framing.
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const EXPLORER_NOT_BUILT =
  'The lineage explorer is not built: run `npx nx run explorer-web:bundle` (npm start and the e2e tests build it first)';

/**
 * Serves the lineage explorer (libs/explorer-web's build) at `/`, outside
 * the API's authentication: the page is public, every call it makes carries
 * the key its user logs in with. Bundled assets have content hashes in their
 * names, so they are cached for good; the page itself is revalidated.
 * Without a build, `/` says how to make one instead of a bare 404.
 */
export async function mountExplorerPage(app: NestFastifyApplication, directory: string): Promise<void> {
  if (!existsSync(join(directory, 'index.html'))) {
    app
      .getHttpAdapter()
      .getInstance()
      .get('/', async (_request, reply) =>
        reply.code(503).send({ error: { code: 'explorer_not_built', message: EXPLORER_NOT_BUILT, details: [] } }),
      );
    return;
  }
  const assets = join(directory, 'assets', '');
  await app.register(fastifyStatic, {
    root: directory,
    prefix: '/',
    // Routes for the files built, found once at start: the API's own routes and 404s stay untouched.
    wildcard: false,
    index: ['index.html'],
    cacheControl: false,
    etag: true,
    setHeaders: (reply, path) => {
      reply.headers({
        'content-security-policy': EXPLORER_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    },
  });
}
