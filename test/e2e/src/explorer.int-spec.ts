import type { EventOf, EventType } from '@prov/contracts';
import type {
  DeploymentServing,
  LineageComparison,
  LineageGraph,
  ModelCompleteness,
  PredictionTimeline,
  PredictionTrace,
} from '@prov/lineage-queries';
import type { AlertDocument, ModelLineageDocument } from '@prov/projections';
import { buildProvenanceScenario, publishScenario, scenarioTrustedKeys, uniqueName } from '@prov/testing';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium } from './browser';
import { RunningServices, productionEnv } from '@prov/platform-testing';

/**
 * The lineage explorer in a real browser (Debian's Chromium, headless),
 * served by the query gateway over the projector's scenario on real Kafka
 * and FerretDB: an auditor logs in, searches a prediction trained on a
 * flagged slice, walks its graph, opens the slice's impact and compares two
 * deployments; a viewer sees the same chain with sensitive fields redacted.
 */
const scenario = buildProvenanceScenario({ predictions: 6_000, predictionsPerBatch: 500 });
const events = scenario.messages.flatMap((m) => (m.event ? [m.event] : []));
const ofType = <T extends EventType>(type: T) => events.filter((e): e is EventOf<T> => e.type === type);

const flaggedSlice = scenario.earlyFlag.sliceId;
const runsOnFlagged = ofType('training.run.started').filter((r) =>
  r.payload.inputs.some((i) => i.sliceId === flaggedSlice),
);
const modelsOnFlagged = ofType('model.version.registered').filter((m) =>
  runsOnFlagged.some((r) => r.payload.runId === m.payload.runId),
);
const batch = ofType('prediction.batch.recorded').find((b) =>
  modelsOnFlagged.some((m) => m.payload.modelVersionId === b.payload.modelVersionId),
);
if (!batch) throw new Error('the scenario has no prediction of a model trained on its early flagged slice');
const predictionId = batch.payload.predictions[0].predictionId;
const model = modelsOnFlagged.find((m) => m.payload.modelVersionId === batch.payload.modelVersionId)?.payload;
const run = runsOnFlagged.find((r) => r.payload.runId === model?.runId)?.payload;
if (!model || !run) throw new Error('the scenario names a model version or run it never registered');
const sliceDefinitions = new Map(ofType('dataset.slice.defined').map((e) => [e.payload.sliceId, e.payload]));
const datasetVersions = new Set(run.inputs.map((i) => sliceDefinitions.get(i.sliceId)?.datasetVersionId));

describe('the lineage explorer, in a browser', () => {
  const services = new RunningServices();
  const topicPrefix = `${uniqueName('explorer')}.`;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    await publishScenario(scenario, topicPrefix, 3);
    await services.start(['projector', 'query-gateway'], {
      ...productionEnv('explorer', topicPrefix),
      PROV_AUDIT_CHECKPOINT_SECONDS: '1',
      PROV_TRUSTED_KEYS: scenarioTrustedKeys(scenario),
    });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await services.stop();
  });

  const gateway = () => services.urls['query-gateway'];
  const api = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${gateway()}${path}`, {
      headers: { authorization: `Bearer ${services.tokens.auditor}` },
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  /** The projector folds each topic on its own: wait for the chain to be whole and every link to be provable. */
  const chainFolded = async (): Promise<PredictionTrace> => {
    const deadline = Date.now() + 240_000;
    for (;;) {
      const { status, body } = await api<PredictionTrace>(`/v1/predictions/${predictionId}/trace?level=full`);
      const linked =
        status === 200 &&
        body.deployment?.known === true &&
        body.run !== null &&
        body.pipeline !== null &&
        body.slices.length === run.inputs.length &&
        body.slices.every((s) => s.known && (s.id !== flaggedSlice || s.flagged)) &&
        body.datasetVersions.every((d) => d.known);
      const proofs = linked ? await Promise.all(body.integrity.map((link) => api(link.proof))) : [];
      if (linked && proofs.every((p) => p.status === 200)) return body;
      if (Date.now() > deadline) throw new Error(`the chain of ${predictionId} was not folded in time`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  async function openPage(role: 'auditor' | 'viewer'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('console', (m) => m.type() === 'error' && problems.push(`${role} console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`${role} page error: ${e.message}`));
    await page.goto(gateway());
    await page.fill('#api-key', services.tokens[role]);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#app', { state: 'visible' });
    return page;
  }

  /** Waits until the element's text matches (the page fills it in after the gateway answers), then asserts it. */
  async function expectText(page: Page, selector: string, expected: string | RegExp): Promise<void> {
    const locator = page.locator(selector).first();
    await locator
      .waitFor()
      .then(() =>
        page.waitForFunction(
          ([sel, source, isRegExp]) => {
            const text = document.querySelector(sel as string)?.textContent ?? '';
            return isRegExp ? new RegExp(source as string).test(text) : text === source;
          },
          [selector, typeof expected === 'string' ? expected : expected.source, typeof expected !== 'string'],
          { timeout: 30_000 },
        ),
      )
      .catch(() => undefined);
    const text = (await locator.textContent()) ?? '';
    if (typeof expected === 'string') expect(text).toBe(expected);
    else expect(text).toMatch(expected);
  }

  /** Waits until the locator matches `count` elements, then asserts the count. */
  async function expectCount(locator: Locator, count: number): Promise<void> {
    await locator
      .nth(Math.max(count - 1, 0))
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
    expect(await locator.count()).toBe(count);
  }

  const nodeButton = (page: Page, id: string) => page.locator(`#graph-nodes button[data-node-id="${id}"]`);

  /** The impact chart's counts as the page shows them beside the canvas: per bucket start, per model version. */
  const shownTimeline = (page: Page) =>
    page.locator('#impact-timeline tbody tr').evaluateAll((rows) =>
      rows.map((row) => ({
        start: (row as HTMLElement).dataset['start'],
        counts: Array.from(row.querySelectorAll<HTMLElement>('td[data-model-version]'))
          .map((td) => [td.dataset['modelVersion'], Number(td.textContent)] as const)
          .filter(([, count]) => count > 0),
        total: Number(row.querySelector('td[data-total]')?.textContent),
      })),
    );

  /** The same, from the gateway's answer. */
  const expectedTimeline = (timeline: PredictionTimeline) =>
    timeline.buckets.map(({ start, count }) => ({
      start,
      counts: timeline.byModelVersion.flatMap((m) =>
        m.buckets.filter((b) => b.start === start).map((b) => [m.id, b.count] as const),
      ),
      total: count,
    }));

  /** Searches a model version or deployment and waits for its own badges (the search clears the earlier ones). */
  async function searchModel(page: Page, id: string): Promise<void> {
    await page.fill('#search-input', id);
    await page.click('#search-form button[type=submit]');
    await page.waitForFunction(
      (searched) => document.querySelector('#message')?.textContent?.includes(`around ${searched}`),
      id,
      { timeout: 30_000 },
    );
    await page.locator('[data-badge=completeness]').waitFor({ timeout: 30_000 });
  }

  /** The completeness, flagged-slice and alert badges a model version's lineage should get, from the gateway. */
  async function expectModelBadges(page: Page, modelVersionId: string, level: string, deploymentId?: string) {
    const [lineage, completeness, alerts] = await Promise.all([
      api<ModelLineageDocument>(`/v1/models/${modelVersionId}/lineage`),
      api<ModelCompleteness>(`/v1/models/${modelVersionId}/completeness?level=${level}`),
      api<{ alerts: AlertDocument[] }>('/v1/alerts'),
    ]);
    const { complete, missing } = completeness.body;
    const text = complete
      ? `lineage complete (${level})`
      : `${missing.length} missing at ${level}: ${missing.join(', ')}`;
    expect(await page.locator('[data-badge=completeness]').textContent()).toBe(
      deploymentId ? `serves ${modelVersionId}: ${text}` : text,
    );
    const flagged = lineage.body.flaggedSliceIds.length;
    expect(await page.locator('[data-badge=flagged-slices]').textContent()).toBe(
      flagged === 0 ? 'no flagged slice' : `${flagged} flagged slice${flagged === 1 ? '' : 's'}`,
    );
    const { runId, pipelineId, sliceIds, datasetVersionIds } = lineage.body;
    const ids = new Set([deploymentId, modelVersionId, runId, pipelineId, ...sliceIds, ...datasetVersionIds]);
    const concerning = alerts.body.alerts.filter((a) => ids.has(a.subject) || ids.has(a.modelVersionId));
    expect(await page.locator('[data-badge=alerts]').getAttribute('data-state')).toBe(
      concerning.length === 0 ? 'good' : 'bad',
    );
    return { flagged };
  }

  async function searchPrediction(page: Page): Promise<void> {
    await page.fill('#search-input', predictionId);
    await page.click('#search-form button[type=submit]');
    await page.locator('#graph-nodes button[data-kind=prediction]').waitFor();
  }

  it('refuses a wrong key at login and keeps the key out of the address', async () => {
    const page = await browser.newPage();
    await page.goto(gateway());
    await page.fill('#api-key', 'prov_wrong_key');
    await page.click('#login-form button[type=submit]');
    await expectText(page, '#login-error', /missing or not valid/);
    expect(await page.locator('#app').isHidden()).toBe(true);
    await page.fill('#api-key', services.tokens.viewer);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#app', { state: 'visible' });
    expect(page.url()).toBe(`${gateway()}/`);
    expect(page.url()).not.toContain(services.tokens.viewer);
    await page.close();
  });

  it('shows an auditor the graph of a prediction, its details, verified integrity, impact and differences', async () => {
    const trace = await chainFolded();
    const page = await openPage('auditor');
    await searchPrediction(page);

    // prediction -> deployment -> model version -> run -> pipeline, slices -> dataset versions.
    const nodes = page.locator('#graph-nodes button');
    await expectCount(nodes, 5 + run.inputs.length + datasetVersions.size);
    const kinds = await nodes.evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset['kind']));
    expect(kinds).toEqual([
      'prediction',
      'deployment',
      'model-version',
      'run',
      'pipeline',
      ...run.inputs.map(() => 'slice'),
      ...[...datasetVersions].map(() => 'dataset-version'),
    ]);
    expect(await nodeButton(page, batch.payload.deploymentId).count()).toBe(1);
    expect(await nodeButton(page, model.modelVersionId).textContent()).toContain(model.modelVersionId);
    expect(await nodeButton(page, flaggedSlice).getAttribute('class')).toContain('attention');

    // Badges: the flagged slice, and every event of the chain proven in the signed log by the browser.
    await page.locator('[data-badge=integrity][data-state=good]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-badge=integrity]').textContent()).toBe(
      `integrity verified: ${trace.integrity.length} events in the signed log`,
    );
    expect(await page.locator('[data-badge=flagged-slices]').getAttribute('data-state')).toBe('bad');
    await page.locator('#graph canvas').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'lineage-graph.png') });

    // The run's details: hyperparameters and seeds as the run recorded them.
    await nodeButton(page, run.runId).click();
    await expectText(page, '#details h2', run.runId);
    const seeds = await page.locator('#details > table > tbody > tr[data-field=seeds] > td').textContent();
    for (const [name, seed] of Object.entries(run.seeds)) expect(seeds).toContain(`${name}${seed}`);
    const hyperparameters = await page
      .locator('#details > table > tbody > tr[data-field=hyperparameters] > td')
      .textContent();
    for (const name of Object.keys(run.hyperparameters)) expect(hyperparameters).toContain(name);
    expect(await page.locator('#details > table > tbody > tr[data-field=codeCommit] > td').textContent()).toBe(
      run.codeCommit,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'node-details.png') });

    // An auditor sees the model's artifact digest and the prediction's output digest as recorded.
    await nodeButton(page, model.modelVersionId).click();
    expect(await page.locator('#details tr[data-field=artifact]').textContent()).toContain(model.artifact.digest);
    await nodeButton(page, predictionId).click();
    expect(await page.locator('#details tr[data-field=inputDigest] > td').textContent()).toBe(
      batch.payload.predictions[0].inputDigest,
    );

    // Expanding the model version downstream adds the deployments that served it.
    const downstream = await api<LineageGraph>(`/v1/lineage/${model.modelVersionId}?direction=downstream&depth=1`);
    const shownIds = new Set(await nodes.evaluateAll((b) => b.map((x) => (x as HTMLElement).dataset['nodeId'])));
    const added = downstream.body.nodes.filter((n) => !shownIds.has(n.id)).length;
    await nodeButton(page, model.modelVersionId).click();
    await page.click('#details button:text("Expand downstream")');
    await expectCount(nodes, shownIds.size + added);

    // An auditor reads the slice's sensitive filter as recorded.
    await nodeButton(page, flaggedSlice).click();
    expect(await page.locator('#details tr[data-field=filter]').textContent()).toContain('region.code');
    expect(await page.locator('#details .redacted').count()).toBe(0);

    // The flagged slice's impact: its flag, the model versions and deployments, the prediction counts.
    const impact = await api<{
      modelVersions: Array<{ id: string }>;
      deployments: unknown[];
      predictions: { total: number };
    }>(`/v1/slices/${flaggedSlice}/impact`);
    await page.click('#details button:text("Show impact")');
    await expectText(
      page,
      '#impact-totals',
      `${impact.body.modelVersions.length} model version(s), ${impact.body.deployments.length} deployment(s), ${impact.body.predictions.total} prediction(s)`,
    );
    expect(await page.locator('#impact-summary .flagged').textContent()).toContain('Flagged');
    expect(await page.locator('#impact-models li').count()).toBe(impact.body.modelVersions.length);
    expect(await page.locator('#impact-models').textContent()).toContain(model.modelVersionId);

    // The chart: the timeline route's counts per bucket, stacked by model version; by day, then by hour.
    const daily = await api<PredictionTimeline>(`/v1/slices/${flaggedSlice}/impact/timeline?bucket=day`);
    expect(daily.body.total).toBe(impact.body.predictions.total);
    await expectText(page, '#impact-timeline thead th', 'day');
    expect(await shownTimeline(page)).toEqual(expectedTimeline(daily.body));
    const hourly = await api<PredictionTimeline>(`/v1/slices/${flaggedSlice}/impact/timeline?bucket=hour`);
    await page.selectOption('#impact-bucket', 'hour');
    await expectText(page, '#impact-timeline thead th', 'hour');
    expect(await shownTimeline(page)).toEqual(expectedTimeline(hourly.body));
    expect(await page.locator('#impact-timeline thead th[data-model-version]').count()).toBe(
      hourly.body.byModelVersion.length,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'slice-impact.png') });

    // A model version's search, and a deployment's (of the model version it serves now), get badges too.
    await searchModel(page, model.modelVersionId);
    expect((await expectModelBadges(page, model.modelVersionId, 'full')).flagged).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'model-badges.png') });
    const serving = await api<DeploymentServing>(`/v1/deployments/${batch.payload.deploymentId}`);
    await searchModel(page, batch.payload.deploymentId);
    await expectModelBadges(
      page,
      serving.body.modelVersionId as string,
      serving.body.captureLevel ?? 'full',
      batch.payload.deploymentId,
    );

    // Two deployments side by side, what differs marked.
    const [left, right] = scenario.deploymentIds;
    const comparison = await api<LineageComparison>(`/v1/compare?left=${left}&right=${right}`);
    expect(comparison.body.differences.length).toBeGreaterThan(0);
    await page.click('#tabs button[data-tab=compare-view]');
    await page.fill('#compare-left', left);
    await page.fill('#compare-right', right);
    await page.click('#compare-form button[type=submit]');
    await expectCount(page.locator('#compare-table tbody tr'), comparison.body.differences.length);
    expect(await page.locator('#compare-table mark').count()).toBeGreaterThan(0);
    expect(await page.locator('#compare-snapshot').textContent()).toBe(
      comparison.body.sameDataSnapshot ? 'Same data snapshot' : 'Different data snapshot',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'compare.png') });
    await page.close();
  });

  it('shows a viewer the same chain with sensitive fields redacted and proofs left to auditors', async () => {
    const page = await openPage('viewer');
    expect(await page.locator('#who').textContent()).toContain('sensitive fields redacted');
    await searchPrediction(page);
    await page.locator('[data-badge=integrity]').waitFor();
    expect(await page.locator('[data-badge=integrity]').textContent()).toBe('integrity proofs need the auditor role');
    // The slice's filter is sensitive (the contracts say so): a viewer sees its digest, never its value.
    await nodeButton(page, flaggedSlice).click();
    expect(await page.locator('#details tr[data-field=filter] .redacted').textContent()).toMatch(
      /^redacted \(sha256:[0-9a-f]{64}\)$/,
    );
    expect(await page.locator('#details tr[data-field=criteria]').textContent()).not.toContain('region.code');
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-redacted.png') });
    await page.close();
  });

  it('ran without script errors or content-security-policy violations', () => {
    expect(problems).toEqual([]);
  });
});
