import { EVENT_CATALOG, Topics } from '@prov/contracts';
import { EventLog, FileEventLog, OutgoingMessage } from '@prov/event-log';
import { generateSigningKeyPair, sha256Hex } from '@prov/integrity';
import { sealEvent } from '@prov/publishing';
import { CompressionTypes, Kafka, logLevel, Message, Partitioners } from 'kafkajs';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { PREDICTIONS_PER_BATCH } from '../bench-options';
import type { BenchSession } from '../bench-session';
import { runHttpLoad } from '../measure/http-load';
import { row } from '../report/bench-report';

/** Distinct request bodies the load cycles through. */
const BODIES = 16;
/** Raw publishes: this many messages per request, this many requests in flight. */
const RAW_PER_REQUEST = 8;
const RAW_IN_FLIGHT = 2;
const PARTITIONS = 6;

interface IngestBody {
  deployment: string;
  modelVersionId: string;
  artifactDigest: string;
  predictions: Array<{ id: string; at: string; inputDigest: string; outputDigest: string }>;
}

/**
 * Row 3: predictions per second one inference-service process accepts over
 * HTTP (`POST /v1/predictions:batch`, 1,000 per request), on Kafka and on
 * the embedded file log, each next to the raw rate of the same messages
 * (the events that service makes of those requests) through the kafkajs
 * producer, and through FileEventLog's publish.
 */
export async function measureIngest(session: BenchSession): Promise<void> {
  const bodies = Array.from({ length: BODIES }, (_, b) => ingestBody(b));
  const messages = sameMessages(bodies);
  const prefix = `${session.topicPrefix}ingest.`;

  const kafkaAccepted = await session.time('ingest over HTTP into Kafka', () =>
    serviceRate(session, bodies, { PROV_TOPIC_PREFIX: prefix }),
  );
  const kafkaRaw = await session.time('raw kafkajs producer', () =>
    rawKafkaRate(session, `${session.topicPrefix}ingest-raw.${Topics.inference}`, messages, kafkaAccepted.batches),
  );
  session.rows.push(
    row({
      row: 'ingest, Kafka',
      figure: kafkaAccepted.predictionsPerSecond,
      unit: 'predictions/s',
      raw: kafkaRaw,
      notes: `one inference-service process, ${session.options.connections} connections, ${kafkaAccepted.batches} batches of ${PREDICTIONS_PER_BATCH} in ${kafkaAccepted.seconds.toFixed(0)} s (gzip, acks=all, idempotent); raw: kafkajs idempotent producer, acks=all, gzip, the same events ${RAW_PER_REQUEST} per request, ${RAW_IN_FLIGHT} requests in flight`,
      goal: {
        text: '>= 100k predictions/s and >= 0.5 of the raw kafkajs rate',
        met: kafkaAccepted.predictionsPerSecond >= 100_000 && kafkaAccepted.predictionsPerSecond / kafkaRaw >= 0.5,
      },
    }),
  );

  const fileAccepted = await session.time('ingest over HTTP into the file log', () =>
    serviceRate(session, bodies, {
      PROV_EVENT_LOG: 'file',
      PROV_DATA_DIR: mkdtempSync(join(session.dataDir, 'file-')),
    }),
  );
  const fileRaw = await session.time('raw FileEventLog append', () =>
    rawFileRate(session, messages, fileAccepted.batches),
  );
  session.rows.push(
    row({
      row: 'ingest, file log (embedded)',
      figure: fileAccepted.predictionsPerSecond,
      unit: 'predictions/s',
      raw: fileRaw,
      notes: `the same service with PROV_EVENT_LOG=file (fsync before answering), ${fileAccepted.batches} batches in ${fileAccepted.seconds.toFixed(0)} s; raw: FileEventLog.publish of the same events (fsync always), ${RAW_PER_REQUEST} per publish, ${RAW_IN_FLIGHT} in flight`,
    }),
  );
}

function ingestBody(index: number): IngestBody {
  const at = new Date(Date.parse('2026-11-20T00:00:00.000Z') + index).toISOString();
  return {
    deployment: `deployment:ingest-${index % 4}`,
    modelVersionId: `model:ingest@1.${index % 4}.0`,
    artifactDigest: `sha256:${sha256Hex(`ingest-artifact-${index % 4}`)}`,
    predictions: Array.from({ length: PREDICTIONS_PER_BATCH }, (_, i) => ({
      id: `ingest-${index}-${i}`,
      at,
      inputDigest: `sha256:${sha256Hex(`ingest-input-${index}-${i}`)}`,
      outputDigest: `sha256:${sha256Hex(`ingest-output-${index}-${i}`)}`,
    })),
  };
}

/** The events the inference service publishes for these requests: sealed, signed, keyed by subject. */
function sameMessages(bodies: IngestBody[]): OutgoingMessage[] {
  const signer = generateSigningKeyPair();
  return bodies.map((body) => {
    const recordedAt = new Date().toISOString();
    const event = sealEvent(
      {
        type: 'prediction.batch.recorded',
        payload: {
          batchId: `batch:${uuidv7()}`,
          deploymentId: body.deployment,
          modelVersionId: body.modelVersionId,
          artifactDigest: body.artifactDigest,
          predictions: body.predictions.map(({ id, ...rest }) => ({ predictionId: `pred:${id}`, ...rest })),
        },
      },
      { eventId: uuidv7(), recordedAt, service: 'inference-service', principal: 'bench-ml-service', signer },
    );
    if (EVENT_CATALOG[event.type].topic !== Topics.inference) throw new Error('prediction batches moved topic');
    return { key: event.subject, value: Buffer.from(JSON.stringify(event)) };
  });
}

async function serviceRate(
  session: BenchSession,
  bodies: IngestBody[],
  env: Record<string, string>,
): Promise<{ predictionsPerSecond: number; batches: number; seconds: number }> {
  const service = await session.startService('inference-service', {
    label: `inference-service (${env['PROV_EVENT_LOG'] ?? 'kafka'})`,
    env,
  });
  try {
    // Every request records new prediction ids, as serving processes do: the service answers an id it
    // recorded before as a duplicate and publishes nothing. The bodies are templates of the ids' prefix.
    let sent = 0;
    const requests = bodies.map((body) => {
      const template = JSON.stringify(body).replaceAll('"ingest-', '"ingest-@@-');
      return {
        method: 'POST' as const,
        path: '/v1/predictions:batch',
        headers: { authorization: `Bearer ${session.mlService.token}`, 'content-type': 'application/json' },
        body: template,
        setupRequest: (request: { body?: unknown }) => ({
          ...request,
          body: template.replaceAll('@@', String(sent++)),
        }),
      };
    });
    const { connections, durationSeconds } = session.options;
    // A short first load: connections, JIT and the producer warm up outside the figure.
    await runHttpLoad({ url: service.url, connections, seconds: 2, requests });
    const result = await runHttpLoad({ url: service.url, connections, seconds: durationSeconds, requests });
    service.assertRunning();
    const batches = result.statusCodes['201'] ?? 0;
    if (batches !== result.latencies.length)
      throw new Error(`the inference service answered ${JSON.stringify(result.statusCodes)}`);
    return {
      predictionsPerSecond: (batches * PREDICTIONS_PER_BATCH) / result.seconds,
      batches,
      seconds: result.seconds,
    };
  } finally {
    await session.stopService(service);
  }
}

/** Sends `count` messages (cycling through the given ones) `RAW_PER_REQUEST` per request; predictions per second. */
async function publishRate(
  count: number,
  messages: OutgoingMessage[],
  send: (chunk: OutgoingMessage[]) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: RAW_IN_FLIGHT }, async () => {
      while (next < count) {
        const chunk: OutgoingMessage[] = [];
        for (; chunk.length < RAW_PER_REQUEST && next < count; next++) chunk.push(messages[next % messages.length]);
        await send(chunk);
      }
    }),
  );
  return (count * PREDICTIONS_PER_BATCH) / ((performance.now() - started) / 1000);
}

async function rawKafkaRate(
  session: BenchSession,
  topic: string,
  messages: OutgoingMessage[],
  accepted: number,
): Promise<number> {
  const kafka = new Kafka({
    clientId: `${session.runId}-raw`,
    brokers: session.servers.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
  // The guarantees the platform's producer gives: idempotent, acknowledged by all in-sync replicas.
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    const send = (chunk: OutgoingMessage[]) =>
      producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.GZIP,
        topicMessages: [{ topic, messages: chunk.map(({ key, value }): Message => ({ key, value })) }],
      });
    await publishRate(RAW_PER_REQUEST * RAW_IN_FLIGHT * 2, messages, send);
    return await publishRate(Math.max(accepted, 100), messages, send);
  } finally {
    await producer.disconnect();
  }
}

async function rawFileRate(session: BenchSession, messages: OutgoingMessage[], accepted: number): Promise<number> {
  const log: EventLog = await FileEventLog.open(mkdtempSync(join(session.dataDir, 'raw-file-')));
  try {
    await log.ensureTopics([{ name: Topics.inference, partitions: PARTITIONS }]);
    const send = (chunk: OutgoingMessage[]) => log.publish(Topics.inference, chunk);
    await publishRate(RAW_PER_REQUEST * RAW_IN_FLIGHT * 2, messages, send);
    return await publishRate(Math.max(accepted, 100), messages, send);
  } finally {
    await log.close();
  }
}
