import { mayPublish, Role, ROLES } from '@prov/auth';
import { EVENT_CATALOG, EventType } from '@prov/contracts';

/**
 * Producers emit only their own domain's event types (DESIGN.md section 6):
 * every event type of the catalogue against every role, from a table
 * written out here, not derived from the catalogue's own domains. A new
 * event type without a row fails.
 */
const PUBLISHERS: Record<EventType, readonly Role[]> = {
  'dataset.registered': ['data-steward'],
  'dataset.version.registered': ['data-steward'],
  'dataset.slice.defined': ['data-steward'],
  'dataset.slice.flagged': ['data-steward'],
  'openlineage.run-event.received': ['data-steward'],
  'privacy.subject.erased': ['data-steward'],
  'pipeline.registered': ['model-engineer'],
  'training.run.started': ['model-engineer'],
  'training.run.completed': ['model-engineer'],
  'evaluation.recorded': ['model-engineer'],
  'model.version.registered': ['model-engineer'],
  'model.stage.changed': ['model-engineer'],
  'model.promoted': ['model-engineer'],
  'model.promotion.rejected': ['model-engineer'],
  'model.version.revoked': ['model-engineer'],
  'deployment.created': ['model-engineer'],
  'deployment.revised': ['model-engineer'],
  'prediction.batch.recorded': ['ml-service'],
  // Written by the projector itself, never through a principal's key.
  'deadletter.message.rejected': [],
  'audit.checkpoint.signed': [],
};

describe('who may publish each event type', () => {
  const cells = (Object.keys(EVENT_CATALOG) as EventType[]).flatMap((type) =>
    ROLES.map((role) => ({ type, role, may: PUBLISHERS[type]?.includes(role) ?? 'no row in the table' })),
  );

  it('has a row for every event type of the catalogue', () => {
    expect(Object.keys(PUBLISHERS).sort()).toEqual(Object.keys(EVENT_CATALOG).sort());
  });

  it.each(cells)('$role publishing $type: $may', ({ type, role, may }) => {
    expect(mayPublish({ id: `someone-${role}`, roles: [role] }, EVENT_CATALOG[type].domain)).toBe(may);
  });

  it('gives a principal with several roles the union of their event types, and one without roles none', () => {
    for (const type of Object.keys(EVENT_CATALOG) as EventType[]) {
      const domain = EVENT_CATALOG[type].domain;
      expect(mayPublish({ id: 'ops', roles: ['data-steward', 'ml-service'] }, domain)).toBe(
        PUBLISHERS[type].includes('data-steward') || PUBLISHERS[type].includes('ml-service'),
      );
      expect(mayPublish({ id: 'nobody', roles: [] }, domain)).toBe(false);
    }
  });
});
