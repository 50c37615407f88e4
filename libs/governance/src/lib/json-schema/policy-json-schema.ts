import { validatedClassSchemas } from '@prov/contracts';
import {
  FlaggedSliceRule,
  POLICY_API_VERSION,
  PolicyMetadata,
  PolicyScope,
  PolicySpec,
  ProvenancePolicy,
  RequiredEvaluation,
  SeparationOfDutiesRule,
} from '../policy/provenance-policy.document';

type Schema = Record<string, unknown>;

/** File name of the policy document's JSON Schema, under libs/governance/schemas/. */
export const POLICY_SCHEMA_FILE_NAME = 'provenance-policy.schema.json';

// The classes the root refers to; a missing one leaves a dangling $ref, which the schema test catches.
const PARTS = [PolicyMetadata, PolicySpec, PolicyScope, RequiredEvaluation, FlaggedSliceRule, SeparationOfDutiesRule];

/**
 * The JSON Schema (draft-07) of a policy document, from the same
 * class-validator declarations validatePolicy checks, for editors and for
 * tools in other languages that write policies.
 */
export function buildPolicyJsonSchema(): Schema {
  // Every validated class loaded so far, contracts' included: keep only the policy's.
  const all = validatedClassSchemas('#/definitions/');
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'urn:provenance:policy:v1',
    title: `ProvenancePolicy (${POLICY_API_VERSION})`,
    description:
      'A declarative provenance policy: the capture level, fields, evaluations and duties a model version ' +
      'must satisfy to be promoted.',
    ...all[ProvenancePolicy.name],
    definitions: Object.fromEntries(
      PARTS.map(({ name }) => name)
        .sort()
        .map((name) => [name, all[name]]),
    ),
  };
}
