import { circuitBreaker, ConsecutiveBreaker, handleWhen } from 'cockatiel';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { topics } from '@bazaar/shared';
import type { Queryable } from '../db/database';

/** One event on its way out. */
export interface OutboxRecord {
  event_id: string;
  topic: string;
  key: string;
  payload: object;
  /** The payload as JSON, when it was already made (to size it). */
  json?: string;
}

export interface EventPublisher {
  /**
   * Resolves only once every record is durably accepted; throws otherwise:
   * a `RefusedForGood` when the broker will never take these records as
   * they are (too large, against a policy), anything else when a retry may
   * succeed. `tx` is the relay's transaction, which marks them published.
   */
  publish(records: readonly OutboxRecord[], tx?: Queryable): Promise<void>;
  close(): Promise<void>;
}

/** The broker refused the records for good: sending them again cannot succeed. */
export class RefusedForGood extends Error {}

/** Kafka error types that no retry of the same records can fix. */
const permanent = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'POLICY_VIOLATION', 'INVALID_REQUIRED_ACKS']);

/** kafkajs wraps a broker's answer in retry errors; the protocol error inside says what happened. */
function refusedForGood(err: unknown): boolean {
  for (let e = err as { type?: string; originalError?: unknown; cause?: unknown } | undefined; e; e = (e.originalError ?? e.cause) as typeof e) {
    if (e.type && permanent.has(e.type)) return true;
  }
  return false;
}

/** Receives a batch in process, inside the relay's transaction. */
export type InProcessSubscriber = (records: readonly OutboxRecord[], tx: Queryable) => Promise<void>;

/**
 * The embedded mode's broker: delivers each batch in process to whoever
 * subscribed (the workers), in the relay's transaction, so the batch is
 * applied in the commit that marks it published. A subscriber that throws
 * fails the publish, and the batch waits in the log.
 */
export function createInProcessPublisher(): EventPublisher & { subscribe(fn: InProcessSubscriber): () => void } {
  const subscribers = new Set<InProcessSubscriber>();
  return {
    async publish(records, tx) {
      if (!tx) throw new Error('in-process delivery needs the relay transaction');
      for (const fn of subscribers) await fn(records, tx);
    },
    subscribe(fn) {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
    async close() {
      subscribers.clear();
    },
  };
}

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
  partitions?: number;
}

/**
 * Publishes with an idempotent producer (acks from all in-sync replicas, no
 * duplicates from its own retries), keyed by store id so that one store's
 * events land in one partition, in order.
 */
export function createKafkaPublisher(options: KafkaOptions): EventPublisher {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
  });
  // Nothing here waits for the broker: the server starts and takes pushes
  // while Kafka is away, and the log holds the events until it returns.
  let topicsReady = false;
  const ensureTopics = async () => {
    if (topicsReady) return;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: Object.values(topics).map((t) => ({ topic: options.topicPrefix + t, numPartitions: options.partitions ?? 6 })),
      });
      topicsReady = true;
    } finally {
      await admin.disconnect();
    }
  };
  // After three failures in a row the broker is left alone for 5 s: a relay
  // polling an absent broker fails at once instead of waiting out timeouts.
  const breaker = circuitBreaker(
    handleWhen((err) => !(err instanceof RefusedForGood)),
    { halfOpenAfter: 5_000, breaker: new ConsecutiveBreaker(3) },
  );
  let producer: Producer | null = null;
  const connected = async () => {
    if (producer) return producer;
    await ensureTopics();
    const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await p.connect();
    producer = p;
    return p;
  };

  async function send(records: readonly OutboxRecord[]): Promise<void> {
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const r of records) {
      const topic = options.topicPrefix + r.topic;
      const list = byTopic.get(topic) ?? byTopic.set(topic, []).get(topic)!;
      list.push({ key: r.key, value: r.json ?? JSON.stringify(r.payload), headers: { 'event-id': r.event_id } });
    }
    const p = await connected();
    try {
      await p.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    } catch (err) {
      // Start over with a fresh producer next time, whatever failed: an
      // idempotent producer counts sequence numbers for records the broker
      // refused, and the same producer's next send is then out of order for good.
      // The log still holds every record.
      producer = null;
      await p.disconnect().catch(() => {});
      throw refusedForGood(err) ? new RefusedForGood((err as Error).message) : err;
    }
  }

  return {
    publish: (records) => breaker.execute(() => send(records)),
    async close() {
      await producer?.disconnect();
    },
  };
}
