import type { DatasetVersionImpact, LineageComparison, PredictionTrace, SliceImpact } from '@prov/lineage-queries';
import type { DeadLetterPage, StatusAnswer } from '@prov/sdk';
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

/** Bytes in binary units, one decimal from KiB up; null (a size the store or log cannot tell) as such. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'size unknown';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${size.toFixed(1)} ${units[unit]}`;
}

const count = (n: number) => n.toLocaleString('en-US');

const onDisk = (bytes: number | null, kind: string) =>
  bytes === null
    ? kind === 'memory'
      ? 'in memory, nothing on disk'
      : 'size on disk unknown'
    : `${formatBytes(bytes)} on disk`;

/** Rows of cells, the first a header, in columns as wide as their widest cell; numbers aligned right. */
function table(rows: string[][], rightAligned: number[]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row, index) => {
    const line = row
      .map((cell, column) =>
        rightAligned.includes(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join('   ')
      .trimEnd();
    return index === 0 ? `  ${pc.dim(line)}` : `  ${line}`;
  });
}

/** `prov status`: the log's records per topic, the active generation's documents per view, and sizes on disk. */
export function renderStatus({ eventLog, store }: StatusAnswer): string {
  const lines = [
    `${heading('Event log')} (${eventLog.kind}): ${count(eventLog.records)} records, ${onDisk(eventLog.bytesOnDisk, eventLog.kind)}`,
    ...table(
      [
        ['topic', 'partitions', 'records', 'on disk'],
        ...eventLog.topics.map((t) => [t.topic, String(t.partitions), count(t.records), formatBytes(t.bytesOnDisk)]),
      ],
      [1, 2, 3],
    ),
    '',
    `${heading('Views')} (${store.kind}): ${onDisk(store.bytesOnDisk, store.kind)}`,
  ];
  const active = store.activeGeneration;
  if (!active) {
    lines.push(pc.yellow('  no active generation yet: the projector is building the first one'));
    return lines.join('\n');
  }
  const behind =
    active.recordsToFold === 0
      ? pc.green('holds everything in the log')
      : pc.yellow(`${count(active.recordsToFold)} records of the log still to fold`);
  lines.push(`  active generation ${pc.bold(active.name)}: ${count(active.documents)} documents, ${behind}`);
  lines.push(
    ...table(
      [['view', 'documents'], ...Object.entries(active.documentsByView).map(([view, n]) => [view, count(n)])],
      [1],
    ),
  );
  return lines.join('\n');
}

/** One line of what the log and the views hold (the start banner's). */
export function statusSummary({ eventLog, store }: StatusAnswer): string {
  const log = `the log holds ${count(eventLog.records)} records (${onDisk(eventLog.bytesOnDisk, eventLog.kind)})`;
  const active = store.activeGeneration;
  const behind = active?.recordsToFold ? `, ${count(active.recordsToFold)} records still to fold` : '';
  const views = active
    ? `the views of generation ${active.name} ${count(active.documents)} documents (${onDisk(store.bytesOnDisk, store.kind)})${behind}`
    : `the views have no active generation yet (${onDisk(store.bytesOnDisk, store.kind)})`;
  return `${log}; ${views}`;
}
