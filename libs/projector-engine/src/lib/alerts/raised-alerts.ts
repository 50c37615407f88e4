import type { AlertDocument, ViewReader, ViewWrite } from '@prov/projections';

/**
 * The alerts that derived writes are about to store and that the generation
 * does not hold yet: newly raised ones. An alert's id is what it is about
 * (`<type>|<subject>`), so one that goes on holding (more predictions of a
 * revoked model) is rewritten, never raised again; a batch replayed after a
 * crash finds its alerts stored and raises nothing.
 */
export async function raisedAlerts(writes: readonly ViewWrite[], generation: ViewReader): Promise<AlertDocument[]> {
  const written = new Map<string, AlertDocument>();
  for (const write of writes) {
    if (write.view === 'alerts' && write.op === 'replace') written.set(write.id, write.doc as AlertDocument);
  }
  if (written.size === 0) return [];
  const stored = await generation.get('alerts', [...written.keys()]);
  return [...written.values()].filter((alert) => !stored.has(alert._id));
}
