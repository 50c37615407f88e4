import { join, resolve } from 'node:path';
import * as ts from 'typescript';
import * as TJS from 'typescript-json-schema';

/**
 * The JSON Schema of every answer the services send, generated from the
 * SDK's answer types (the types the queries return), so that the OpenAPI
 * documents describe exactly what a client gets. A service's document refers
 * to them as `#/components/schemas/answers.<Name>`.
 */
export const ANSWER_TYPES = [
  'AlertsAnswer',
  'AttestationKeys',
  'AuditBundle',
  'AuditKeysAnswer',
  'AuditLogsAnswer',
  'AuditRebuildStarted',
  'CheckpointsAnswer',
  'ConsistencyProofAnswer',
  'DatasetVersionImpact',
  'DatasetVersionTimeline',
  'DeadLetterPage',
  'DeploymentServing',
  'DsseEnvelope',
  'GenerationsAnswer',
  'InclusionProofAnswer',
  'KeyEncryptionKeyRotated',
  'LineageComparison',
  'LineageGraph',
  'LogEventsPage',
  'LoggedEventAnswer',
  'ModelCompleteness',
  'ModelLineageDocument',
  'OpenLineageAccepted',
  'PolicyEvaluation',
  'PredictionPage',
  'PredictionTrace',
  'ProvDocument',
  'RebuildStarted',
  'Registered',
  'SessionAnswer',
  'SliceImpact',
  'SliceTimeline',
  'StageChanged',
  'StatusAnswer',
  'SubjectErased',
] as const;

export type AnswerType = (typeof ANSWER_TYPES)[number];

type Schema = Record<string, unknown>;

const root = resolve(__dirname, '..', '..', '..');
export const ANSWER_SCHEMAS_FILE = join(root, 'libs', 'sdk', 'src', 'lib', 'answers.schema.json');

export function generateAnswerSchemas(): Record<string, Schema> {
  // The workspace's compiler options, with the Node types found from the root whatever the working directory.
  const config = ts.readConfigFile(join(root, 'tsconfig.base.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram([join(root, 'libs', 'sdk', 'src', 'index.ts')], {
    ...options,
    noEmit: true,
    typeRoots: [join(root, 'node_modules', '@types')],
    types: ['node'],
  });
  const generator = TJS.buildGenerator(program, {
    required: true,
    // Answers may grow fields; a client ignores the ones it does not know.
    noExtraProps: false,
    ref: true,
    aliasRef: false,
    titles: false,
    strictNullChecks: true,
  });
  if (!generator) throw new Error('the SDK does not compile');
  const { definitions = {} } = generator.getSchemaForSymbols([...ANSWER_TYPES]) as { definitions?: Schema };
  // Names such as `Omit<DataSliceCriteria,"filter">` are not valid component names.
  const names = new Map(Object.keys(definitions).map((name) => [name, componentName(name)]));
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => {
        if (key === '$ref' && typeof value === 'string') {
          const name = decodeURIComponent(value.replace('#/definitions/', ''));
          const renamed = names.get(name);
          if (!renamed) throw new Error(`answer schema reference to an unknown definition: ${value}`);
          return [key, `#/components/schemas/answers.${renamed}`];
        }
        return [key, rewrite(value)];
      }),
    );
  };
  return Object.fromEntries(
    [...names]
      .sort(([, a], [, b]) => a.localeCompare(b))
      .map(([name, renamed]) => [renamed, rewrite(definitions[name]) as Schema]),
  );
}

function componentName(typeName: string): string {
  return typeName
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}
