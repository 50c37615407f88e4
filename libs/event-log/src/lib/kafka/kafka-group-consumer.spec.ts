import type { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { RecordBatch } from '../event-log.port';
import { KafkaGroupConsumer } from './kafka-group-consumer';

/** kafkajs's consumer as far as KafkaGroupConsumer uses it; `deliver` plays a fetched batch to the latest one. */
function fakeKafka() {
  let eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  const consumers: ReturnType<typeof fakeConsumer>[] = [];
  const fakeConsumer = () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const listeners = new Map<string, (event: { payload: any }) => void>();
    /** What kafkajs tells once the member has joined (it delivers nothing before). */
    const joined = () => listeners.get('consumer.group_join')?.({ payload: { memberAssignment: { t: [2] } } });
    return {
      events: { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join', REBALANCING: 'consumer.rebalancing' },
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      on: jest.fn((event: string, listener: (event: { payload: any }) => void) => {
        listeners.set(event, listener);
      }),
      /** What kafkajs does once it has disconnected a consumer that crashed. */
      crash: (error: Error, restart: boolean) => listeners.get('consumer.crash')?.({ payload: { error, restart } }),
      joined,
      connect: jest.fn(async () => undefined),
      subscribe: jest.fn(async () => undefined),
      run: jest.fn(async (config: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) => {
        eachBatch = config.eachBatch;
        joined();
      }),
      commitOffsets: jest.fn(async () => undefined),
      disconnect: jest.fn(async () => undefined),
    };
  };
  const kafka = {
    consumer: () => {
      consumers.push(fakeConsumer());
      return consumers[consumers.length - 1];
    },
  } as unknown as Kafka;
  const deliver = (offsets: number[]) => {
    const payload = {
      batch: { topic: 't', partition: 2, messages: offsets.map(kafkaMessage) },
      resolveOffset: jest.fn(),
      heartbeat: jest.fn(async () => undefined),
      isRunning: () => true,
      isStale: () => false,
    };
    return { payload, done: (eachBatch as (payload: EachBatchPayload) => Promise<void>)(payload as never) };
  };
  return { kafka, consumers, deliver };
}

function kafkaMessage(offset: number): KafkaMessage {
  return {
    offset: String(offset),
    key: Buffer.from('k'),
    value: Buffer.from(`v${offset}`),
    timestamp: '1700000000000',
    attributes: 0,
    headers: {},
  } as KafkaMessage;
}

const settings = (overrides: Partial<Parameters<typeof KafkaGroupConsumer.start>[2]> = {}) => ({
  maxBatchSize: 2,
  onConsumerError: jest.fn(),
  checkPositions: async () => undefined,
  onStopped: () => undefined,
  ...overrides,
});

describe('a Kafka consumer group member', () => {
  afterEach(() => jest.useRealTimers());

  it('hands a fetched batch over in slices of at most maxBatchSize, each marked consumed once handled', async () => {
    const { kafka, deliver } = fakeKafka();
    const slices: string[][] = [];
    await KafkaGroupConsumer.start(
      kafka,
      { groupId: 'g', topics: ['t'], onBatch: async (batch) => void slices.push(offsetsOf(batch)) },
      settings(),
    );

    const { payload, done } = deliver([5, 6, 7, 8, 9]);
    await done;

    expect(slices).toEqual([['5', '6'], ['7', '8'], ['9']]);
    expect(payload.resolveOffset.mock.calls).toEqual([['6'], ['8'], ['9']]);
  });

  it('ends a slice once its values reach maxBatchBytes, with one message at least', async () => {
    const { kafka, deliver } = fakeKafka();
    const slices: string[][] = [];
    await KafkaGroupConsumer.start(
      kafka,
      { groupId: 'g', topics: ['t'], onBatch: async (batch) => void slices.push(offsetsOf(batch)) },
      // Each value is 2 bytes ("v5"): two fit in 4 bytes, a third does not; 1 byte still takes one.
      settings({ maxBatchSize: 10, maxBatchBytes: 4 }),
    );
    await deliver([5, 6, 7, 8, 9]).done;
    expect(slices).toEqual([['5', '6'], ['7', '8'], ['9']]);
  });

  it('stops after the slice during which the group began rebalancing, leaving the rest for whoever gets the partition', async () => {
    jest.useFakeTimers();
    const { kafka, consumers, deliver } = fakeKafka();
    const slices: string[][] = [];
    const member = await KafkaGroupConsumer.start(
      kafka,
      {
        groupId: 'g',
        topics: ['t'],
        // A round that outlasts a heartbeat interval.
        onBatch: async (batch) => {
          slices.push(offsetsOf(batch));
          await new Promise((r) => setTimeout(r, 10_000));
        },
      },
      settings(),
    );
    const { payload, done } = deliver([5, 6, 7, 8, 9]);
    payload.heartbeat.mockRejectedValueOnce(new Error('The group is rebalancing, so a rejoin is needed'));
    await jest.advanceTimersByTimeAsync(10_000);
    await done;
    expect(slices).toEqual([['5', '6']]);
    expect(payload.resolveOffset.mock.calls).toEqual([['6']]);
    expect(member.assignment()).toMatchObject({ state: 'rebalancing' });

    // Another partition's batch of the same fetch waits for the member to join again too.
    await deliver([20, 21]).done;
    expect(slices).toEqual([['5', '6']]);
    consumers[consumers.length - 1].joined();
    expect(member.assignment()).toMatchObject({ state: 'assigned', partitions: [{ topic: 't', partition: 2 }] });
    const next = deliver([20, 21]);
    await jest.advanceTimersByTimeAsync(10_000);
    await next.done;
    expect(slices).toEqual([
      ['5', '6'],
      ['20', '21'],
    ]);
  });

  it('leaves a failed slice and the rest unconsumed, reports it, and keeps the error from kafkajs', async () => {
    const { kafka, deliver } = fakeKafka();
    const onConsumerError = jest.fn();
    const failure = new TypeError('x is undefined');
    await KafkaGroupConsumer.start(
      kafka,
      {
        groupId: 'g',
        topics: ['t'],
        onBatch: async ({ records }) => {
          if (records[0].offset === '7') throw failure;
        },
      },
      settings({ onConsumerError }),
    );

    const { payload, done } = deliver([5, 6, 7, 8, 9]);

    await expect(done).resolves.toBeUndefined();
    expect(payload.resolveOffset.mock.calls).toEqual([['6']]);
    expect(onConsumerError).toHaveBeenCalledWith(failure, { groupId: 'g', topic: 't', partition: 2, offset: '7' });
  });

  it('keeps heartbeating while a slow handler runs', async () => {
    jest.useFakeTimers();
    const { kafka, deliver } = fakeKafka();
    let release!: () => void;
    await KafkaGroupConsumer.start(
      kafka,
      { groupId: 'g', topics: ['t'], onBatch: () => new Promise<void>((resolve) => (release = resolve)) },
      settings(),
    );
    const { payload, done } = deliver([0]);

    await jest.advanceTimersByTimeAsync(10_000);
    const duringHandler = payload.heartbeat.mock.calls.length;
    release();
    await done;

    expect(duringHandler).toBe(3);
  });

  it('stops after the batch in progress, its commit included, then refuses commits', async () => {
    const { kafka, consumers, deliver } = fakeKafka();
    let release!: () => void;
    const member = await KafkaGroupConsumer.start(
      kafka,
      {
        groupId: 'g',
        topics: ['t'],
        onBatch: async (_batch, handle) => {
          await new Promise<void>((resolve) => (release = resolve));
          await handle.commit([{ topic: 't', partition: 2, offset: '1' }]);
        },
      },
      settings(),
    );
    const [consumer] = consumers;
    const { done } = deliver([0]);
    await Promise.resolve();

    const stopped = member.stop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(consumer.disconnect).not.toHaveBeenCalled();
    release();
    await Promise.all([done, stopped]);

    expect(consumer.commitOffsets).toHaveBeenCalledWith([{ topic: 't', partition: 2, offset: '1' }]);
    expect(consumer.disconnect).toHaveBeenCalledTimes(1);
    await expect(member.commit([{ topic: 't', partition: 2, offset: '2' }])).rejects.toMatchObject({
      retriable: false,
    });
  });

  it('joins the group again as a new consumer when kafkajs gives the consumer up for good, and folds on', async () => {
    jest.useFakeTimers();
    const { kafka, consumers, deliver } = fakeKafka();
    const onRejoin = jest.fn();
    const slices: string[][] = [];
    const member = await KafkaGroupConsumer.start(
      kafka,
      { groupId: 'g', topics: ['t'], onBatch: async (batch) => void slices.push(offsetsOf(batch)) },
      settings({ onRejoin }),
    );
    const unknownMember = Object.assign(new Error('The coordinator is not aware of this member'), { retriable: false });

    consumers[0].crash(unknownMember, false);
    await jest.advanceTimersByTimeAsync(1_000);

    expect(onRejoin).toHaveBeenCalledWith(unknownMember, 'g');
    expect(consumers).toHaveLength(2);
    expect(consumers[1].subscribe).toHaveBeenCalledWith({ topics: ['t'], fromBeginning: true });
    expect(consumers[1].run).toHaveBeenCalledTimes(1);
    await deliver([3]).done;
    expect(slices).toEqual([['3']]);
    await member.commit([{ topic: 't', partition: 2, offset: '4' }]);
    expect(consumers[1].commitOffsets).toHaveBeenCalledWith([{ topic: 't', partition: 2, offset: '4' }]);

    await member.stop();
    expect(consumers[1].disconnect).toHaveBeenCalledTimes(1);
  });

  it('leaves a crash kafkajs restarts from to kafkajs, and does not join again once stopping', async () => {
    jest.useFakeTimers();
    const { kafka, consumers } = fakeKafka();
    const member = await KafkaGroupConsumer.start(
      kafka,
      { groupId: 'g', topics: ['t'], onBatch: async () => undefined },
      settings(),
    );

    consumers[0].crash(new Error('retries exceeded'), true);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(consumers).toHaveLength(1);

    consumers[0].crash(new Error('fenced'), false);
    await member.stop();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(consumers).toHaveLength(1);
  });

  it('keeps trying to join again while the brokers refuse, until it is in', async () => {
    jest.useFakeTimers();
    const { kafka, consumers } = fakeKafka();
    const onRejoin = jest.fn();
    const member = await KafkaGroupConsumer.start(
      kafka,
      { groupId: 'g', topics: ['t'], onBatch: async () => undefined },
      settings({ onRejoin }),
    );
    const refusing = kafka.consumer as unknown as () => unknown;
    let refusals = 2;
    (kafka as unknown as { consumer: () => unknown }).consumer = () => {
      const next = refusing() as { connect: jest.Mock };
      if (refusals-- > 0) next.connect.mockRejectedValueOnce(new Error('connection refused'));
      return next;
    };

    consumers[0].crash(new Error('unknown member'), false);
    await jest.advanceTimersByTimeAsync(10_000);

    expect(consumers).toHaveLength(4);
    expect(consumers[3].run).toHaveBeenCalledTimes(1);
    expect(onRejoin).toHaveBeenCalledTimes(3);
    await member.stop();
  });
});

function offsetsOf(batch: RecordBatch): string[] {
  return batch.records.map((record) => record.offset);
}
