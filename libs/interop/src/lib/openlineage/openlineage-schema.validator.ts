import type { ValidationProblem } from '@prov/contracts';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenLineageRunEvent } from './openlineage-run-event';

const SCHEMAS = join(__dirname, '..', '..', '..', 'schemas', 'openlineage');

/** The facets validated against their spec schema, by where they sit in a RunEvent. */
const FACET_SCHEMAS = {
  dataset: [
    'DatasetVersionDatasetFacet',
    'DatasourceDatasetFacet',
    'SchemaDatasetFacet',
    'OwnershipDatasetFacet',
    'StorageDatasetFacet',
    'SymlinksDatasetFacet',
  ],
  input: ['BaseSubsetDatasetFacet', 'InputStatisticsInputDatasetFacet'],
  output: ['BaseSubsetDatasetFacet', 'OutputStatisticsOutputDatasetFacet'],
  run: ['ParentRunFacet', 'NominalTimeRunFacet', 'ErrorMessageRunFacet', 'ProcessingEngineRunFacet'],
  job: ['SourceCodeLocationJobFacet', 'SourceCodeJobFacet', 'SQLJobFacet', 'JobTypeJobFacet', 'DocumentationJobFacet'],
} as const;

type FacetPlace = keyof typeof FACET_SCHEMAS;

interface FacetCheck {
  /** The facet's key in a facets object, as its schema file's root declares it. */
  key: string;
  validate: ValidateFunction;
}

const readSchema = (path: string) =>
  JSON.parse(readFileSync(join(SCHEMAS, path), 'utf8')) as { $id: string; properties?: Record<string, unknown> };

/**
 * Validates a body against the OpenLineage spec's own JSON Schemas: the
 * RunEvent definition (which checks every facet, custom ones too, against
 * the base facet), then each facet the spec defines against its own schema,
 * found by the key its schema file's root declares (`version`, `subset`...).
 */
export class OpenLineageSchemaValidator {
  private readonly runEvent: ValidateFunction;
  private readonly facets: Record<FacetPlace, FacetCheck[]>;

  constructor() {
    // `example` and other annotation keywords of the spec are not Ajv vocabulary: not strict.
    const ajv = new Ajv2020({ strict: false, allErrors: false });
    addFormats(ajv);
    const core = readSchema('OpenLineage.json');
    ajv.addSchema(core);
    this.runEvent = ajv.compile({ $ref: `${core.$id}#/$defs/RunEvent` });
    const compiled = new Map<string, FacetCheck>();
    const facet = (name: string): FacetCheck => {
      const known = compiled.get(name);
      if (known) return known;
      const schema = readSchema(join('facets', `${name}.json`));
      ajv.addSchema(schema);
      const [key] = Object.keys(schema.properties ?? {});
      const check = { key, validate: ajv.compile({ $ref: `${schema.$id}#/properties/${key}` }) };
      compiled.set(name, check);
      return check;
    };
    this.facets = Object.fromEntries(
      Object.entries(FACET_SCHEMAS).map(([place, names]) => [place, names.map(facet)]),
    ) as Record<FacetPlace, FacetCheck[]>;
  }

  /** The problems of a RunEvent, each with its JSON path (`inputs[0].facets.version.datasetVersion`); none when valid. */
  validate(body: unknown): ValidationProblem[] {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return [{ path: '', problem: 'must be an OpenLineage RunEvent (a JSON object)' }];
    if (!this.runEvent(body)) return problemsOf(this.runEvent.errors, '');
    const event = body as OpenLineageRunEvent;
    const checks: Array<[FacetPlace, unknown, string]> = [
      ['run', event.run.facets, 'run.facets'],
      ['job', event.job.facets, 'job.facets'],
      ...(event.inputs ?? []).flatMap((input, i): Array<[FacetPlace, unknown, string]> => [
        ['dataset', input.facets, `inputs[${i}].facets`],
        ['input', input.inputFacets, `inputs[${i}].inputFacets`],
      ]),
      ...(event.outputs ?? []).flatMap((output, i): Array<[FacetPlace, unknown, string]> => [
        ['dataset', output.facets, `outputs[${i}].facets`],
        ['output', output.outputFacets, `outputs[${i}].outputFacets`],
      ]),
    ];
    for (const [place, facets, path] of checks) {
      if (typeof facets !== 'object' || facets === null) continue;
      for (const { key, validate } of this.facets[place]) {
        const value = (facets as Record<string, unknown>)[key];
        if (value !== undefined && !validate(value)) return problemsOf(validate.errors, `${path}.${key}`);
      }
    }
    return unnamed(event);
  }
}

function problemsOf(errors: ErrorObject[] | null | undefined, prefix: string): ValidationProblem[] {
  return (errors ?? []).map((error) => {
    const segments = error.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (error.keyword === 'required') segments.push(String(error.params['missingProperty']));
    const path = segments.reduce(
      (at, segment) => (/^\d+$/.test(segment) ? `${at}[${segment}]` : at ? `${at}.${segment}` : segment),
      prefix,
    );
    const problem =
      error.keyword === 'required'
        ? 'is required'
        : error.keyword === 'enum'
          ? `must be one of ${(error.params['allowedValues'] as unknown[]).join(', ')}`
          : (error.message ?? 'is invalid');
    return { path, problem };
  });
}

/**
 * The spec lets a job's or a dataset's namespace and name be empty; a record
 * of ours must name what it records, so an empty one is refused by its path.
 */
function unnamed(event: OpenLineageRunEvent): ValidationProblem[] {
  const named: Array<[string, { namespace: string; name: string }]> = [
    ['job', event.job],
    ...(event.inputs ?? []).map((input, i): [string, { namespace: string; name: string }] => [`inputs[${i}]`, input]),
    ...(event.outputs ?? []).map((output, i): [string, { namespace: string; name: string }] => [
      `outputs[${i}]`,
      output,
    ]),
  ];
  return named.flatMap(([path, part]) =>
    (['namespace', 'name'] as const)
      .filter((key) => part[key] === '')
      .map((key) => ({ path: `${path}.${key}`, problem: 'must not be empty' })),
  );
}

/**
 * The spec's definitions for an OpenAPI document's components, named
 * `OpenLineage.<definition>` (a RunEvent is `OpenLineage.RunEvent`), with
 * their references pointing there: what `POST /api/v1/lineage` takes.
 */
export function openLineageRunEventSchemas(): Record<string, Record<string, unknown>> {
  const core = readSchema('OpenLineage.json') as unknown as { $defs: Record<string, unknown> };
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) =>
        key === '$ref' && typeof value === 'string'
          ? [key, value.replace('#/$defs/', '#/components/schemas/OpenLineage.')]
          : [key, rewrite(value)],
      ),
    );
  };
  return Object.fromEntries(
    Object.entries(core.$defs).map(([name, schema]) => [
      `OpenLineage.${name}`,
      rewrite(schema) as Record<string, unknown>,
    ]),
  );
}
