import type {
  DatasetVersionImpact,
  DeploymentServing,
  LineageComparison,
  LineageGraph,
  ModelCompleteness,
  PredictionTimeline,
  PredictionTrace,
  SliceImpact,
} from '@prov/lineage-queries';
import type { ModelLineageDocument } from '@prov/projections';
import { Badge, chainBadges, LineageAlert, modelBadges, unservedBadges } from './lib/badges/chain-badges';
import { ExplorerNode, graphOfLineage, graphOfTrace, mergeGraphs } from './lib/graph/explorer-graph';
import { isProblem, parseSearch, SearchTarget } from './lib/search/search-target';
import { checkChainIntegrity } from './ui/chain-integrity';
import { renderComparison } from './ui/compare-view';
import { renderDetails } from './ui/details-panel';
import { byId, el } from './ui/dom';
import { GatewayClient, segment } from './ui/gateway-client';
import { GraphView } from './ui/graph-view';
import { ImpactView } from './ui/impact-view';

/** The lineage explorer: log in with an API key, search an id, walk its lineage, impact and differences. */
const client = new GatewayClient();
const message = byId('message');

const say = (text: string, isError = false) => {
  message.textContent = text;
  message.classList.toggle('error', isError);
};

/** Runs a step of the page, showing the gateway's refusal (the field it named) instead of failing silently. */
const attempt = (step: () => Promise<void>) => () => {
  step().catch((error: Error) => say(error.message, true));
};

function showTab(id: string): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('#tabs button')) {
    button.setAttribute('aria-pressed', String(button.dataset['tab'] === id));
    byId(button.dataset['tab'] ?? '').hidden = button.dataset['tab'] !== id;
  }
}
for (const button of document.querySelectorAll<HTMLButtonElement>('#tabs button'))
  button.addEventListener('click', () => showTab(button.dataset['tab'] ?? 'graph-view'));

const impactView = new ImpactView(
  byId('impact-summary'),
  byId<HTMLCanvasElement>('impact-chart'),
  byId<HTMLTableElement>('impact-timeline'),
  byId('impact-tables'),
);
const bucket = byId<HTMLSelectElement>('impact-bucket');
/** The slice or dataset version whose impact is shown, so that another bucket redraws its timeline. */
let impactSubject: string | undefined;

const impactRoute = (id: string) =>
  `/v1/${id.startsWith('slice:') ? 'slices' : 'dataset-versions'}/${segment(id)}/impact`;

async function showTimeline(id: string): Promise<void> {
  impactView.showTimeline(
    await client.get<PredictionTimeline>(`${impactRoute(id)}/timeline?bucket=${encodeURIComponent(bucket.value)}`),
  );
}

async function openImpact(id: string): Promise<void> {
  const impact = await client.get<SliceImpact | DatasetVersionImpact>(impactRoute(id));
  impactSubject = id;
  showTab('impact-view');
  impactView.show(id, impact);
  await showTimeline(id);
}

bucket.addEventListener('change', () => {
  if (impactSubject !== undefined) attempt(() => showTimeline(impactSubject as string))();
});

async function details(node: ExplorerNode): Promise<Record<string, unknown>> {
  if (node.details) return node.details;
  // A node reached by expanding has only its id and flags: a model version's lineage document says the rest.
  if (node.kind === 'model-version')
    return client.get<Record<string, unknown>>(`/v1/models/${segment(node.id)}/lineage`);
  return { id: node.id, kind: node.kind, known: node.known, attention: node.attention };
}

const graphView = new GraphView(byId('graph'), byId('graph-nodes'), (node) =>
  attempt(async () => {
    renderDetails(byId('details'), node, await details(node), {
      expand: (n, direction) =>
        attempt(async () => {
          const found = await client.get<LineageGraph>(`/v1/lineage/${segment(n.id)}?direction=${direction}&depth=1`);
          graphView.show(mergeGraphs(graphView.shown, graphOfLineage(found)));
          say(`${found.nodes.length} node(s) ${direction} of ${n.id}${found.truncated ? ' (truncated)' : ''}`);
        })(),
      impact: (n) => attempt(() => openImpact(n.id))(),
      compare: (n) => {
        const left = byId<HTMLInputElement>('compare-left');
        const right = byId<HTMLInputElement>('compare-right');
        if (left.value === '' || left.value === n.id) left.value = n.id;
        else right.value = n.id;
        showTab('compare-view');
      },
    });
  })(),
);

/** Proofs are for auditors: other roles are not sent to fetch them. */
let mayProve = false;

async function showTrace(id: string): Promise<void> {
  const trace = await client.get<PredictionTrace>(`/v1/predictions/${segment(id)}/trace?level=full`);
  graphView.show(graphOfTrace(trace));
  showTab('graph-view');
  say(`${id}: ${trace.prediction.at}, served by ${trace.prediction.deploymentId}`);
  const badges = byId('badges');
  badges.replaceChildren(el('span', { class: 'badge neutral' }, 'checking the chain…'));
  const [{ alerts }, integrity] = await Promise.all([
    client.get<{ alerts: LineageAlert[] }>('/v1/alerts'),
    mayProve ? checkChainIntegrity(client, trace) : Promise.resolve({ kind: 'forbidden' as const }),
  ]);
  showBadges(chainBadges(trace, alerts, integrity));
}

function showBadges(badges: Badge[]): void {
  byId('badges').replaceChildren(
    ...badges.map((b) =>
      el('span', { class: `badge ${b.state}`, 'data-badge': b.name, 'data-state': b.state }, b.text),
    ),
  );
}

/**
 * A model version's badges, or a deployment's: those of the model version it
 * serves now, complete at the capture level its policy requires (full when it
 * declares none, as a prediction's trace is read).
 */
async function showModelBadges(target: SearchTarget): Promise<void> {
  byId('badges').replaceChildren(el('span', { class: 'badge neutral' }, 'checking the lineage…'));
  let modelVersionId = target.id;
  let level = 'full';
  if (target.kind === 'deployment') {
    const serving = await client.get<DeploymentServing>(`/v1/deployments/${segment(target.id)}`);
    if (serving.modelVersionId === null) return showBadges(unservedBadges(target.id));
    modelVersionId = serving.modelVersionId;
    level = serving.captureLevel ?? level;
  }
  const model = segment(modelVersionId);
  const [lineage, completeness, { alerts }] = await Promise.all([
    client.get<ModelLineageDocument>(`/v1/models/${model}/lineage`),
    client.get<ModelCompleteness>(`/v1/models/${model}/completeness?level=${level}`),
    client.get<{ alerts: LineageAlert[] }>('/v1/alerts'),
  ]);
  showBadges(modelBadges(lineage, completeness, alerts, target.kind === 'deployment' ? target.id : undefined));
}

async function search(target: SearchTarget): Promise<void> {
  if (target.kind === 'prediction') return showTrace(target.id);
  const lineage = await client.get<LineageGraph>(`/v1/lineage/${segment(target.id)}?direction=both&depth=4`);
  graphView.show(graphOfLineage(lineage));
  byId('badges').replaceChildren();
  showTab('graph-view');
  say(`${lineage.nodes.length} node(s) around ${target.id}${lineage.truncated ? ' (truncated)' : ''}`);
  if (target.kind === 'slice' || target.kind === 'dataset-version') await openImpact(target.id);
  else await showModelBadges(target);
}

byId('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const target = parseSearch(byId<HTMLInputElement>('search-input').value);
  if (isProblem(target)) say(target.problem, true);
  else attempt(() => search(target))();
});

byId('compare-form').addEventListener('submit', (event) => {
  event.preventDefault();
  attempt(async () => {
    const left = byId<HTMLInputElement>('compare-left').value.trim();
    const right = byId<HTMLInputElement>('compare-right').value.trim();
    const comparison = await client.get<LineageComparison>(
      `/v1/compare?left=${encodeURIComponent(left)}&right=${encodeURIComponent(right)}`,
    );
    renderComparison(byId('compare-summary'), byId('compare-table'), left, right, comparison);
    say(`compared ${left} with ${right}`);
  })();
});

function signedIn(principal: string, roles: string[], mayReadSensitive: boolean): void {
  mayProve = roles.includes('auditor');
  byId('login').hidden = true;
  byId('app').hidden = false;
  byId('logout').hidden = false;
  byId('who').textContent =
    `${principal} (${roles.join(', ')})${mayReadSensitive ? '' : ' — sensitive fields redacted'}`;
}

byId('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = byId<HTMLInputElement>('api-key');
  client
    .logIn(input.value.trim())
    .then((session) => {
      input.value = '';
      byId('login-error').textContent = '';
      signedIn(session.principal, session.roles, session.mayReadSensitive);
    })
    .catch((error: Error) => (byId('login-error').textContent = error.message));
});

byId('logout').addEventListener('click', () => {
  client.logOut();
  location.reload();
});

// A key kept in this tab's session logs in again after a reload.
const kept = client.apiKey;
if (kept)
  client.logIn(kept).then(
    (s) => signedIn(s.principal, s.roles, s.mayReadSensitive),
    () => client.logOut(),
  );
