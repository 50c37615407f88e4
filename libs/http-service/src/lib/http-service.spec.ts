import { Body, Controller, Get, Logger, Module, Param, Post, Query } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OmitType } from '@nestjs/swagger';
import { ApiKeyVerifier, Principal, generateApiKey } from '@prov/auth';
import { IsJsonObject } from '@prov/contracts';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { CurrentPrincipal, PublicRoute, RequireRoles } from './auth/auth.decorators';
import { deflateSync, gzipSync } from 'node:zlib';
import { ConflictError, NotFoundError } from './errors/api-error';
import { ApiAnswer, ApiPathParam, ApiRefusal } from './openapi/openapi.decorators';
import { createHttpService } from './http-service';

class PartDto {
  @IsString() path!: string;
  @IsInt() @Min(0) sizeBytes!: number;
}
class ManifestDto {
  @IsString() source!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => PartDto) parts!: PartDto[];
  @IsObject() labels!: Record<string, string>;
  @IsOptional() @IsString() note?: string;
  @IsOptional() @IsJsonObject() params?: Record<string, unknown>;
}

class ManifestQuery {
  /** How much of the manifest to show. */
  @IsOptional() @IsIn(['parts', 'all']) view?: string;
}

/** A request that only extends a mapped type, as the services' requests extend their event payloads. */
class BareManifestRequest extends OmitType(ManifestDto, ['labels'] as const) {}

@Controller('v1/manifests')
class ManifestController {
  @Post('bare')
  @RequireRoles('data-steward')
  acceptBare(@Body() body: BareManifestRequest) {
    return { accepted: body.parts.length };
  }

  @Post()
  @RequireRoles('data-steward')
  accept(@Body() body: ManifestDto, @CurrentPrincipal() principal: Principal) {
    if (body.source === 'taken') throw new ConflictError('manifest already registered with other content');
    return { accepted: body.parts.length, by: principal.id, labels: body.labels };
  }

  @Get('formats')
  @PublicRoute()
  formats() {
    return { formats: ['json'] };
  }

  @Get(':id')
  @ApiAnswer(200, 'Manifest', 'The manifest')
  @ApiPathParam('id', /^m-[0-9]+$/, 'A manifest id')
  @ApiRefusal(409, 'Being written')
  read(@Param('id') id: string, @Query() query: ManifestQuery) {
    if (id !== 'm-1') throw new NotFoundError(`no manifest ${id}`);
    return { id, view: query.view ?? 'all' };
  }
}
@Module({ controllers: [ManifestController] })
class ManifestModule {}

describe('http service', () => {
  const steward = generateApiKey('alice', ['data-steward']);
  const viewer = generateApiKey('victor', ['viewer']);
  let ready = true;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createHttpService({
      name: 'test-service',
      description: 'test',
      imports: [ManifestModule],
      apiKeys: new ApiKeyVerifier([steward.record, viewer.record]),
      readinessChecks: [{ name: 'event-log', check: async () => ready }],
      bodyLimitBytes: 64 * 1024,
      maxFieldBytes: 1024,
      answerSchemas: {
        Manifest: { type: 'object', properties: { id: { $ref: '#/components/schemas/answers.ManifestId' } } },
        ManifestId: { type: 'string' },
        Unused: { type: 'number' },
      },
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const post = (body: unknown, token: string | null = steward.token, raw?: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/manifests',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: raw ?? JSON.stringify(body),
    });
  const valid = {
    source: 's3://lake/x',
    parts: [{ path: 'a.parquet', sizeBytes: 3 }],
    labels: { 'a.b': 'c', $d: 'e' },
  };

  it('accepts a valid request from an allowed role, user-map keys included', async () => {
    const res = await post(valid);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ accepted: 1, by: 'alice', labels: { 'a.b': 'c', $d: 'e' } });
  });

  it('answers 401 without credentials and with a wrong key', async () => {
    for (const token of [null, 'prov_aaaaaaaaaaaa_' + 'x'.repeat(43)]) {
      const res = await post(valid, token);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
    }
  });

  it('refuses a body whose object names a key twice, with a 400 naming it, whichever value would have won', async () => {
    const res = await post(undefined, steward.token, '{"source":"s3://lake/x","source":"s3://lake/y","parts":[]}');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([expect.objectContaining({ path: 'source' })]);
  });

  it('refuses a body that is not UTF-8 with a 400 that says so, instead of rewriting it', async () => {
    const text = '{"source":"s3://lake/\u0000","parts":[{"path":"a.parquet","sizeBytes":3}],"labels":{}}';
    for (const invalid of [Buffer.from([0xf0, 0x90, 0x80]), Buffer.from([0xff]), Buffer.from([0xc3])]) {
      const [before, after] = text.split('\u0000');
      const payload = Buffer.concat([Buffer.from(before), invalid, Buffer.from(after)]);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/manifests',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${steward.token}` },
        payload,
      });
      expect({ bytes: invalid.toString('hex'), status: res.statusCode }).toEqual({
        bytes: invalid.toString('hex'),
        status: 400,
      });
      expect(res.json().error.details).toEqual([expect.objectContaining({ problem: expect.stringMatching(/UTF-8/) })]);
    }
    const valid = Buffer.from(text.replace('\u0000', 'é€😀'));
    const res = await app.inject({
      method: 'POST',
      url: '/v1/manifests',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${steward.token}` },
      payload: valid,
    });
    expect(res.statusCode).toBe(201);
  });

  it('takes bodies sent gzip- or deflate-encoded, counts the body limit on the inflated bytes, and refuses other encodings', async () => {
    const send = (payload: Buffer, encoding: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/manifests',
        headers: {
          'content-type': 'application/json',
          'content-encoding': encoding,
          authorization: `Bearer ${steward.token}`,
        },
        payload,
      });
    const text = Buffer.from(JSON.stringify(valid));
    expect((await send(gzipSync(text), 'gzip')).statusCode).toBe(201);
    expect((await send(deflateSync(text), 'deflate')).statusCode).toBe(201);
    // 64 KiB limit: a few hundred compressed bytes that inflate to 10 MB.
    const bomb = gzipSync(Buffer.from(`{"source":"${'x'.repeat(10 * 1024 * 1024)}"}`));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const refused = await send(bomb, 'gzip');
    expect(refused.statusCode).toBe(413);
    expect(refused.json().error.code).toBe('payload_too_large');
    expect((await send(text, 'br')).statusCode).toBe(415);
    expect((await send(Buffer.from('not gzip'), 'gzip')).statusCode).toBe(400);
  });

  it('never logs a key sent in a query string', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const res = await app.inject({
        method: 'POST',
        url: `/v1/manifests?api_key=${encodeURIComponent(steward.token)}&token=${encodeURIComponent(viewer.token)}`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(valid),
      });
      expect(res.statusCode).toBe(401);
      const logged = warn.mock.calls.map(([message]) => String(message)).join('\n');
      expect(logged).toMatch(/^denied POST \/v1\/manifests \(401\)/);
      expect(logged).not.toContain(steward.token.slice(-20));
      expect(logged).not.toContain(viewer.token.slice(-20));
    } finally {
      warn.mockRestore();
    }
  });

  it('takes the Bearer scheme in any case, and more than one space before the key (RFC 9110 section 11.1)', async () => {
    for (const scheme of ['bearer', 'BEARER', 'BeArEr', 'Bearer  ']) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/manifests',
        headers: { 'content-type': 'application/json', authorization: `${scheme} ${steward.token}` },
        payload: JSON.stringify(valid),
      });
      expect({ scheme, status: res.statusCode }).toEqual({ scheme, status: 201 });
    }
    for (const malformed of [`Basic ${steward.token}`, `Bearer${steward.token}`, `Bearer ${steward.token} extra`]) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/manifests',
        headers: { 'content-type': 'application/json', authorization: malformed },
        payload: JSON.stringify(valid),
      });
      expect({ malformed: malformed.slice(0, 12), status: res.statusCode }).toEqual({
        malformed: malformed.slice(0, 12),
        status: 401,
      });
    }
  });

  it('answers 403 to a role the route does not allow, and logs the denial without the credential', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const res = await post(valid, viewer.token);
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('data-steward') });
      const logged = warn.mock.calls.map(([message]) => String(message));
      expect(logged).toEqual([expect.stringMatching(/^denied POST \S+ \(403\): .*data-steward/)]);
      expect(logged.join('')).not.toContain(viewer.token);
    } finally {
      warn.mockRestore();
    }
  });

  it('answers 400 with the path of every invalid field', async () => {
    const res = await post({ ...valid, parts: [{ path: 'a', sizeBytes: -1 }, { sizeBytes: 'x' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual([
      'parts[0].sizeBytes',
      'parts[1].path',
      'parts[1].sizeBytes',
      'parts[1].sizeBytes',
    ]);
  });

  it.each([['$where'], ['parts.0'], ['unexpected']])('refuses the unknown field %s with its path', async (key) => {
    const res = await post({ ...valid, [key]: { $gt: '' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toContainEqual({
      path: expect.stringContaining(key),
      problem: expect.stringContaining('should not exist'),
    });
  });

  it('answers 400 in the API error shape to malformed JSON', async () => {
    const res = await post(undefined, steward.token, '{"source":');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'invalid_request', message: expect.any(String), details: [] } });
  });

  it('answers 400 naming the path to __proto__ and constructor.prototype keys, wherever they are', async () => {
    for (const [raw, path] of [
      ['{"__proto__": {"x": 1}}', '__proto__'],
      ['{"labels": {"a": [{"__proto__": []}]}}', 'labels.a[0].__proto__'],
      ['{"parts": [{"constructor": {"prototype": {"admin": true}}}]}', 'parts[0].constructor'],
    ]) {
      const res = await post(undefined, steward.token, raw);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid_request', details: [{ path }] });
    }
  });

  it('answers 400 naming the path to a body nested 10,000 levels deep, without overflowing the stack', async () => {
    const depth = 10_000;
    const res = await post(
      undefined,
      steward.token,
      `{"source":"s","parts":[],"labels":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'invalid_request',
      details: [{ path: `labels${'[0]'.repeat(63)}`, problem: 'nests deeper than 64 levels' }],
    });
    expect((await post(valid)).statusCode).toBe(201);
  });

  it('answers 413 in the API error shape to a body over the limit', async () => {
    const res = await post(undefined, steward.token, JSON.stringify({ ...valid, source: 'x'.repeat(100 * 1024) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('maps domain errors to their status', async () => {
    const res = await post({ ...valid, source: 'taken' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toEqual({
      code: 'conflict',
      message: 'manifest already registered with other content',
      details: [],
    });
  });

  it('answers 404 in the API error shape to an unknown route', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/nothing',
      headers: { authorization: `Bearer ${steward.token}` },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('serves health, readiness, metrics and OpenAPI without credentials', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    ready = false;
    const notReady = await app.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().checks).toEqual([{ name: 'event-log', ok: false }]);
    ready = true;
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('route="/v1/manifests"');
    const openapi = await app.inject({ method: 'GET', url: '/docs/openapi.json' });
    expect(openapi.json().paths).toHaveProperty('/v1/manifests');
    expect(openapi.json().components.schemas.ManifestDto).toMatchObject({
      properties: { source: { type: 'string' }, parts: { type: 'array' } },
      required: ['source', 'parts', 'labels'],
      additionalProperties: false,
    });
    const bare = openapi.json().components.schemas.BareManifestRequest;
    expect(bare).toMatchObject({ required: ['source', 'parts'], additionalProperties: false });
    expect(Object.keys(bare.properties).sort()).toEqual(['note', 'params', 'parts', 'source']);
  });

  it('refuses null where the schema has none, naming the field, and takes it inside a user map', async () => {
    const note = await post({ ...valid, note: null });
    expect(note.statusCode).toBe(400);
    expect(note.json().error.details).toEqual([
      { path: 'note', problem: 'must not be null (leave an optional field out)' },
    ]);
    const part = await post({ ...valid, parts: [{ path: null, sizeBytes: 1 }] });
    expect(part.json().error.details).toContainEqual({
      path: 'parts[0].path',
      problem: expect.stringContaining('null'),
    });
    expect((await post({ ...valid, labels: { a: null } })).statusCode).toBe(201);
    // Beside what the validation rules find: every problem at once.
    const both = await post({ source: 's3://lake/x', labels: {}, note: null });
    expect(both.json().error.details.map((d: { path: string }) => d.path)).toEqual(['note', 'parts']);
    expect((await post({ ...valid, note: 'kept' })).statusCode).toBe(201);
  });

  it('answers 405 naming the methods it serves to a method a path does not serve, 404 to a path it does not serve', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/manifests',
      headers: { authorization: `Bearer ${steward.token}` },
    });
    expect(put.statusCode).toBe(405);
    expect(put.headers['allow']).toBe('POST');
    expect(put.json().error.code).toBe('method_not_allowed');
    const deleted = await app.inject({ method: 'DELETE', url: '/v1/manifests/m-1?view=all' });
    expect(deleted.statusCode).toBe(405);
    expect(deleted.headers['allow']).toBe('GET, HEAD');
    expect((await app.inject({ method: 'PUT', url: '/v1/nothing' })).statusCode).toBe(404);
  });

  it('documents every answer a route sends: its answer schema, its query, its path pattern and each refusal', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    expect(document.openapi).toBe('3.1.0');
    const read = document.paths['/v1/manifests/{id}'].get;
    expect(read.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/answers.Manifest',
    });
    // The answer schemas the routes name, and those they refer to; no others.
    expect(document.components.schemas['answers.Manifest']).toBeDefined();
    expect(document.components.schemas['answers.ManifestId']).toEqual({ type: 'string' });
    expect(document.components.schemas['answers.Unused']).toBeUndefined();
    expect(read.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'id',
          in: 'path',
          required: true,
          schema: { type: 'string', pattern: '^m-[0-9]+$' },
        }),
        expect.objectContaining({
          name: 'view',
          in: 'query',
          required: false,
          schema: expect.objectContaining({ enum: ['parts', 'all'] }),
        }),
      ]),
    );
    // Shared refusals where they apply, the route's own as it declared them.
    expect(Object.keys(read.responses).sort()).toEqual(['200', '400', '401', '404', '409', '431', '503']);
    expect(read.responses['409'].description).toBe('Being written');
    const write = document.paths['/v1/manifests'].post;
    expect(Object.keys(write.responses).sort()).toEqual(['201', '400', '401', '403', '413', '415', '503']);
    expect(write.responses['403'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ApiErrorBodySchema',
    });
    expect(document.components.schemas.ApiErrorBodySchema).toBeDefined();
    // A public route needs no key: neither 401 nor 403 is documented for it.
    expect(Object.keys(document.paths['/v1/manifests/formats'].get.responses).sort()).toEqual(['200', '503']);
  });

  it('answers 413 naming each value of a free-form map larger than the field bound, and takes those within it', async () => {
    const big = { layers: 'x'.repeat(2000) };
    const refused = await post({ ...valid, params: { small: 1, big, other: [big] } });
    expect(refused.statusCode).toBe(413);
    expect(refused.json().error.code).toBe('payload_too_large');
    expect(refused.json().error.details).toEqual([
      { path: 'params.big', problem: expect.stringContaining('more than the 1024 allowed (PROV_MAX_FIELD_BYTES)') },
      { path: 'params.other', problem: expect.stringContaining('bytes as JSON') },
    ]);
    expect((await post({ ...valid, params: { small: 1, nested: { a: [1, 2, 3] } } })).statusCode).toBe(201);
  });
});
