import type { AuditLogEvidence, LoggedEvent } from '@prov/audit';
import { Topics } from '@prov/contracts';
import type { EventLog, LogRecord } from '@prov/event-log';
import type { SignedCheckpoint } from '@prov/integrity';
import { PROJECTED_TOPICS } from '../projection/projected-topics';
import { auditLogIdOf } from './audit-log-feed';

const PAGE = 1000;

/**
 * What an offline verifier needs, read from the event log itself rather
 * than from the platform's store: every projected partition's events in
 * offset order, but those the projector dead-lettered (they are no leaves;
 * anything else that fails its digest or signature is reported), and the
 * checkpoints it published on the audit topic.
 */
export async function readAuditEvidence(
  log: EventLog,
  onProgress?: (records: number) => void,
): Promise<AuditLogEvidence> {
  let read = 0;
  const each = async (topic: string, visit: (record: LogRecord) => void) => {
    for (const { partition, earliest, latest } of await log.offsets(topic)) {
      for (let offset = BigInt(earliest); offset < BigInt(latest);) {
        const records = await log.read(topic, partition, offset.toString(), PAGE);
        if (records.length === 0) break;
        records.forEach(visit);
        offset = BigInt(records[records.length - 1].offset) + 1n;
        onProgress?.((read += records.length));
      }
    }
  };
  const rejected = new Set<string>();
  await each(Topics.deadLetter, (record) => {
    const source = (parsed(record) as { payload?: { source?: { topic: string; partition: number; offset: string } } })
      ?.payload?.source;
    if (source) rejected.add(positionOf(source.topic, source.partition, source.offset));
  });
  const checkpoints: SignedCheckpoint[] = [];
  await each(Topics.audit, (record) => {
    const event = parsed(record) as { type?: string; payload?: SignedCheckpoint } | undefined;
    if (event?.type === 'audit.checkpoint.signed' && event.payload) checkpoints.push(event.payload);
  });
  const events: LoggedEvent[] = [];
  for (const topic of PROJECTED_TOPICS) {
    await each(topic, (record) => {
      if (rejected.has(positionOf(record.topic, record.partition, record.offset))) return;
      // Bytes that are not JSON and were never dead-lettered stand as they are: their digest cannot hold.
      const event = parsed(record) ?? record.value.toString('utf8');
      events.push({ logId: auditLogIdOf(topic, record.partition), offset: record.offset, event });
    });
  }
  return { events, checkpoints };
}

const positionOf = (topic: string, partition: number, offset: string) => `${topic}/${partition}/${offset}`;

function parsed(record: LogRecord): unknown {
  try {
    return JSON.parse(record.value.toString('utf8'));
  } catch {
    return undefined;
  }
}
