import { randomInt } from 'node:crypto';
import { verifyInclusion, type InclusionProof } from '@prov/integrity';
import type { BenchSession } from '../bench-session';
import { KeptAliveGets } from '../measure/http-load';
import { LatencySample, runAtRate } from '../measure/latency-sample';
import { pollUntil } from '../measure/poll-until';
import type { ServiceProcess } from '../processes/service-process';
import { row } from '../report/bench-report';
import { ProvenanceWorkload } from '../workload/provenance-workload';

/** Traces whose integrity links give the events whose proofs are asked. */
const TRACED_PREDICTIONS = 200;
/** The projector signs a checkpoint at least this often (PROV_AUDIT_CHECKPOINT_SECONDS, default 30 s). */
const CHECKPOINT_WAIT_SECONDS = 90;


/**
 * Row 5 (audit): `GET /v1/audit/events/{eventId}/proof` on the running query
 * gateway for the events on real traces' chains (prediction batches, model
 * versions, runs, slices, deployments), each proof checked once against its
 * signed checkpoint's root, then timed at the trace rows' steady rate next
 * to the raw `findOne({_id})` of one stored audit hash on the same server.
 */
export async function measureProofLatency(
  session: BenchSession,
  gateway: ServiceProcess,
  scale: number,
): Promise<void> {
  const { connections, durationSeconds, traceRate } = session.options;
  const label = `${scale.toLocaleString('en-US')} predictions`;
  const paths = await proofPaths(session, gateway, scale);
  const pending = new Set(paths);
  await pollUntil(
    `a signed checkpoint covering the traced events (${paths.length})`,
    async () => {
      for (const path of [...pending]) {
        if ((await fetchProof(session, gateway, path)) !== 'not-checkpointed') pending.delete(path);
      }
      // Checkpoints come every few seconds: no need to ask more often.
      if (pending.size > 0) await new Promise((resolveWait) => setTimeout(resolveWait, 1000));
      return { done: pending.size === 0, progress: String(pending.size) };
    },
    { stallSeconds: CHECKPOINT_WAIT_SECONDS, diagnosis: () => `Last output of the gateway:\n${gateway.tail()}` },
  );
  for (const path of paths) {
    const proof = await fetchProof(session, gateway, path);
    if (proof === 'not-checkpointed') throw new Error(`${path}: not checkpointed any more`);
    const verified = verifyInclusion(
      Buffer.from(proof.leafHash, 'hex'),
      proof.leafIndex,
      proof.treeSize,
      proof.proof.map((h) => Buffer.from(h, 'hex')),
      Buffer.from(proof.checkpoint.rootHash, 'hex'),
    );
    if (!verified) throw new Error(`${path}: the inclusion proof does not lead to its checkpoint's root`);
  }

  const hashes = session.mongo.db(session.database).collection<{ _id: string }>('audit_hashes');
  const hashIds = (await hashes.find({ level: 0 }, { projection: { _id: 1 }, limit: 1000 }).toArray()).map(
    (d) => d._id,
  );
  if (hashIds.length === 0)
    throw new Error('the store holds no audit leaf: has libs/lineage-store renamed audit_hashes?');

  const gets = new KeptAliveGets(gateway.url, connections, { authorization: `Bearer ${session.auditor.token}` });
  const seconds = Math.max(2, durationSeconds / 2);
  const { proofs, raw } = await session.time(`inclusion proof latency @${label}`, async () => {
    try {
      const proofSample = new LatencySample();
      const rawSample = new LatencySample();
      const proofRun = (sample: LatencySample, s: number) =>
        runAtRate(s, traceRate, connections, async () => sample.add(await gets.get(paths[randomInt(paths.length)])));
      const rawRun = (sample: LatencySample, s: number) =>
        runAtRate(s, traceRate, connections, async () => {
          const started = performance.now();
          const found = await hashes.findOne({ _id: hashIds[randomInt(hashIds.length)] });
          sample.add(performance.now() - started);
          if (!found) throw new Error('a stored audit hash disappeared');
        });
      await proofRun(new LatencySample(), 2);
      await rawRun(new LatencySample(), 2);
      const proofSeconds = (await proofRun(proofSample, seconds)).seconds;
      const rawSeconds = (await rawRun(rawSample, seconds)).seconds;
      return { proofs: proofSample.summary(proofSeconds), raw: rawSample.summary(rawSeconds) };
    } finally {
      gets.close();
    }
  });
  const notes = `${paths.length} events of ${TRACED_PREDICTIONS} traces' chains, each proof verified against its checkpoint's root first; ${traceRate} requests/s for ${seconds} s, ${connections} connections; raw: findOne({_id}) of one stored audit hash at the same rate`;
  for (const name of ['p50', 'p99'] as const) {
    session.rows.push(
      row({
        row: `inclusion proof ${name} @${label}`,
        figure: proofs[name],
        unit: 'ms',
        raw: raw[name],
        notes: name === 'p99' ? `${notes}; max ${proofs.max.toFixed(1)} ms vs raw ${raw.max.toFixed(1)} ms` : notes,
        ...(name === 'p99' ? { goal: { text: 'inclusion proof < 5 ms', met: proofs.p99 < 5 } } : {}),
      }),
    );
  }
}

/** The proof routes named by the integrity links of random predictions' traces. */
async function proofPaths(session: BenchSession, gateway: ServiceProcess, scale: number): Promise<string[]> {
  const paths = new Set<string>();
  for (let i = 0; i < TRACED_PREDICTIONS; i++) {
    const id = ProvenanceWorkload.predictionId(randomInt(scale));
    const trace = await session.getJson<{ integrity: Array<{ proof?: string }> }>(
      `${gateway.url}/v1/predictions/${encodeURIComponent(id)}/trace`,
    );
    for (const link of trace.integrity) if (link.proof) paths.add(link.proof);
  }
  if (paths.size === 0) throw new Error('no trace names a proof route');
  return [...paths];
}

async function fetchProof(
  session: BenchSession,
  gateway: ServiceProcess,
  path: string,
): Promise<InclusionProof | 'not-checkpointed'> {
  const response = await fetch(`${gateway.url}${path}`, {
    headers: { authorization: `Bearer ${session.auditor.token}` },
  });
  if (response.status === 409) return 'not-checkpointed';
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as InclusionProof;
}
