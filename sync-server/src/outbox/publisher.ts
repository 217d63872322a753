import { EventEmitter } from 'node:events';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { topics } from '@bazaar/shared';

/** One outbox row on its way out. */
export interface OutboxRecord {
  id: number;
  event_id: string;
  topic: string;
  key: string;
  payload: object;
}

export interface EventPublisher {
  /** Resolves only once every record is durably accepted; throws otherwise. */
  publish(records: readonly OutboxRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** The embedded mode's broker: delivers in process to whoever subscribed. */
export function createInProcessPublisher(): EventPublisher & { subscribe(fn: (r: OutboxRecord) => void): () => void } {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(records) {
      for (const r of records) emitter.emit('event', r);
    },
    subscribe(fn) {
      emitter.on('event', fn);
      return () => emitter.off('event', fn);
    },
    async close() {
      emitter.removeAllListeners();
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
export async function createKafkaPublisher(options: KafkaOptions): Promise<EventPublisher> {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: Object.values(topics).map((t) => ({ topic: options.topicPrefix + t, numPartitions: options.partitions ?? 6 })),
    });
  } finally {
    await admin.disconnect();
  }
  let producer: Producer | null = null;
  const connected = async () => {
    if (producer) return producer;
    const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await p.connect();
    producer = p;
    return p;
  };

  return {
    async publish(records) {
      const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
      for (const r of records) {
        const topic = options.topicPrefix + r.topic;
        const list = byTopic.get(topic) ?? byTopic.set(topic, []).get(topic)!;
        list.push({ key: r.key, value: JSON.stringify(r.payload), headers: { 'event-id': r.event_id } });
      }
      const p = await connected();
      try {
        await p.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      } catch (err) {
        // Start over with a fresh producer next time; the outbox still holds every record.
        producer = null;
        await p.disconnect().catch(() => {});
        throw err;
      }
    },
    async close() {
      await producer?.disconnect();
    },
  };
}
