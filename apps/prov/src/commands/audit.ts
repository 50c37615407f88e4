import {
  AuditBundle,
  AuditExport,
  BundleVerificationReport,
  Divergence,
  InvalidExportError,
  LogSummary,
  PublicKeyRecord,
  exportLines,
  parseExport,
  verifyAuditLogs,
  verifyBundle,
  type AuditVerificationReport,
} from '@prov/audit';
import { DataDirectoryLockedError, EventLogError, openEventLog, type EventLogSettings } from '@prov/event-log';
import { readAuditEvidence } from '@prov/projector-engine';
import { ProvenanceApiError, type ProvenanceClient, type SignedCheckpoint } from '@prov/sdk';
import { readFile, writeFile } from 'node:fs/promises';
import pc from 'picocolors';
import { CliError, EXIT } from '../cli/exit-codes';
import type { Output } from '../cli/output';

const PAGE = 1000;

/** Every log's events with their stored leaves, every checkpoint and every key, read from the gateway. */
async function exportFromGateway(client: ProvenanceClient, out: Output): Promise<AuditExport> {
  const { logs } = await client.audit.logs();
  const total = logs.reduce((sum, l) => sum + l.treeSize, 0);
  const progress = out.progress('export', total, 'events');
  const exported: AuditExport = { keys: (await client.audit.keys()).keys, events: [], checkpoints: [] };
  try {
    for (const { logId } of logs) {
      for (let from: number | null = 0; from !== null;) {
        const page = await client.audit.logEvents(logId, { from, limit: PAGE });
        exported.events.push(...page.events);
        progress.update(exported.events.length);
        from = page.next;
      }
      exported.checkpoints.push(...(await checkpointsOf(client, logId)));
    }
  } finally {
    progress.stop();
  }
  return exported;
}

/** A log no checkpoint has been signed of yet answers 404: it has none. */
async function checkpointsOf(client: ProvenanceClient, logId: string): Promise<SignedCheckpoint[]> {
  try {
    return (await client.audit.checkpoints(logId)).checkpoints;
  } catch (error) {
    if (error instanceof ProvenanceApiError && error.status === 404) return [];
    throw error;
  }
}

/** `prov audit export --out <file>`: the audit log as JSON lines, to verify offline with `prov audit verify --from`. */
export async function auditExport(client: ProvenanceClient, out: Output, options: { out: string }): Promise<number> {
  const exported = await exportFromGateway(client, out);
  await writeFile(options.out, `${exportLines(exported, new Date().toISOString()).join('\n')}\n`, 'utf8');
  const summary = {
    file: options.out,
    events: exported.events.length,
    checkpoints: exported.checkpoints.length,
    keys: exported.keys.length,
  };
  out.answer(
    summary,
    () =>
      `Exported ${summary.events} events, ${summary.checkpoints} checkpoints and ${summary.keys} keys to ${summary.file}`,
  );
  return EXIT.ok;
}

export interface VerifyOptions {
  from?: string;
  bundle?: string;
  /** Read the event stream from Kafka (brokers, comma-separated)... */
  kafka?: string;
  /** ...or from a file event log directory (the embedded platform's `<data dir>/log`, while it is stopped). */
  eventLog?: string;
  topicPrefix?: string;
  keys?: string;
  allowUnsigned?: boolean;
  /** Fail when a log has events that no signed checkpoint covers yet. */
  requireCheckpoint?: boolean;
}

/** The events and checkpoints as the event log holds them, not as the platform's store does. */
async function evidenceFromEventLog(settings: EventLogSettings, out: Output) {
  let log;
  try {
    log = await openEventLog(settings);
  } catch (error) {
    if (error instanceof DataDirectoryLockedError)
      throw new CliError(
        `${error.message}: stop the platform, or verify through it (no --event-log)`,
        EXIT.unavailable,
      );
    if (error instanceof EventLogError)
      throw new CliError(`cannot open the event log: ${error.message}`, EXIT.unavailable);
    throw error;
  }
  const progress = out.progress('read', 0, 'records');
  try {
    return await readAuditEvidence(log, (records) => progress.update(records, records));
  } finally {
    progress.stop();
    await log.close();
  }
}

/**
 * `prov audit verify`: an export file (`--from`), a bundle (`--bundle`),
 * or, with neither, the platform's whole audit log read from the gateway;
 * every digest, signature, leaf, root and checkpoint recomputed here.
 * Exit 0 when everything holds, 1 at the first divergence, and with
 * `--require-checkpoint` when a log has events no checkpoint covers.
 */
export async function auditVerify(
  client: () => ProvenanceClient,
  out: Output,
  options: VerifyOptions,
): Promise<number> {
  const sources = [options.from, options.bundle, options.kafka, options.eventLog].filter((s) => s !== undefined);
  if (sources.length > 1) throw new CliError('give one of --from, --bundle, --kafka and --event-log', EXIT.usage);
  const pinned = options.keys ? await readKeys(options.keys) : undefined;
  const requireSignatures = !options.allowUnsigned;
  const requireCheckpoint = options.requireCheckpoint ?? false;
  if (options.kafka || options.eventLog) {
    // The event log carries no keys: they must come from the verifier.
    if (!pinned)
      throw new CliError('verifying the event log itself needs --keys (as GET /v1/audit/keys answers)', EXIT.usage);
    const settings: EventLogSettings = options.kafka
      ? {
          kind: 'kafka',
          clientId: 'prov-audit',
          brokers: options.kafka.split(',').map((b) => b.trim()),
          topicPrefix: options.topicPrefix,
        }
      : { kind: 'file', directory: options.eventLog as string, topicPrefix: options.topicPrefix };
    const report = verifyAuditLogs(await evidenceFromEventLog(settings, out), {
      keys: pinned,
      requireSignatures,
      requireCheckpoint,
    });
    out.answer({ ...report, keysFrom: 'trusted' }, () => renderLogReport(report, 'trusted'));
    return report.ok ? EXIT.ok : EXIT.checkFailed;
  }
  if (options.bundle) {
    const bundle = (await readJson(options.bundle)) as AuditBundle;
    const report = await verifyBundle(bundle, { trustedKeys: pinned, requireSignatures });
    out.answer(report, () => renderBundleReport(report, bundle));
    return report.ok ? EXIT.ok : EXIT.checkFailed;
  }
  const evidence = options.from ? await readExport(options.from) : await exportFromGateway(client(), out);
  const report = verifyAuditLogs(evidence, { keys: pinned ?? evidence.keys, requireSignatures, requireCheckpoint });
  const keysFrom = pinned ? 'trusted' : options.from ? 'export' : 'platform';
  out.answer({ ...report, keysFrom }, () => renderLogReport(report, keysFrom));
  return report.ok ? EXIT.ok : EXIT.checkFailed;
}

/** `prov audit bundle <predictionId> --out <file>`: one self-contained file to verify offline. */
export async function auditBundle(
  client: ProvenanceClient,
  out: Output,
  predictionId: string,
  options: { out: string; level: 'standard' | 'full'; redact?: boolean },
): Promise<number> {
  const bundle = await client.audit.bundle(withPrefix(predictionId), { level: options.level, redact: options.redact });
  await writeFile(options.out, `${JSON.stringify(bundle, null, 2)}\n`, 'utf8');
  const summary = { file: options.out, predictionId: bundle.predictionId, events: bundle.events.length };
  out.answer(
    summary,
    () => `Wrote the audit bundle of ${summary.predictionId} (${summary.events} events) to ${summary.file}`,
  );
  return EXIT.ok;
}

/** `prov audit prove <predictionId>`: the prediction's chain, each event with its proof, checked here. */
export async function auditProve(
  client: ProvenanceClient,
  out: Output,
  predictionId: string,
  options: { level: 'standard' | 'full' },
): Promise<number> {
  const bundle = await client.audit.bundle(withPrefix(predictionId), { level: options.level });
  const report = await verifyBundle(bundle);
  const chain = bundle.events.map((e) => ({
    eventId: e.eventId,
    type: (e.event as { type?: string }).type,
    logId: e.logId,
    leafIndex: e.leafIndex,
    leafHash: e.leafHash,
    treeSize: e.treeSize,
    proof: e.proof,
  }));
  out.answer({ predictionId: bundle.predictionId, chain, checkpoints: bundle.checkpoints, verification: report }, () =>
    [
      pc.bold(`The chain of ${bundle.predictionId}: ${chain.length} events`),
      ...chain.flatMap((link) => [
        `  ${link.type} ${link.eventId}`,
        `    leaf ${link.leafIndex} of ${link.logId} at tree size ${link.treeSize}: ${link.leafHash}`,
        ...link.proof.map((hash, i) => `    ${pc.dim(`proof[${i}]`)} ${hash}`),
      ]),
      pc.bold('Signed checkpoints'),
      ...bundle.checkpoints.map(
        (c) => `  ${c.logId} size ${c.treeSize} root ${c.rootHash} by ${c.keyId} at ${c.signedAt}`,
      ),
      renderBundleReport(report, bundle),
    ].join('\n'),
  );
  return report.ok ? EXIT.ok : EXIT.checkFailed;
}

function renderLogReport(report: AuditVerificationReport, keysFrom: string): string {
  const lines = report.logs.map((l) => `  ${l.logId}: ${l.checkpoints} checkpoints, ${coverage(l)}`);
  const keys = keysFrom === 'trusted' ? 'the pinned keys' : `the keys of the ${keysFrom} (pin them with --keys)`;
  if (report.ok) {
    const uncovered = report.logs.filter((l) => l.verifiedTreeSize < l.events);
    const events = uncovered.reduce((sum, l) => sum + l.events - l.verifiedTreeSize, 0);
    const caveat =
      uncovered.length === 0
        ? []
        : [
            pc.yellow(
              `${events} events of ${uncovered.length} logs are covered by no signed checkpoint yet: each verifies, but no signed root commits to them (--require-checkpoint fails on this)`,
            ),
          ];
    return [pc.green(pc.bold(`The audit log verifies, with ${keys}`)), ...lines, ...caveat].join('\n');
  }
  return [
    ...report.divergences.map(renderDivergence),
    ...lines,
    pc.red(pc.bold(`The audit log does NOT verify (${report.divergences.length} logs diverge)`)),
  ].join('\n');
}

/** How much of a log the verified checkpoints cover: `covered 12 of 15 events by the checkpoint at tree size 12`. */
function coverage(log: LogSummary): string {
  const covered = `covered ${log.verifiedTreeSize} of ${log.events} events`;
  if (log.verifiedTreeSize > 0) return `${covered} by the checkpoint at tree size ${log.verifiedTreeSize}`;
  return `${covered}: ${log.checkpoints === 0 ? 'no signed checkpoint' : 'no checkpoint verified'}`;
}

function renderBundleReport(report: BundleVerificationReport, bundle: AuditBundle): string {
  const keys = report.keysFrom === 'trusted' ? 'the pinned keys' : "the bundle's own keys (pin them with --keys)";
  if (report.ok)
    return pc.green(
      pc.bold(
        `The bundle of ${bundle.predictionId} verifies: ${report.events} events proven, trace refolded, with ${keys}`,
      ),
    );
  return [
    renderDivergence(report.divergence as Divergence),
    pc.red(pc.bold(`The bundle of ${bundle.predictionId} does NOT verify`)),
  ].join('\n');
}

function renderDivergence(d: Divergence): string {
  const where = [
    d.logId && `log ${d.logId}`,
    d.index !== undefined && `index ${d.index}`,
    d.eventId && `event ${d.eventId}`,
    d.document && `document ${d.document}`,
    d.path && `field ${d.path}`,
  ].filter(Boolean);
  return [
    pc.red(`${d.kind}: ${d.message}`),
    `  ${where.join(', ')}`,
    `  expected ${d.expected}`,
    `  found    ${d.found}`,
  ].join('\n');
}

async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${file}: ${error.message}`, error.code === 'ENOENT' ? EXIT.notFound : EXIT.usage);
  });
}

async function readJson(file: string): Promise<unknown> {
  const text = await readText(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${(error as Error).message}`, EXIT.usage);
  }
}

async function readExport(file: string): Promise<AuditExport> {
  const text = await readText(file);
  try {
    return parseExport(text);
  } catch (error) {
    if (error instanceof InvalidExportError) throw new CliError(`${file}: ${error.message}`, EXIT.usage);
    throw error;
  }
}

/** Pinned keys: `{ "keys": [{ keyId, service, publicKey }] }`, as `GET /v1/audit/keys` answers. */
async function readKeys(file: string): Promise<PublicKeyRecord[]> {
  const keys = ((await readJson(file)) as { keys?: unknown })?.keys;
  const valid =
    Array.isArray(keys) &&
    keys.every((k) =>
      ['keyId', 'service', 'publicKey'].every((f) => typeof (k as Record<string, unknown>)?.[f] === 'string'),
    );
  if (!valid) throw new CliError(`${file} must be { "keys": [{ "keyId", "service", "publicKey" }] }`, EXIT.usage);
  return keys as PublicKeyRecord[];
}

const withPrefix = (id: string) => (id.startsWith('pred:') ? id : `pred:${id}`);
