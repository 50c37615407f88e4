import { exportLines, type AuditVerificationReport, type LoggedEvent } from '@prov/audit';
import { auditLeafHash, generateSigningKeyPair, merkleRoot, signCheckpoint } from '@prov/integrity';
import { buildProvenanceScenario } from '@prov/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Output } from '../cli/output';
import { auditVerify } from './audit';

const LOG_ID = 'auditlog:provenance.test.v1.p0';

describe('prov audit verify --from', () => {
  const scenario = buildProvenanceScenario({ predictions: 8, predictionsPerBatch: 4 });
  const published = scenario.messages.filter((m) => m.event).map((m) => JSON.parse(m.value.toString('utf8')));
  const leaves = published.map(auditLeafHash);
  const projector = generateSigningKeyPair();
  const keys = [
    { keyId: projector.keyId, service: 'projector', publicKey: projector.publicKeyPem },
    ...Object.entries(scenario.signers).map(([service, pair]) => ({
      keyId: pair.keyId,
      service,
      publicKey: pair.publicKeyPem,
    })),
  ];
  const events: LoggedEvent[] = published.map((event, index) => ({
    logId: LOG_ID,
    index,
    leafHash: leaves[index].toString('hex'),
    event,
  }));
  const checkpointAt = (treeSize: number) =>
    signCheckpoint(
      {
        logId: LOG_ID,
        treeSize,
        rootHash: merkleRoot(leaves, treeSize).toString('hex'),
        signedAt: '2026-12-01T10:00:00.000Z',
      },
      projector.privateKey,
      projector.keyId,
    );

  const noPlatform = () => {
    throw new Error('an export is verified without the platform');
  };

  let dir: string;
  let written: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prov-audit-'));
    written = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const out = (json: boolean) => {
    const stream = { write: (s: string) => written.push(s), isTTY: false } as unknown as NodeJS.WriteStream;
    return new Output(json, stream, stream);
  };
  /** An export of the log with checkpoints at these sizes. */
  const exported = (sizes: number[]) => {
    const file = join(dir, 'export.jsonl');
    const checkpoints = sizes.map(checkpointAt);
    writeFileSync(file, `${exportLines({ keys, events, checkpoints }, '2026-12-01T11:00:00.000Z').join('\n')}\n`);
    return file;
  };

  it('says how much of each log a checkpoint covers, and passes a log partly covered unless asked not to', async () => {
    const covered = Math.floor(published.length / 2);
    const file = exported([covered]);

    expect(await auditVerify(noPlatform, out(false), { from: file })).toBe(0);
    const text = written.join('');
    expect(text).toContain(
      `${LOG_ID}: 1 checkpoints, covered ${covered} of ${published.length} events by the checkpoint at tree size ${covered}`,
    );
    expect(text).toContain(`${published.length - covered} events of 1 logs are covered by no signed checkpoint yet`);

    written = [];
    expect(await auditVerify(noPlatform, out(true), { from: file, requireCheckpoint: true })).toBe(1);
    expect((JSON.parse(written.join('')) as AuditVerificationReport).divergences).toEqual([
      expect.objectContaining({ kind: 'not-checkpointed', logId: LOG_ID, index: covered }),
    ]);
  });

  it('fails a log no checkpoint covers when checkpoints are required, and passes one covered whole', async () => {
    expect(await auditVerify(noPlatform, out(false), { from: exported([]), requireCheckpoint: true })).toBe(1);
    expect(written.join('')).toContain(`covered 0 of ${published.length} events: no signed checkpoint`);

    written = [];
    const whole = exported([published.length]);
    expect(await auditVerify(noPlatform, out(false), { from: whole, requireCheckpoint: true })).toBe(0);
    expect(written.join('')).not.toContain('covered by no signed checkpoint');
  });
});
