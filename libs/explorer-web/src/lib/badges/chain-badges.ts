import type { ModelCompleteness, PredictionTrace } from '@prov/lineage-queries';
import type { ModelLineageDocument } from '@prov/projections';

export type BadgeState = 'good' | 'warning' | 'bad' | 'neutral';

export interface Badge {
  name: 'completeness' | 'flagged-slices' | 'alerts' | 'integrity';
  state: BadgeState;
  text: string;
}

/** An open lineage alert as `GET /v1/alerts` lists it. */
export interface LineageAlert {
  type: string;
  subject: string;
  modelVersionId: string;
  severity: string;
  firstRecordedAt: string;
}

/** What checking the chain's events against the audit log came to. */
export type IntegrityCheck =
  | { kind: 'verified'; events: number }
  | { kind: 'failed'; reason: string }
  /** An event no signed checkpoint covers yet. */
  | { kind: 'pending'; reason: string }
  /** Proofs are for auditors: a viewer's key may not fetch them. */
  | { kind: 'forbidden' };

/** The ids a trace's chain is made of, to pick the alerts that concern it. */
const chainIds = (trace: PredictionTrace): Set<string> =>
  new Set(
    [
      trace.prediction.id,
      trace.prediction.deploymentId,
      trace.prediction.modelVersionId,
      trace.run?.id,
      trace.pipeline?.id,
      ...trace.slices.map((s) => s.id),
      ...trace.datasetVersions.map((d) => d.id),
    ].filter((id): id is string => typeof id === 'string'),
  );

/** The badges over a prediction's graph: is its lineage complete, flagged, alerted, and provably logged? */
export function chainBadges(
  trace: PredictionTrace,
  alerts: readonly LineageAlert[],
  integrity: IntegrityCheck,
): Badge[] {
  return [
    completenessBadge(trace.completeness),
    flaggedBadge(trace.slices.filter((s) => s.flagged).length),
    alertsBadge(chainIds(trace), alerts),
    integrityBadge(integrity),
  ];
}

/** The parts of a model version's lineage document its badges read. */
export type ModelLineageIds = Pick<
  ModelLineageDocument,
  '_id' | 'runId' | 'pipelineId' | 'sliceIds' | 'datasetVersionIds' | 'flaggedSliceIds'
>;

/**
 * The badges over a model version's graph, or a deployment's (then of the
 * model version it serves now, named in the completeness badge): is its
 * lineage complete at the level asked, trained on flagged slices, alerted?
 */
export function modelBadges(
  lineage: ModelLineageIds,
  completeness: ModelCompleteness,
  alerts: readonly LineageAlert[],
  deploymentId?: string,
): Badge[] {
  const ids = new Set(
    [
      deploymentId,
      lineage._id,
      lineage.runId,
      lineage.pipelineId,
      ...lineage.sliceIds,
      ...lineage.datasetVersionIds,
    ].filter((id): id is string => typeof id === 'string'),
  );
  const badge = completenessBadge(completeness);
  return [
    deploymentId === undefined ? badge : { ...badge, text: `serves ${lineage._id}: ${badge.text}` },
    flaggedBadge(lineage.flaggedSliceIds.length),
    alertsBadge(ids, alerts),
  ];
}

/** A deployment before any revision names a model version: nothing to be complete, flagged or alerted about yet. */
export function unservedBadges(deploymentId: string): Badge[] {
  return [{ name: 'completeness', state: 'neutral', text: `${deploymentId} serves no model version yet` }];
}

function completenessBadge(completeness: Pick<ModelCompleteness, 'level' | 'complete' | 'missing'>): Badge {
  return completeness.complete
    ? { name: 'completeness', state: 'good', text: `lineage complete (${completeness.level})` }
    : {
        name: 'completeness',
        state: 'warning',
        text: `${completeness.missing.length} missing at ${completeness.level}: ${completeness.missing.join(', ')}`,
      };
}

function flaggedBadge(flagged: number): Badge {
  return flagged === 0
    ? { name: 'flagged-slices', state: 'good', text: 'no flagged slice' }
    : { name: 'flagged-slices', state: 'bad', text: `${flagged} flagged slice${flagged === 1 ? '' : 's'}` };
}

function alertsBadge(ids: ReadonlySet<string>, alerts: readonly LineageAlert[]): Badge {
  const concerning = alerts.filter((a) => ids.has(a.subject) || ids.has(a.modelVersionId));
  return concerning.length === 0
    ? { name: 'alerts', state: 'good', text: 'no open alert' }
    : {
        name: 'alerts',
        state: 'bad',
        text: `${concerning.length} alert${concerning.length === 1 ? '' : 's'}: ${[...new Set(concerning.map((a) => a.type))].join(', ')}`,
      };
}

function integrityBadge(check: IntegrityCheck): Badge {
  switch (check.kind) {
    case 'verified':
      return {
        name: 'integrity',
        state: 'good',
        text: `integrity verified: ${check.events} event${check.events === 1 ? '' : 's'} in the signed log`,
      };
    case 'failed':
      return { name: 'integrity', state: 'bad', text: `integrity check failed: ${check.reason}` };
    case 'pending':
      return { name: 'integrity', state: 'neutral', text: `integrity pending: ${check.reason}` };
    case 'forbidden':
      return { name: 'integrity', state: 'neutral', text: 'integrity proofs need the auditor role' };
  }
}
