import type { ProvenanceEvent } from '@prov/contracts';
import { factWrites } from './fact-writes';
import type { ViewWrite } from './view-store.port';

/**
 * The fact writes of a batch of events, at most one per document. A store
 * applies one bulk unordered, while two events of one subject in a batch
 * (a redefinition, a run completed twice, a batch id resent) may write the
 * same path: folding them here in batch order keeps the subject's last word,
 * as applying the events one by one would.
 */
export function batchFactWrites(events: readonly ProvenanceEvent[]): ViewWrite[] {
  const byDocument = new Map<string, ViewWrite>();
  for (const write of events.flatMap(factWrites)) {
    const key = `${write.view}\u0000${write.id}`;
    const earlier = byDocument.get(key);
    byDocument.set(key, earlier ? fold(earlier, write) : write);
  }
  return [...byDocument.values()];
}

function fold(earlier: ViewWrite, later: ViewWrite): ViewWrite {
  if (earlier.op === 'set' && later.op === 'set') {
    return { ...later, fields: { ...earlier.fields, ...later.fields } };
  }
  if (earlier.op === later.op) return later;
  // Each view is written with one kind of operation, so this is a programming error.
  throw new Error(`fact writes of ${later.view}/${later.id} mix ${earlier.op} and ${later.op}`);
}
