import { alertsWorker } from './alerts/alerts-worker';
import { analyticsWorker } from './analytics/analytics-worker';
import { booksWorker } from './books/books-worker';
import { replenishmentWorker } from './replenishment/replenishment-worker';
import type { Worker } from './runtime/worker';

/** Every worker kind, by the name `npm run worker -- <name>` takes. */
export const workers: Readonly<Record<string, Worker>> = {
  analytics: analyticsWorker,
  alerts: alertsWorker,
  replenishment: replenishmentWorker,
  books: booksWorker,
};
