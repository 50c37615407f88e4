import type { ProvenanceEvent } from '@prov/contracts';
import type { DeploymentNode } from './deployment.projection';
import { DEPLOYMENT_ALERT_TYPES, type AlertDocument } from './lineage-alerts';
import { readNodes } from './lineage-graph.reader';
import { compareText } from './ordering';
import type { PredictionBatchDocument } from './prediction.projection';
import type { ViewDocument, ViewReader, ViewWrite } from './view-store.port';

const UNKNOWN_DEPLOYMENT = DEPLOYMENT_ALERT_TYPES[0];

/** The `prediction.unknown-deployment` alert of a deployment id. */
const unknownDeploymentAlertId = (deploymentId: string): string => `${UNKNOWN_DEPLOYMENT}|${deploymentId}`;

interface UnknownDeploymentDetails {
  /** Whether the deployment has been created since: the alert stays, as the predictions were recorded before. */
  created: boolean;
  createdAt: string | null;
  /** The first batch recorded before the deployment was created (least trusted time, then event id). */
  firstBatch: { eventId: string; batchId: string };
}

/** What a deployment's alert is computed from: when it was created (null: not yet), and the first batch before. */
interface DeploymentFacts {
  createdAt: string | null;
  firstEarly: PredictionBatchDocument | undefined;
}

/** A batch's place in trusted-time order, as the store sorts batches (`recordedAt`, then `_id`, the event id). */
interface BatchPlace {
  recordedAt: string;
  eventId: string;
}

const byPlace = (a: BatchPlace, b: BatchPlace): number =>
  compareText(a.recordedAt, b.recordedAt) || compareText(a.eventId, b.eventId);

/**
 * The `prediction.unknown-deployment` alerts a round of events may raise,
 * change or clear: one per deployment id that batches were recorded for
 * before its `deployment.created` (or that was never created), however many
 * batches name it. A round of predictions costs one point read of its
 * deployments' nodes; only a batch recorded before its deployment was
 * created reads the alert too, and only one earlier than the alert's first
 * batch (or the first one) computes it again. A `deployment.created`
 * computes its deployment's alert again, which clears one that batches
 * folded before the creation but recorded after it had raised. Each
 * computed alert comes with its version (see Settlement).
 */
export async function unknownDeploymentAlerts(
  events: readonly ProvenanceEvent[],
  views: ViewReader,
): Promise<{ writes: ViewWrite[]; deploymentsOf: Map<string, string> }> {
  const firstOfRound = new Map<string, BatchPlace>();
  const created = new Set<string>();
  for (const event of events) {
    if (event.type === 'deployment.created') created.add(event.payload.deploymentId);
    if (event.type !== 'prediction.batch.recorded') continue;
    const place = { recordedAt: event.recordedAt, eventId: event.eventId };
    const first = firstOfRound.get(event.payload.deploymentId);
    if (!first || byPlace(place, first) < 0) firstOfRound.set(event.payload.deploymentId, place);
  }
  if (firstOfRound.size === 0 && created.size === 0) return { writes: [], deploymentsOf: new Map() };

  const nodes = await readNodes<DeploymentNode>(views, [...firstOfRound.keys(), ...created]);
  const createdAt = creationTimes(nodes);
  const early = [...firstOfRound].filter(([id, first]) => {
    const at = createdAt(id);
    return !created.has(id) && (at === null || compareText(first.recordedAt, at) < 0);
  });
  const alertIds = early.map(([id]) => unknownDeploymentAlertId(id));
  const stored = alertIds.length === 0 ? new Map<string, ViewDocument>() : await views.get('alerts', alertIds);
  // The stored alert still holds when it knows the creation and no batch of the round comes before its first.
  const stale = early
    .filter(([id, first]) => {
      const alert = stored.get(unknownDeploymentAlertId(id)) as AlertDocument | undefined;
      if (!alert) return true;
      const details = alert.details as unknown as UnknownDeploymentDetails;
      const place = { recordedAt: alert.firstRecordedAt, eventId: details.firstBatch.eventId };
      return details.createdAt !== createdAt(id) || byPlace(first, place) < 0;
    })
    .map(([id]) => id);
  const facts = await deploymentFacts(views, [...created, ...stale], createdAt);
  return { writes: alertWrites(facts), deploymentsOf: versions(facts) };
}

/**
 * Reads the facts of the deployments' alerts again, after their writes were
 * applied: those that moved (a creation or an earlier batch stored
 * meanwhile) are written again, with their new versions.
 */
export async function settleUnknownDeployments(
  deploymentsOf: ReadonlyMap<string, string>,
  views: ViewReader,
): Promise<{ writes: ViewWrite[]; deploymentsOf: Map<string, string> }> {
  if (deploymentsOf.size === 0) return { writes: [], deploymentsOf: new Map() };
  const ids = [...deploymentsOf.keys()];
  const nodes = await readNodes<DeploymentNode>(views, ids);
  const facts = await deploymentFacts(views, ids, creationTimes(nodes));
  const moved = new Map([...facts].filter(([id, fact]) => deploymentsOf.get(id) !== versionOf(fact)));
  return { writes: alertWrites(moved), deploymentsOf: versions(moved) };
}

/** Per deployment, its creation time and the first batch recorded before it: one indexed query each, limit 1. */
async function deploymentFacts(
  views: ViewReader,
  deploymentIds: readonly string[],
  createdAt: (id: string) => string | null,
): Promise<Map<string, DeploymentFacts>> {
  const ids = [...new Set(deploymentIds)].sort(compareText);
  const firsts = await Promise.all(
    ids.map(async (deploymentId) => {
      const at = createdAt(deploymentId);
      const [first] = (await views.find('prediction_batches', {
        where: { deploymentId, ...(at === null ? {} : { recordedAt: { lt: at } }) },
        sort: [['recordedAt', 1]],
        limit: 1,
      })) as PredictionBatchDocument[];
      return [deploymentId, { createdAt: at, firstEarly: first }] as const;
    }),
  );
  return new Map(firsts);
}

/** When each deployment was created (trusted time), or null while it is not. */
const creationTimes =
  (nodes: ReadonlyMap<string, DeploymentNode>) =>
  (deploymentId: string): string | null =>
    nodes.get(deploymentId)?.definition?.event.recordedAt ?? null;

const versionOf = (facts: DeploymentFacts): string => JSON.stringify([facts.createdAt, facts.firstEarly?._id ?? null]);

function versions(facts: ReadonlyMap<string, DeploymentFacts>): Map<string, string> {
  return new Map([...facts].map(([id, fact]) => [id, versionOf(fact)]));
}

function alertWrites(facts: ReadonlyMap<string, DeploymentFacts>): ViewWrite[] {
  return [...facts].map(([deploymentId, { createdAt, firstEarly }]): ViewWrite => {
    const id = unknownDeploymentAlertId(deploymentId);
    if (!firstEarly) return { op: 'delete', view: 'alerts', id };
    const details: UnknownDeploymentDetails = {
      created: createdAt !== null,
      createdAt,
      firstBatch: { eventId: firstEarly._id, batchId: firstEarly.batchId },
    };
    const alert: AlertDocument = {
      _id: id,
      type: UNKNOWN_DEPLOYMENT,
      subject: deploymentId,
      modelVersionId: firstEarly.modelVersionId,
      severity: 'high',
      details: { ...details },
      firstRecordedAt: firstEarly.recordedAt,
    };
    return { op: 'replace', view: 'alerts', id, doc: alert };
  });
}
