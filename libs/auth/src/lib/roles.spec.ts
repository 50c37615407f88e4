import { EVENT_CATALOG, EventType } from '@prov/contracts';
import { Role, mayPublish, mayReadSensitive } from './roles';

const publishable = (role: Role) =>
  (Object.keys(EVENT_CATALOG) as EventType[]).filter((type) =>
    mayPublish({ id: 'p', roles: [role] }, EVENT_CATALOG[type].domain),
  );

describe('roles', () => {
  it('lets each producer role publish only its own domain', () => {
    expect(publishable('data-steward')).toEqual([
      'dataset.registered',
      'dataset.version.registered',
      'dataset.slice.defined',
      'dataset.slice.flagged',
      'privacy.subject.erased',
      'openlineage.run-event.received',
    ]);
    expect(publishable('ml-service')).toEqual(['prediction.batch.recorded']);
    expect(publishable('model-engineer')).toEqual(
      expect.arrayContaining(['training.run.started', 'model.version.registered', 'deployment.revised']),
    );
    expect(publishable('model-engineer')).not.toContain('prediction.batch.recorded');
    expect(publishable('model-engineer')).not.toContain('dataset.slice.flagged');
  });

  it('lets auditors and viewers publish nothing', () => {
    expect(publishable('auditor')).toEqual([]);
    expect(publishable('viewer')).toEqual([]);
  });

  it('lets no role publish platform events (dead letters, checkpoints)', () => {
    for (const role of ['data-steward', 'model-engineer', 'ml-service', 'auditor', 'viewer'] as Role[]) {
      expect(publishable(role)).not.toContain('audit.checkpoint.signed');
    }
  });

  it('shows sensitive values to auditors only', () => {
    expect(mayReadSensitive({ id: 'a', roles: ['auditor'] })).toBe(true);
    expect(mayReadSensitive({ id: 'v', roles: ['viewer'] })).toBe(false);
    expect(mayReadSensitive({ id: 'm', roles: ['model-engineer', 'viewer'] })).toBe(false);
  });
});
