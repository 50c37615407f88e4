import { createHash } from 'node:crypto';
import { verifyAuditLogs, type PublicKeyRecord } from '@prov/audit';
import { canonicalJson } from '@prov/integrity';
import { readAuditEvidence } from '@prov/projector-engine';
import type { BenchSession } from '../bench-session';
import type { ServiceProcess } from '../processes/service-process';
import { row } from '../report/bench-report';

/**
 * Row 5 (audit): `verifyAuditLogs` of libs/audit over the whole record as
 * `prov audit verify --kafka` reads it (every event of every partition in
 * log order, every published checkpoint): each payload digest, signature,
 * leaf, root and checkpoint signature recomputed. Next to it, the raw
 * SHA-256 rate of the same events' canonical bytes: hashing each event
 * once is the least any verification of those leaves does.
 */
export async function measureAuditVerification(
  session: BenchSession,
  gateway: ServiceProcess,
  scale: number,
): Promise<void> {
  const label = `${scale.toLocaleString('en-US')} predictions`;
  const evidence = await session.time(`read the audit evidence from Kafka @${label}`, () =>
    readAuditEvidence(session.log),
  );
  if (evidence.checkpoints.length === 0) throw new Error('no signed checkpoint was published to provenance.audit.v1');
  // The producers' keys pinned from the workload; the checkpoint key as the platform publishes it.
  const published = await session.getJson<{ keys: PublicKeyRecord[] }>(`${gateway.url}/v1/audit/keys`);
  const producers = new Set(Object.keys(session.workload.signers));
  const keys: PublicKeyRecord[] = [
    ...Object.entries(session.workload.signers).map(([service, pair]) => ({
      keyId: pair.keyId,
      service,
      publicKey: pair.publicKeyPem,
    })),
    ...published.keys.filter((key) => !producers.has(key.service)),
  ];

  const started = performance.now();
  const report = verifyAuditLogs(evidence, { keys, requireSignatures: true });
  const seconds = (performance.now() - started) / 1000;
  if (!report.ok) {
    throw new Error(`the bench's own record does not verify: ${JSON.stringify(report.divergence)}`);
  }

  const canonical = evidence.events.map((e) => Buffer.from(canonicalJson(e.event), 'utf8'));
  const bytes = canonical.reduce((sum, b) => sum + b.length, 0);
  const rawStarted = performance.now();
  for (const data of canonical) createHash('sha256').update(data).digest();
  const rawSeconds = (performance.now() - rawStarted) / 1000;

  const mib = bytes / 2 ** 20;
  session.rows.push(
    row({
      row: `audit verification @${label}`,
      figure: mib / seconds,
      unit: 'MiB/s',
      raw: mib / rawSeconds,
      notes: `verifyAuditLogs: ${evidence.events.length} events (${mib.toFixed(0)} MiB canonical) in ${report.logs.length} logs and ${evidence.checkpoints.length} checkpoints, every digest, signature, leaf and root, in ${seconds.toFixed(1)} s (${(evidence.events.length / seconds).toFixed(0)} events/s); raw: node:crypto SHA-256 of the same canonical bytes`,
      goal: { text: 'full-log verification near the raw SHA-256 rate', met: mib / seconds >= 0.5 * (mib / rawSeconds) },
    }),
  );
}
