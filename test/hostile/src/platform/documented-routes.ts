import type { RunningServices, ServiceName } from '@prov/platform-testing';

/** A JSON Schema as the services' OpenAPI documents hold them (the subset the suites read). */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  $ref?: string;
  enum?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
}

/** One operation of a service, as its OpenAPI document declares it. */
export interface DocumentedRoute {
  service: ServiceName;
  method: string;
  /** The OpenAPI path, with `{param}` placeholders. */
  path: string;
  pathParameters: string[];
  /** The query parameters, with their schemas. */
  queryParameters: Array<{ name: string; schema: JsonSchema }>;
  /** The JSON request body's schema, references resolved one level (components are at hand through `resolve`). */
  body?: JsonSchema;
  resolve: (schema: JsonSchema) => JsonSchema;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { parameters?: Array<{ name: string; in: string; schema?: JsonSchema }>; requestBody?: unknown }>
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Every service of the platform: the suites go through all of their routes. */
export const ALL_SERVICES: readonly ServiceName[] = [
  'training-service',
  'registry-service',
  'inference-service',
  'projector',
  'query-gateway',
];

/**
 * Every operation every service documents at `/docs/openapi.json`: the
 * suites enumerate routes from there, so that a route added later is under
 * test without anyone listing it.
 */
export async function documentedRoutes(
  services: RunningServices,
  names: readonly ServiceName[],
): Promise<DocumentedRoute[]> {
  const routes: DocumentedRoute[] = [];
  for (const service of names) {
    const response = await fetch(`${services.urls[service]}/docs/openapi.json`);
    if (!response.ok) throw new Error(`${service} serves no OpenAPI document (${response.status})`);
    const document = (await response.json()) as OpenApiDocument;
    const components = document.components?.schemas ?? {};
    const resolve = (schema: JsonSchema): JsonSchema => {
      if (!schema.$ref) return schema;
      const name = schema.$ref.replace('#/components/schemas/', '');
      const target = components[name];
      if (!target) throw new Error(`${service}: ${schema.$ref} is not among the document's schemas`);
      return resolve(target);
    };
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const body = (operation.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)
          ?.content?.['application/json']?.schema;
        routes.push({
          service,
          method: method.toUpperCase(),
          path,
          pathParameters: (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
          queryParameters: (operation.parameters ?? [])
            .filter((p) => p.in === 'query')
            .map((p) => ({ name: p.name, schema: resolve(p.schema ?? {}) })),
          body: body ? resolve(body) : undefined,
          resolve,
        });
      }
    }
  }
  return routes;
}

/** The route's path with each `{param}` replaced by `value(param)`, URL-encoded. */
export function concretePath(route: DocumentedRoute, value: (parameter: string) => string): string {
  return route.path.replace(/\{([^}]+)\}/g, (_match, name: string) => encodeURIComponent(value(name)));
}
