import type { PredictionTrace } from '@prov/lineage-queries';

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
  const { completeness } = trace;
  const flagged = trace.slices.filter((s) => s.flagged).length;
  const ids = chainIds(trace);
  const concerning = alerts.filter((a) => ids.has(a.subject) || ids.has(a.modelVersionId));
  return [
    completeness.complete
      ? { name: 'completeness', state: 'good', text: `lineage complete (${completeness.level})` }
      : {
          name: 'completeness',
          state: 'warning',
          text: `${completeness.missing.length} missing at ${completeness.level}: ${completeness.missing.join(', ')}`,
        },
    flagged === 0
      ? { name: 'flagged-slices', state: 'good', text: 'no flagged slice' }
      : { name: 'flagged-slices', state: 'bad', text: `${flagged} flagged slice${flagged === 1 ? '' : 's'}` },
    concerning.length === 0
      ? { name: 'alerts', state: 'good', text: 'no open alert' }
      : {
          name: 'alerts',
          state: 'bad',
          text: `${concerning.length} alert${concerning.length === 1 ? '' : 's'}: ${[...new Set(concerning.map((a) => a.type))].join(', ')}`,
        },
    integrityBadge(integrity),
  ];
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
