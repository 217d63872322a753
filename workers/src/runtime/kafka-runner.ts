import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import pg from 'pg';
import { topics, type BazaarEvent, type Topic } from '@bazaar/shared';
import { applyOnce, inTransaction, reportsChanged, type Announce, type Worker } from './worker';

const PARTITIONS = 6;

export interface KafkaRunnerOptions {
  brokers: string[];
  clientId: string;
  /** Prefixes topics and consumer groups, as the server's KAFKA_TOPIC_PREFIX does. */
  prefix: string;
  pool: pg.Pool;
  log: (msg: string, fields?: object) => void;
  /** Tries of a failing batch, and then of each of its messages, before a message is dead-lettered. */
  attempts?: number;
  /** Partitions applied at once (each needs a connection of the pool). */
  concurrency?: number;
  /** Told, after each commit, what the batch changed that devices pull. */
  announce?: Announce;
  /**
   * How long the group waits for a member that stopped answering (a killed
   * pod) before its partitions go to the others: 30 s by default, at least the
   * broker's group.min.session.timeout.ms (6 s by default).
   */
  sessionTimeoutMs?: number;
}

export interface RunningWorker {
  /** Messages not yet consumed, per topic and partition (end offset minus committed offset). */
  lag(): Promise<{ topic: string; partition: number; lag: number }[]>;
  readonly name: string;
  /** Joined its consumer group and not crashed since: what /readyz reports. */
  ready(): boolean;
  /** Messages this consumer was handed since it started (redeliveries included). */
  received(): number;
  deadLettered(): number;
  stop(): Promise<void>;
}

interface Parsed {
  message: KafkaMessage;
  event: BazaarEvent | null;
  error: string | null;
}

/**
 * Runs a worker as a kafkajs consumer group (one per worker kind, so each
 * kind reads every event). A partition's batch is applied in one transaction
 * with its event ids (applyOnce): a batch redelivered after a crash changes
 * nothing. A batch that fails is retried with back-off, then split: each
 * message is tried on its own, and one that still fails goes to
 * `workers.dead-letters` with its error while the rest go on, unless the
 * database itself is away (then the batch throws and kafkajs tries it again
 * later). Offsets are committed only after the transaction (at least once).
 */
export async function runKafkaWorker(worker: Worker, options: KafkaRunnerOptions): Promise<RunningWorker> {
  const kafka = new Kafka({ clientId: options.clientId, brokers: options.brokers, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 300 } });
  const groupId = `${options.prefix}${worker.name}`;
  const topicOf = (name: string) => name.slice(options.prefix.length) as Topic;
  // Larger fetches make larger batches (one transaction each): the projector's cost is per statement, not per row.
  const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
  const consumer: Consumer = kafka.consumer({ groupId, sessionTimeout, heartbeatInterval: Math.min(3_000, sessionTimeout / 3), maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 16 * 1024 * 1024 });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const admin = kafka.admin();
  const tries = retry(handleAll, { maxAttempts: (options.attempts ?? 3) - 1, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }) });
  let deadLettered = 0;
  let received = 0;
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  for (const down of [consumer.events.CRASH, consumer.events.DISCONNECT, consumer.events.STOP]) {
    consumer.on(down, () => {
      joined = false;
    });
  }

  const applyInTransaction = async (events: readonly BazaarEvent[]) => {
    const { changes } = await inTransaction(options.pool, (tx) => applyOnce(tx, worker, events));
    if (options.announce) options.announce([...changes, ...(await reportsChanged(options.pool, events.map((e) => e.storeId)))]);
  };

  const deadLetter = async (topic: string, partition: number, item: Parsed, error: string) => {
    await producer.send({
      topic: `${options.prefix}${topics.workerDeadLetters}`,
      acks: -1,
      messages: [
        {
          key: item.message.key,
          value: JSON.stringify({
            consumer: worker.name,
            topic: topicOf(topic),
            partition,
            offset: item.message.offset,
            eventId: item.event?.eventId ?? null,
            error,
            payload: item.message.value?.toString('utf8') ?? null,
            at: new Date().toISOString(),
          }),
        },
      ],
    });
    deadLettered++;
    options.log('worker: message dead-lettered', { worker: worker.name, topic, partition, offset: item.message.offset, error });
  };

  await Promise.all([consumer.connect(), producer.connect(), admin.connect()]);
  // As the server does on its first publish: a topic a consumer asked for first would be auto-created with one partition.
  await admin.createTopics({ waitForLeaders: true, topics: Object.values(topics).map((t) => ({ topic: `${options.prefix}${t}`, numPartitions: PARTITIONS })) });
  await consumer.subscribe({ topics: worker.topics.map((t) => `${options.prefix}${t}`), fromBeginning: true });
  await consumer.run({
    // Partitions hold disjoint stores, so their batches may apply side by side (one connection each).
    // Two topics can carry the same store product's events, so a worker of several topics takes one at a time.
    partitionsConsumedConcurrently: options.concurrency ?? (worker.topics.length === 1 ? 3 : 1),
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      received += batch.messages.length;
      const parsed: Parsed[] = batch.messages.map((message) => {
        try {
          return { message, event: worker.parse(topicOf(batch.topic), JSON.parse(message.value?.toString('utf8') ?? 'null')), error: null };
        } catch (err) {
          return { message, event: null, error: `unreadable: ${String(err)}` };
        }
      });
      const good = parsed.filter((p) => p.event !== null);
      let whole = true;
      try {
        await tries.execute(() => applyInTransaction(good.map((p) => p.event!)));
      } catch {
        whole = false;
      }
      for (const item of parsed) {
        if (!isRunning() || isStale()) return;
        if (item.event === null) await deadLetter(batch.topic, batch.partition, item, item.error!);
        else if (!whole) {
          try {
            await tries.execute(() => applyInTransaction([item.event!]));
          } catch (err) {
            // A database that is away fails every message: nothing is set aside, the batch is tried again later.
            await options.pool.query('SELECT 1');
            await deadLetter(batch.topic, batch.partition, item, String(err));
          }
        }
        resolveOffset(item.message.offset);
        await heartbeat();
      }
      await commitOffsetsIfNecessary();
    },
  });

  return {
    name: worker.name,
    ready: () => joined,
    async lag() {
      const committed = await admin.fetchOffsets({ groupId, topics: worker.topics.map((t) => `${options.prefix}${t}`) });
      const out: { topic: string; partition: number; lag: number }[] = [];
      for (const t of committed) {
        const ends = await admin.fetchTopicOffsets(t.topic);
        for (const p of t.partitions) {
          const end = Number(ends.find((e) => e.partition === p.partition)?.high ?? 0);
          const done = Number(p.offset) < 0 ? 0 : Number(p.offset);
          out.push({ topic: topicOf(t.topic), partition: p.partition, lag: Math.max(0, end - done) });
        }
      }
      return out;
    },
    received: () => received,
    deadLettered: () => deadLettered,
    async stop() {
      await consumer.disconnect().catch(() => {});
      await Promise.all([producer.disconnect(), admin.disconnect()].map((p) => p.catch(() => {})));
    },
  };
}
