import { EntityKind, ID_PATTERNS, ID_SHAPES } from '@prov/contracts';
import { ApiPathParam, InvalidRequestError } from '@prov/http-service';

/** A path or query id checked against the entity id rules before it reaches the store. */
export function checkedId(path: string, value: string, ...kinds: EntityKind[]): string {
  if (kinds.some((kind) => ID_PATTERNS[kind].test(value))) return value;
  const shapes = kinds.map((kind) => ID_SHAPES[kind]).join(' or ');
  throw new InvalidRequestError([{ path, problem: `${path} must be an id of the form ${shapes}` }]);
}

/** One pattern for an id of any of `kinds`, for the OpenAPI document. */
export function idPattern(...kinds: EntityKind[]): RegExp {
  const alternatives = kinds.map((kind) => ID_PATTERNS[kind].source.replace(/^\^|\$$/g, ''));
  return new RegExp(kinds.length === 1 ? `^${alternatives[0]}$` : `^(?:${alternatives.join('|')})$`);
}

/** A path parameter that names an entity of one of `kinds`, with the pattern its id must match. */
export const ApiIdParam = (name: string, ...kinds: EntityKind[]) =>
  ApiPathParam(name, idPattern(...kinds), `An id of the form ${kinds.map((kind) => ID_SHAPES[kind]).join(' or ')}`);
