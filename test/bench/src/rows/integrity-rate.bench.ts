import { canonicalJson, envelopeSigningInput, payloadDigest, sha256Hex, verifyEnvelope } from '@prov/integrity';
import type { EventEnvelope } from '@prov/contracts';
import { verify } from 'node:crypto';
import type { BenchSession } from '../bench-session';
import { ratePerSecond } from '../measure/latency-sample';
import { row } from '../report/bench-report';

const SECONDS = 2;

/**
 * Row 5: canonical-JSON digests and envelope verifications per second
 * (libs/integrity) next to node:crypto's SHA-256 and Ed25519 on the very
 * bytes they end up hashing or verifying: the difference is what
 * canonicalisation and the envelope checks cost.
 */
export async function measureIntegrity(session: BenchSession): Promise<void> {
  const { workload } = session;
  const keys = new Map(Object.values(workload.signers).map((pair) => [pair.keyId, pair.publicKey]));
  const lookup = (id: string) => keys.get(id);
  const batch = workload.predictionBatch(0) as EventEnvelope;
  const lineage = JSON.parse(workload.lineageStages()[1][0].value.toString('utf8')) as EventEnvelope;

  await session.time('integrity rates', async () => {
    const canonical = canonicalJson(batch.payload);
    const digests = ratePerSecond(SECONDS, () => payloadDigest(batch.payload));
    const hashes = ratePerSecond(SECONDS, () => sha256Hex(canonical));
    session.rows.push(
      row({
        row: 'canonical digest (1,000-prediction batch)',
        figure: digests,
        unit: 'digests/s',
        raw: hashes,
        notes: `payloadDigest: RFC 8785 canonical JSON, then SHA-256, of ${(Buffer.byteLength(canonical) / 1024).toFixed(0)} KiB; raw: node:crypto SHA-256 of the canonical bytes (${((hashes * Buffer.byteLength(canonical)) / 2 ** 20).toFixed(0)} MiB/s)`,
      }),
    );

    for (const [name, envelope] of [
      ['verifyEnvelope (lineage event)', lineage],
      ['verifyEnvelope (1,000-prediction batch)', batch],
    ] as const) {
      const input = envelopeSigningInput(envelope);
      const canonicalPayload = canonicalJson(envelope.payload);
      const signature = Buffer.from(envelope.integrity.signature as string, 'base64url');
      const key = lookup(envelope.integrity.keyId as string);
      if (!key || !verifyEnvelope(envelope, lookup).ok) throw new Error(`the bench's ${name} event does not verify`);
      const verifications = ratePerSecond(SECONDS, () => verifyEnvelope(envelope, lookup));
      const raw = ratePerSecond(SECONDS, () => {
        sha256Hex(canonicalPayload);
        verify(null, input, key, signature);
      });
      session.rows.push(
        row({
          row: name,
          figure: verifications,
          unit: 'verifications/s',
          raw,
          notes: `payload digest and Ed25519 signature checked; raw: node:crypto SHA-256 of the canonical payload (${(Buffer.byteLength(canonicalPayload) / 1024).toFixed(1)} KiB) plus Ed25519 verify of the ${input.length}-byte signing input`,
        }),
      );
    }
  });
}
