import type { ProducerDomain } from '@prov/contracts';

/** The roles of the access model: producers per domain, auditors and viewers. */
export const ROLES = ['data-steward', 'model-engineer', 'ml-service', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Which producing domain each role may publish events of (a producer emits only its own domain). */
const PUBLISHES: Record<Role, readonly ProducerDomain[]> = {
  'data-steward': ['data'],
  'model-engineer': ['model'],
  'ml-service': ['inference'],
  auditor: [],
  viewer: [],
};

export interface Principal {
  /** Who acts, as recorded in every event it publishes. */
  id: string;
  roles: readonly Role[];
}

export function mayPublish(principal: Principal, domain: ProducerDomain): boolean {
  return principal.roles.some((role) => PUBLISHES[role].includes(domain));
}

/** Only auditors see sensitive values; everyone else sees their digests. */
export function mayReadSensitive(principal: Principal): boolean {
  return principal.roles.includes('auditor');
}

/** Every role may read lineage (redacted as above). */
export function mayRead(principal: Principal): boolean {
  return principal.roles.length > 0;
}
