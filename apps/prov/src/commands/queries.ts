import type { ProvenanceClient } from '@prov/sdk';
import { CliError, EXIT } from '../cli/exit-codes';
import type { Output } from '../cli/output';
import { renderComparison, renderImpact, renderTrace } from '../cli/render';

/** `prov trace <predictionId>`: what produced a prediction. */
export async function trace(
  client: ProvenanceClient,
  out: Output,
  predictionId: string,
  options: { level: 'standard' | 'full'; requireComplete?: boolean },
): Promise<number> {
  const answer = await client.queries.trace(withPrefix(predictionId, 'pred:'), { level: options.level });
  out.answer(answer, () => renderTrace(answer));
  return options.requireComplete && !answer.completeness.complete ? EXIT.checkFailed : EXIT.ok;
}

/** `prov impact <sliceId|datasetVersionId>`: which models, deployments and predictions the data touched. */
export async function impact(
  client: ProvenanceClient,
  out: Output,
  id: string,
  options: { predictions?: number },
): Promise<number> {
  if (!id.startsWith('slice:') && !id.startsWith('dsv:'))
    throw new CliError(
      `${id} is neither a slice id (slice:sha256:…) nor a dataset version id (dsv:sha256:…)`,
      EXIT.usage,
    );
  const answer = id.startsWith('slice:')
    ? await client.queries.sliceImpact(id)
    : await client.queries.datasetVersionImpact(id);
  const predictionIds =
    options.predictions && id.startsWith('slice:') ? await pages(client, id, options.predictions) : undefined;
  out.answer(predictionIds ? { ...answer, predictionIds } : answer, () =>
    [renderImpact(answer), ...(predictionIds ? ['Prediction ids:', ...predictionIds.map((p) => `  ${p}`)] : [])].join(
      '\n',
    ),
  );
  return EXIT.ok;
}

async function pages(client: ProvenanceClient, sliceId: string, wanted: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.queries.slicePredictions(sliceId, { cursor, limit: Math.min(1000, wanted - ids.length) });
    ids.push(...page.predictionIds);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && ids.length < wanted);
  return ids;
}

/** `prov compare <a> <b>`: two model versions or deployments, side by side. */
export async function compare(client: ProvenanceClient, out: Output, left: string, right: string): Promise<number> {
  const answer = await client.queries.compare(left, right);
  out.answer(answer, () => renderComparison(left, right, answer));
  return EXIT.ok;
}

const withPrefix = (id: string, prefix: string) => (id.startsWith(prefix) ? id : `${prefix}${id}`);
