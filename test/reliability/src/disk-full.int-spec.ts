import { Topics } from '@prov/contracts';
import { FileEventLog } from '@prov/event-log';
import { ServiceProcesses, uniqueName } from '@prov/testing';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { countOnLog } from './evidence/delivery-evidence';
import { mountSmallFilesystem, SmallFilesystem } from './faults/small-filesystem';
import { predictionBatches } from './load/provenance-load';
import { SteadyLoad } from './load/steady-load';
import { writeMeasurement } from './report/reliability-report';

/**
 * The embedded durable file log on a disk that fills up under ingest: the
 * inference service refuses what it cannot write, and never acknowledges a
 * batch that is not on the log. Once space is freed and the service restarted
 * (a partition whose write failed takes no more writes until the log is
 * reopened, which drops a torn tail), it accepts again, and the log holds
 * every acknowledged prediction exactly once and no refused batch in part.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MiB = 1024 * 1024;

describe('the embedded file log when its disk fills up', () => {
  const services = new ServiceProcesses();
  let disk: SmallFilesystem;

  beforeAll(async () => {
    disk = await mountSmallFilesystem(16);
    await services.start(['inference-service'], { PROV_EVENT_LOG: 'file' }, disk.path);
  }, 180_000);

  afterAll(async () => {
    await services.stop();
    await disk?.unmount();
  }, 60_000);

  /** Fills the filesystem up to `leaveBytes` of free space with a file of zeros. */
  async function fillDisk(leaveBytes: number): Promise<string> {
    const filler = join(disk.path, 'filler');
    const file = await open(filler, 'w');
    try {
      const chunk = Buffer.alloc(MiB);
      for (let free = await disk.freeBytes(); free > leaveBytes; free = await disk.freeBytes()) {
        await file.write(chunk, 0, Math.min(chunk.length, free - leaveBytes));
      }
    } finally {
      await file.close();
    }
    return filler;
  }

  it('acknowledges only what it wrote, and after space is freed and a restart, accepts again', async () => {
    const prefix = uniqueName('disk');
    // No projector runs on this log, so the predictions need no recorded lineage.
    const lineage = {
      deployment: 'disk-full',
      modelVersionId: 'model:disk-full@1',
      artifactDigest: `sha256:${'9'.repeat(64)}`,
    };
    const filler = await fillDisk(MiB);
    const load = new SteadyLoad(predictionBatches(services, lineage, prefix, 50), 50).start();
    // Until the disk is full and refusals come: a batch is a few tens of KiB, so 1 MiB lasts a few seconds.
    const deadline = Date.now() + 60_000;
    while (!load.ledger.requests.some((r) => !r.acknowledged) && Date.now() < deadline) await sleep(200);
    await sleep(2_000);
    const freeWhenFull = await disk.freeBytes();
    await rm(filler);
    await services.killAndRestart('inference-service');
    await sleep(3_000);
    const ledger = await load.stop();
    await services.stop();

    const log = await FileEventLog.open(join(disk.path, 'log'));
    const onLog = await countOnLog(log, Topics.inference, new Set(ledger.allIds())).finally(() => log.close());
    const result = ledger.reconcile({ logCounts: onLog });
    const afterRestart = ledger.requests.slice(-10);
    writeMeasurement('disk-full', {
      fault: `embedded file log on a 16 MiB ${disk.kind}, filled to 1 MiB free, then ingest until refusals; filler removed, service SIGKILLed and restarted`,
      filesystem: disk.kind,
      freeBytesWhenFull: freeWhenFull,
      load: '50 predictions per request, one request every 50 ms, at most 4 outstanding',
      skippedTicks: load.skippedTicks,
      result,
    });

    expect(result.requests.failed).toBeGreaterThan(0);
    expect(result).toMatchObject({ lostFromLog: 0, duplicatedInLog: 0, partiallyRecordedRequests: 0 });
    // A refused write is not on the log afterwards: the torn tail is dropped on reopening.
    expect(result.failedButRecorded.ids).toBe(0);
    // Recovered: the last requests, after space was freed and the service restarted, were accepted.
    expect(afterRestart.every((r) => r.acknowledged)).toBe(true);
  }, 240_000);
});
