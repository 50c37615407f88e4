import fastifyCompress from '@fastify/compress';
import { DynamicModule, INestApplication, Module, Type } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiKeyVerifier } from '@prov/auth';
import { NestLogger, processLogger } from '@prov/logging';
import { validatedClassSchemas } from '@prov/contracts';
import { answerClientError } from './errors/client-errors';
import { API_KEY_VERIFIER, ApiKeyGuard } from './auth/api-key.guard';
import { ApiErrorFilter } from './errors/api-error.filter';
import { HealthController } from './health/health.controller';
import { READINESS_CHECKS, ReadinessCheck } from './health/readiness';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY, MetricsController, createMetricsRegistry } from './metrics/metrics';
import { useDepthLimitedJsonParser } from './json-body/json-body.parser';
import { createRequestValidationPipe } from './request-validation.pipe';
import { ApiErrorBodySchema } from './errors/api-error.schema';
import { completeOpenApiDocument } from './openapi/complete-openapi-document';
import { controllerHandlers } from './openapi/controller-handlers';
import { answerUnservedMethods } from './openapi/method-not-allowed';

export interface HttpServiceOptions {
  /** The service's name, in metrics and the OpenAPI title (its logs carry the process's, see startLogging). */
  name: string;
  description: string;
  /** The feature modules of the service. */
  imports: Array<Type | DynamicModule>;
  apiKeys: ApiKeyVerifier;
  readinessChecks?: ReadinessCheck[];
  bodyLimitBytes: number;
  /** A registry the service's own metrics are already in; `/metrics` serves it, with the common metrics added. */
  metricsRegistry?: Registry;
  /** The largest JSON of one value of a free-form map (a hyperparameter); 64 KiB by default. */
  maxFieldBytes?: number;
  /** The schemas of the answers its routes name with `@ApiAnswer` (the SDK's `answerSchemas`). */
  answerSchemas?: Readonly<Record<string, Record<string, unknown>>>;
  /** Schemas its routes refer to beyond those, by component name (an OpenLineage RunEvent). */
  documentSchemas?: Readonly<Record<string, Record<string, unknown>>>;
}

/**
 * Clients too slow to be honest are cut off, so that a few slow-loris
 * connections cannot hold the server's sockets: the headers must arrive within
 * 10 s and the whole request within 60 s (a 32 MiB batch needs ~5 Mbit/s),
 * checked every second. Fastify disables Node's request timeout by default.
 */
export const SLOW_CLIENT_TIMEOUTS = {
  requestTimeout: 60_000,
  http: { headersTimeout: 10_000, connectionsCheckingInterval: 1_000 },
};

/**
 * Builds a NestJS service on Fastify with what every service of the platform
 * has: API-key authentication, the API error shape, request validation,
 * `/healthz`, `/readyz`, `/metrics`, `/docs` and JSON logs.
 */
export async function createHttpService(options: HttpServiceOptions): Promise<NestFastifyApplication> {
  const { registry, httpDuration } = createMetricsRegistry(options.name, options.metricsRegistry);

  @Module({
    imports: options.imports,
    controllers: [HealthController, MetricsController],
    providers: [
      { provide: API_KEY_VERIFIER, useValue: options.apiKeys },
      { provide: APP_GUARD, useClass: ApiKeyGuard },
      { provide: READINESS_CHECKS, useValue: options.readinessChecks ?? [] },
      { provide: METRICS_REGISTRY, useValue: registry },
    ],
  })
  class HttpServiceModule {}

  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes,
    logger: false,
    clientErrorHandler: answerClientError,
    ...SLOW_CLIENT_TIMEOUTS,
  });
  const app = await NestFactory.create<NestFastifyApplication>(HttpServiceModule, adapter, {
    logger: new NestLogger(processLogger()),
    bufferLogs: false,
    // Bodies are JSON only, parsed by useDepthLimitedJsonParser below.
    bodyParser: false,
  });

  const fastify = app.getHttpAdapter().getInstance();
  // Bodies sent with Content-Encoding gzip or deflate (an option of the OpenLineage client and most HTTP clients)
  // are inflated before parsing, and the body limit counts the inflated bytes: a decompression bomb is a 413.
  // Other encodings get a 415; answers are not compressed.
  await app.register(fastifyCompress, {
    globalCompression: false,
    requestEncodings: ['gzip', 'deflate', 'identity'],
  });
  useDepthLimitedJsonParser(fastify, options.bodyLimitBytes);
  answerUnservedMethods(fastify);
  fastify.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.useGlobalFilters(new ApiErrorFilter());
  // Request bodies are declared once, with class-validator: the pipe walks a body along its class's schema, and
  // the document describes it by the same schema.
  const schemas = requestSchemas(app);
  app.useGlobalPipes(createRequestValidationPipe(schemas, options.maxFieldBytes));
  mountOpenApi(app, options, schemas);
  return app;
}

/**
 * The JSON Schema of every validated class, and of every class a handler
 * takes as a parameter: a request class that only extends a mapped type
 * (`extends OmitType(Payload, [...])`) has no validation metadata of its
 * own, so it gets its nearest validated ancestor's (or it would be `{}`).
 */
function requestSchemas(app: INestApplication): Record<string, Record<string, unknown>> {
  const schemas = validatedClassSchemas('#/components/schemas/');
  for (const { parameterTypes } of controllerHandlers(app)) {
    for (const type of parameterTypes) {
      if (typeof type !== 'function' || schemas[type.name]) continue;
      for (let parent = Object.getPrototypeOf(type); parent?.name; parent = Object.getPrototypeOf(parent)) {
        if (schemas[parent.name]) {
          schemas[type.name] = schemas[parent.name];
          break;
        }
      }
    }
  }
  return schemas;
}

function mountOpenApi(
  app: INestApplication,
  options: HttpServiceOptions,
  schemas: Record<string, Record<string, unknown>>,
): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.name)
      .setDescription(options.description)
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key (prov_<id>_<secret>)' })
      .addSecurityRequirements('bearer')
      .build(),
    { extraModels: [ApiErrorBodySchema] },
  );
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...schemas, ...options.documentSchemas },
  };
  const complete = completeOpenApiDocument(document, app, schemas, options.answerSchemas ?? {});
  SwaggerModule.setup('docs', app, complete, { jsonDocumentUrl: 'docs/openapi.json' });
}
