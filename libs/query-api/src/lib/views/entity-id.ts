import { EntityKind, ID_PATTERNS, ID_SHAPES } from '@prov/contracts';
import { InvalidRequestError } from '@prov/http-service';

/** A path or query id checked against the entity id rules before it reaches the store. */
export function checkedId(path: string, value: string, ...kinds: EntityKind[]): string {
  if (kinds.some((kind) => ID_PATTERNS[kind].test(value))) return value;
  const shapes = kinds.map((kind) => ID_SHAPES[kind]).join(' or ');
  throw new InvalidRequestError([{ path, problem: `${path} must be an id of the form ${shapes}` }]);
}
