/**
 * A W3C PROV-JSON document (https://www.w3.org/Submission/prov-json/):
 * records by kind, each a map from a qualified name (`prefix:local`) to its
 * attributes; relations are keyed by their own (blank-node) ids.
 */
export interface ProvDocument {
  prefix: Record<string, string>;
  entity: Record<string, ProvAttributes>;
  activity: Record<string, ProvAttributes>;
  agent: Record<string, ProvAttributes>;
  used: Record<string, ProvAttributes>;
  wasGeneratedBy: Record<string, ProvAttributes>;
  wasDerivedFrom: Record<string, ProvAttributes>;
  wasAssociatedWith: Record<string, ProvAttributes>;
  specializationOf: Record<string, ProvAttributes>;
}

/** A PROV-JSON literal: a plain string, number or boolean, or a typed value `{ "$": ..., "type": ... }`. */
export type ProvValue = string | number | boolean | { $: string; type: string };

export type ProvAttributes = Record<string, ProvValue | ProvValue[]>;

/** Where our ids and vocabulary live: `model:churn@1` stands for `https://provenance.dev/id/model/churn@1`. */
export const PROVENANCE_NAMESPACE = 'https://provenance.dev/ns#';
export const PROVENANCE_ID_BASE = 'https://provenance.dev/id/';
