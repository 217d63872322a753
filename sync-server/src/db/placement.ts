/**
 * Where each table would live on PostgreSQL sharded by store with Citus
 * (README, "Scaling out"). placement.test.ts holds the schema to this list:
 * every table is placed, a distributed table has `store_id` first in its
 * key and in every unique index, and no key points from a table to one
 * placed where it cannot follow.
 */

/** A store's rows, on the node that holds the store: all of a push, and the projections of one store. */
export const distributedByStore = [
  // What a push writes (push-repository.ts `pushTableNames`).
  'operations', 'movements', 'stock', 'store_products', 'customers', 'ledger_entries', 'cash_closes', 'suppliers', 'supplier_payments',
  // The workers' projections of one store.
  'sales', 'sale_lines', 'purchases', 'purchase_lines',
  'report_sales', 'report_costs', 'report_store_activity', 'report_store_days', 'report_store_hours',
  'alerts', 'alert_stock', 'alert_store_activity',
  'replenishment_daily', 'replenishment_stock', 'replenishment_suggestions',
] as const;

/** Small, shared, rarely written: a copy on every node, joined locally. */
export const referenceTables = ['stores', 'products', 'users', 'user_stores', 'user_regions'] as const;

/**
 * On the coordinator: sessions and devices, the audit log, the relay's and
 * the workers' bookkeeping, queues drained across all stores, and rollups
 * over every store.
 */
export const coordinatorTables = [
  'schema_migrations', 'refresh_tokens', 'devices', 'audit_log',
  'log_relay', 'outbox', 'outbox_dead_letters', 'processed_events', 'worker_dead_letters', 'alert_deliveries',
  'report_zone_hours', 'report_zone_products', 'report_product_holdings',
] as const;
