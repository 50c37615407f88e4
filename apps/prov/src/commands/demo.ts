import type { DatasetVersionImpact, LineageComparison, PredictionTrace, SliceImpact } from '@prov/lineage-queries';
import { ProvenanceApiError, type ProvenanceClient } from '@prov/sdk';
import pc from 'picocolors';
import { CliError, EXIT } from '../cli/exit-codes';
import type { Output } from '../cli/output';
import { renderComparison, renderImpact, renderTrace } from '../cli/render';
import { DEMO_STEPS, DemoScenario, recordDemoScenario } from '../demo/demo-scenario';

export interface DemoAnswers {
  scenario: DemoScenario;
  traceBeforeRevision: PredictionTrace;
  traceAfterRevision: PredictionTrace;
  flaggedSliceImpact: SliceImpact;
  datasetVersionImpact: DatasetVersionImpact;
  comparison: LineageComparison;
}

/**
 * `prov demo`: records a realistic scenario through the public API, waits
 * until the projector has folded it, then asks the questions the platform
 * exists for and prints the answers (and the commands that ask them).
 */
export async function demo(
  client: ProvenanceClient,
  out: Output,
  options: { dataDirectory: string; timeoutSeconds: number },
): Promise<number> {
  out.note(`recording the demo scenario through the API (files under ${options.dataDirectory})`);
  const steps = out.progress('recording', DEMO_STEPS, 'steps');
  let done = 0;
  const scenario = await recordDemoScenario(client, options.dataDirectory, (step) => {
    steps.update(done++);
    out.note(`  ${step}`);
  }).finally(() => {
    steps.update(DEMO_STEPS);
    steps.stop();
  });

  out.note('waiting for the projector to fold the events into the views');
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const answers = await untilFolded(client, scenario, deadline);

  out.answer(answers, () => {
    const { traceBeforeRevision: before, traceAfterRevision: after } = answers;
    const q = (n: number, text: string, command: string) =>
      `\n${pc.bold(pc.cyan(`Q${n}. ${text}`))}\n${pc.dim(`$ ${command}`)}`;
    return [
      q(
        1,
        `Which model version made ${before.prediction.id}, from which run, pipeline and data?`,
        `npx prov trace ${before.prediction.id} --level full`,
      ),
      renderTrace(before),
      q(
        2,
        `${after.prediction.id} was made after churn-api was revised on ${scenario.revisionAt}: which model made it?`,
        `npx prov trace ${after.prediction.id}`,
      ),
      `${after.prediction.id} -> ${after.modelVersion?.id}, trained by ${after.run?.id} on ${after.slices.map((s) => s.id).join(', ')}`,
      q(
        3,
        'The October training slice was flagged for labeling bias. Which models and predictions did it touch?',
        `npx prov impact ${scenario.flaggedSlice}`,
      ),
      renderImpact(answers.flaggedSliceImpact),
      q(
        4,
        'What changed between churn@1 and churn@2?',
        `npx prov compare ${scenario.modelVersions.first} ${scenario.modelVersions.second}`,
      ),
      renderComparison(scenario.modelVersions.first, scenario.modelVersions.second, answers.comparison),
      q(
        5,
        'Are the October files on disk still exactly the registered snapshot?',
        `npx prov verify-data ${scenario.datasetVersions.october} ${options.dataDirectory}/customer-events/2026-10`,
      ),
      '',
    ].join('\n');
  });
  return EXIT.ok;
}

/** The answers, once the views hold the whole scenario (the projector folds each topic on its own). */
async function untilFolded(client: ProvenanceClient, scenario: DemoScenario, deadline: number): Promise<DemoAnswers> {
  let last = 'nothing yet';
  for (;;) {
    try {
      const [traceBeforeRevision, traceAfterRevision, flaggedSliceImpact] = await Promise.all([
        client.queries.trace(scenario.predictionBeforeRevision, { level: 'full' }),
        client.queries.trace(scenario.predictionAfterRevision, { level: 'full' }),
        client.queries.sliceImpact(scenario.flaggedSlice),
      ]);
      const folded =
        traceBeforeRevision.deployment?.revision?.modelVersionId === scenario.modelVersions.first &&
        traceAfterRevision.deployment?.revision?.modelVersionId === scenario.modelVersions.second &&
        traceAfterRevision.completeness.missing.every(
          (path) => !['slices', 'pipeline', 'run', 'deployment'].includes(path),
        ) &&
        flaggedSliceImpact.flagged &&
        flaggedSliceImpact.predictions.total >= scenario.predictionCounts.first;
      if (folded) {
        const [datasetVersionImpact, comparison] = await Promise.all([
          client.queries.datasetVersionImpact(scenario.datasetVersions.october),
          client.queries.compare(scenario.modelVersions.first, scenario.modelVersions.second),
        ]);
        return {
          scenario,
          traceBeforeRevision,
          traceAfterRevision,
          flaggedSliceImpact,
          datasetVersionImpact,
          comparison,
        };
      }
      last = 'the views do not hold the whole scenario yet';
    } catch (error) {
      // 404 and 503: the projector has not folded (or built) that far yet.
      if (!(error instanceof ProvenanceApiError) || ![404, 503].includes(error.status)) throw error;
      last = error.message;
    }
    if (Date.now() > deadline)
      throw new CliError(
        `the views did not hold the demo's events in time (${last}); is the projector running?`,
        EXIT.unavailable,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}
