import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RunningWorker } from './kafka-runner';

/**
 * The worker process's probes and metrics: `/healthz` (the process answers),
 * `/readyz` (every consumer joined its group; its lag per topic and partition),
 * `/metrics` (Prometheus, prom-client: lag, messages received, dead letters).
 */
export function serveHealth(port: number, running: readonly RunningWorker[]): Promise<Server> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'bazaar_worker_lag',
    help: 'Messages not yet consumed (end offset minus committed offset).',
    labelNames: ['worker', 'topic', 'partition'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const w of running) for (const p of await w.lag().catch(() => [])) this.set({ worker: w.name, topic: p.topic, partition: String(p.partition) }, p.lag);
    },
  });
  new Counter({
    name: 'bazaar_worker_received_total',
    help: 'Messages handed to the worker, redeliveries included.',
    labelNames: ['worker'],
    registers: [registry],
    collect() {
      this.reset();
      for (const w of running) this.inc({ worker: w.name }, w.received());
    },
  });
  new Counter({
    name: 'bazaar_worker_dead_letters_total',
    help: 'Messages sent to workers.dead-letters.',
    labelNames: ['worker'],
    registers: [registry],
    collect() {
      this.reset();
      for (const w of running) this.inc({ worker: w.name }, w.deadLettered());
    },
  });

  const server = createServer((req, res) => {
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    void (async () => {
      if (req.url === '/healthz') return send(200, { status: 'ok' });
      if (req.url === '/readyz') {
        const workers = await Promise.all(
          running.map(async (w) => ({ name: w.name, ready: w.ready(), lag: await w.lag().catch(() => null) })),
        );
        return send(workers.every((w) => w.ready) ? 200 : 503, { status: workers.every((w) => w.ready) ? 'ready' : 'not ready', workers });
      }
      if (req.url === '/metrics') return send(200, await registry.metrics(), registry.contentType);
      return send(404, { status: 'error', reason: 'not_found' });
    })().catch(() => send(500, { status: 'error' }));
  });
  return new Promise((resolve, reject) => server.listen(port, () => resolve(server)).once('error', reject));
}
