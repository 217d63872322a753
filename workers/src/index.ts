export { workers } from './workers';
export { inProcessDelivery, type DeliveredRecord } from './runtime/in-process';
export { applyOnce, inTransaction, mergeChanges, reportsChanged, tickAll, TICK_MS, type Announce, type Changes, type Worker } from './runtime/worker';
export { runKafkaWorker, type RunningWorker } from './runtime/kafka-runner';
export { startDeliveries, signature, type WebhookOptions } from './alerts/webhook';
export { projectionPool, PROJECTION_APPLICATION_NAME } from './runtime/pool';
export { redisAnnouncer } from './runtime/announce';
export { pruneProcessedEvents } from './runtime/processed';
