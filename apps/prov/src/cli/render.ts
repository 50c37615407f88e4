import type { DatasetVersionImpact, LineageComparison, PredictionTrace, SliceImpact } from '@prov/lineage-queries';
import type { DeadLetterPage } from '@prov/sdk';
import pc from 'picocolors';

/** Human-readable answers: what a person reads at a terminal (--json gives the API's answer itself). */

const value = (v: unknown): string =>
  v === undefined ? pc.dim('—') : v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);

const heading = (text: string) => pc.bold(text);

export function renderTrace(trace: PredictionTrace): string {
  const lines: string[] = [];
  const { prediction, deployment, modelVersion, run, pipeline } = trace;
  lines.push(heading(`Prediction ${prediction.id}`), `  made at ${prediction.at}, recorded ${prediction.recordedAt}`);
  lines.push(`  input ${prediction.inputDigest}`);
  if (prediction.output !== undefined) lines.push(`  output ${value(prediction.output)}`);
  lines.push(heading('Deployment'));
  if (!deployment) lines.push(`  ${prediction.deploymentId} ${pc.yellow('(not known)')}`);
  else {
    const window = deployment.revision
      ? `serving ${deployment.revision.modelVersionId} since ${deployment.revision.from}${deployment.revision.to ? ` until ${deployment.revision.to}` : ''}`
      : 'no revision in force at that time';
    lines.push(`  ${deployment.id} (${deployment.endpoint ?? 'no endpoint'}): ${window}`);
    if (!deployment.servedModelMatches)
      lines.push(`  ${pc.red('the deployment did not serve the model version the prediction names')}`);
  }
  lines.push(heading('Model version'));
  if (!modelVersion) lines.push(`  ${prediction.modelVersionId} ${pc.yellow('(not registered)')}`);
  else {
    const revoked = modelVersion.revoked ? ` ${pc.red('REVOKED')}` : '';
    lines.push(`  ${modelVersion.id}${revoked}, stage ${modelVersion.stage ?? 'none'}`);
    lines.push(`  artifact ${modelVersion.artifact.digest} at ${modelVersion.artifact.uri}`);
  }
  lines.push(heading('Training run'));
  if (!run) lines.push(`  ${pc.yellow('not known')}`);
  else {
    lines.push(`  ${run.id}, commit ${run.codeCommit}, started ${run.startedAt}`);
    if (run.completion) lines.push(`  ${run.completion.status} at ${run.completion.endedAt}`);
    if (run.hyperparameters) lines.push(`  hyperparameters ${value(run.hyperparameters)}`);
    if (run.seeds) lines.push(`  seeds ${value(run.seeds)}`);
    if (run.environment) lines.push(`  environment ${value(run.environment)}`);
  }
  lines.push(heading('Pipeline'));
  if (!pipeline) lines.push(`  ${pc.yellow('not known')}`);
  else {
    lines.push(`  ${pipeline.id}, code ${pipeline.codeDigest}`);
    lines.push(`  steps: ${pipeline.steps.map((s) => s.name).join(' -> ') || 'none'}`);
  }
  lines.push(heading('Training data'));
  for (const slice of trace.slices) {
    const flagged =
      slice.flags.length > 0 ? ` ${pc.red(`FLAGGED (${slice.flags.map((f) => f.reason).join(', ')})`)}` : '';
    lines.push(`  ${slice.roles.join('+') || 'slice'} ${slice.id}${flagged}`);
    lines.push(
      `    of ${slice.datasetVersionId ?? 'an unknown dataset version'}${slice.rowCount === null ? '' : `, ${slice.rowCount} rows`}`,
    );
    if (slice.criteria) lines.push(`    criteria ${value(slice.criteria)}`);
  }
  for (const dsv of trace.datasetVersions) {
    lines.push(`  dataset version ${dsv.id} (${dsv.datasetId ?? 'dataset unknown'}, ${value(dsv.partCount)} files)`);
  }
  const { completeness } = trace;
  lines.push(
    heading('Completeness'),
    completeness.complete
      ? `  ${pc.green(`complete at the ${completeness.level} level`)}`
      : `  ${pc.yellow(`missing at the ${completeness.level} level: ${completeness.missing.join(', ')}`)}`,
  );
  lines.push(
    heading('Integrity'),
    ...trace.integrity.map((l) => `  ${l.link}: ${l.type} ${l.eventId} ${l.payloadDigest}`),
  );
  return lines.join('\n');
}

export function renderImpact(impact: SliceImpact | DatasetVersionImpact): string {
  const lines: string[] = [];
  if ('sliceId' in impact) {
    const flagged = impact.flagged ? ` ${pc.red(`FLAGGED (${impact.flags.map((f) => f.reason).join(', ')})`)}` : '';
    lines.push(heading(`Slice ${impact.sliceId}${flagged}`));
  } else {
    lines.push(heading(`Dataset version ${impact.datasetVersionId}`), `  ${impact.sliceIds.length} slices`);
  }
  lines.push(heading(`Model versions trained on it (${impact.modelVersions.length})`));
  for (const model of impact.modelVersions)
    lines.push(`  ${model.id} (run ${model.runId}, as ${model.roles.join('+')})`);
  lines.push(heading(`Deployments that served them (${impact.deployments.length})`));
  for (const deployment of impact.deployments) {
    lines.push(`  ${deployment.id}`);
    for (const w of deployment.windows) lines.push(`    ${w.modelVersionId} from ${w.from} until ${w.to ?? 'now'}`);
  }
  lines.push(heading(`Predictions (${impact.predictions.total})`));
  for (const m of impact.predictions.byModelVersion) lines.push(`  ${m.id}: ${m.count}, ${m.firstAt} .. ${m.lastAt}`);
  return lines.join('\n');
}

export function renderComparison(left: string, right: string, comparison: LineageComparison): string {
  const lines = [
    heading(`${left}  vs  ${right}`),
    comparison.sameDataSnapshot
      ? pc.green('same data snapshot: the same slices of the same dataset versions, in the same roles and fractions')
      : pc.yellow('different training data'),
  ];
  if (comparison.differences.length === 0)
    lines.push('no differences in data, pipeline, hyperparameters, seeds or environment');
  for (const d of comparison.differences) lines.push(`  ${d.path}: ${value(d.left)} -> ${value(d.right)}`);
  return lines.join('\n');
}

export function renderDeadLetters({ deadLetters, nextCursor }: DeadLetterPage): string {
  if (deadLetters.length === 0) return pc.dim('no dead letters');
  const rows = deadLetters.map((letter) => [
    letter.recordedAt,
    letter.reason,
    `${letter.source.topic}/${letter.source.partition}/${letter.source.offset}`,
    letter.source.key === undefined ? '—' : JSON.stringify(letter.source.key),
    letter.problems.map((p) => (p.path ? `${p.path}: ${p.problem}` : p.problem)).join('; '),
  ]);
  const header = ['refused at', 'reason', 'message (topic/partition/offset)', 'key', 'problems'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [
    heading(line(header)),
    ...rows.map(line),
    ...(nextCursor === null ? [] : [pc.dim(`more: --cursor ${nextCursor} (or --all)`)]),
  ].join('\n');
}
