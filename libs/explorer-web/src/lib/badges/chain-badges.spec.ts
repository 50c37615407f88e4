import { SLICE_TRAIN, sampleTrace } from '../trace.test-helper';
import { chainBadges, LineageAlert, modelBadges, ModelLineageIds, unservedBadges } from './chain-badges';

const alert = (subject: string, modelVersionId: string, type = 'digest-mismatch'): LineageAlert => ({
  type,
  subject,
  modelVersionId,
  severity: 'high',
  firstRecordedAt: '2026-11-27T10:00:00.000Z',
});

describe('chainBadges', () => {
  it('reports missing lineage, flagged slices, the alerts on the chain and a verified log', () => {
    const badges = chainBadges(
      sampleTrace(),
      [alert('deployment:churn-api', 'model:churn@1'), alert('model:other@1', 'model:other@1', 'lineage-gap')],
      { kind: 'verified', events: 7 },
    );
    expect(badges).toEqual([
      { name: 'completeness', state: 'warning', text: '1 missing at full: evaluations[x]' },
      { name: 'flagged-slices', state: 'bad', text: '1 flagged slice' },
      { name: 'alerts', state: 'bad', text: '1 alert: digest-mismatch' },
      { name: 'integrity', state: 'good', text: 'integrity verified: 7 events in the signed log' },
    ]);
  });

  it('is all good for a complete, unflagged, unalerted chain', () => {
    const trace = sampleTrace({ completeness: { level: 'standard', complete: true, missing: [] } });
    const badges = chainBadges(
      { ...trace, slices: trace.slices.map((s) => ({ ...s, flagged: s.id === SLICE_TRAIN ? false : s.flagged })) },
      [alert('model:other@1', 'model:other@1')],
      { kind: 'verified', events: 1 },
    );
    expect(badges.map((b) => b.state)).toEqual(['good', 'good', 'good', 'good']);
  });

  it.each([
    [{ kind: 'failed', reason: 'the event does not hash to its leaf' } as const, 'bad'],
    [{ kind: 'pending', reason: 'no checkpoint yet' } as const, 'neutral'],
    [{ kind: 'forbidden' } as const, 'neutral'],
  ])('shows an integrity check that came to %j as %s', (check, state) => {
    expect(chainBadges(sampleTrace(), [], check)[3]).toMatchObject({ name: 'integrity', state });
  });
});

describe('modelBadges', () => {
  const lineage: ModelLineageIds = {
    _id: 'model:churn@1',
    runId: 'run:1',
    pipelineId: 'pipeline:prep@1',
    sliceIds: ['slice:sha256:a', 'slice:sha256:b'],
    datasetVersionIds: ['dsv:sha256:c'],
    flaggedSliceIds: ['slice:sha256:b'],
  };
  const complete = { modelVersionId: 'model:churn@1', level: 'full' as const, complete: true, missing: [] };

  it('reports a model version’s completeness, its flagged slices and the alerts on its lineage', () => {
    const badges = modelBadges(lineage, { ...complete, complete: false, missing: ['run.seeds', 'evaluations'] }, [
      alert('dsv:sha256:c', 'model:churn@1', 'model.trained-on-flagged-slice'),
      alert('deployment:elsewhere', 'model:other@1'),
    ]);
    expect(badges).toEqual([
      { name: 'completeness', state: 'warning', text: '2 missing at full: run.seeds, evaluations' },
      { name: 'flagged-slices', state: 'bad', text: '1 flagged slice' },
      { name: 'alerts', state: 'bad', text: '1 alert: model.trained-on-flagged-slice' },
    ]);
  });

  it('names the model version a deployment serves, and counts the deployment’s own alerts', () => {
    const badges = modelBadges(
      { ...lineage, flaggedSliceIds: [] },
      complete,
      [alert('deployment:churn-api', 'model:churn@0')],
      'deployment:churn-api',
    );
    expect(badges).toEqual([
      { name: 'completeness', state: 'good', text: 'serves model:churn@1: lineage complete (full)' },
      { name: 'flagged-slices', state: 'good', text: 'no flagged slice' },
      { name: 'alerts', state: 'bad', text: '1 alert: digest-mismatch' },
    ]);
    expect(modelBadges({ ...lineage, flaggedSliceIds: [] }, complete, []).map((b) => b.state)).toEqual([
      'good',
      'good',
      'good',
    ]);
  });

  it('says so when a deployment serves no model version yet', () => {
    expect(unservedBadges('deployment:new')).toEqual([
      { name: 'completeness', state: 'neutral', text: 'deployment:new serves no model version yet' },
    ]);
  });
});
