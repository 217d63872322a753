import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { topics } from '../../shared/src/protocol/events';
import { loadConfig } from '../../sync-server/src/config';
import { kafkaBootstrap, namespace, pgAppSecret, pgClusterName, redisName } from './common';
import { kafkaCluster, kafkaNodePool, kafkaTopics, minInsyncReplicas, replicationFactor, topicNames } from './kafka';
import { objects, renderAll } from './index';
import { postgresCluster } from './postgres';
import { redisNetworkPolicy, redisService } from './redis';
import { workerDeployments, workersConfig } from './workers';
import {
  jwtSecretName,
  migrationJob,
  syncServerConfig,
  syncServerDeployment,
  syncServerHpa,
  syncServerIngress,
  syncServerPdb,
  syncServerService,
} from './sync-server';

/** The parts of a pod spec the checks read, from the plain JSON of an object. */
interface Probe {
  httpGet?: { path?: string; port?: string | number };
  exec?: { command?: string[] };
}
interface Container {
  name: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: { containers: Container[]; securityContext?: { runAsNonRoot?: boolean }; volumes?: { name: string }[] };
}
interface Plain {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { template?: PodTemplate; replicas?: number; selector?: { matchLabels?: Record<string, string> } };
}

const plain = (o: unknown): Plain => JSON.parse(JSON.stringify(o)) as Plain;
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'Job', 'DaemonSet']);
const workloads = objects.map(plain).filter((o) => WORKLOADS.has(o.kind));
const containersOf = (o: Plain): Container[] => o.spec?.template?.spec.containers ?? [];
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('kubernetes manifests', () => {
  it.each(objects.map((o) => [`${o.kind}/${o.metadata?.name}`, o] as const))('%s is valid against its schema', (_, o) => {
    expect(() => o.validate()).not.toThrow();
  });

  it('puts everything in the bazaar namespace, each name once per kind', () => {
    const seen = new Set<string>();
    for (const o of objects.map(plain)) {
      if (o.kind !== 'Namespace') expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(namespace);
      const id = `${o.kind}/${o.metadata.name}`;
      expect(seen.has(id), id).toBe(false);
      seen.add(id);
    }
  });

  it('gives every Deployment and StatefulSet container readiness and liveness probes', () => {
    const longRunning = workloads.filter((o) => o.kind !== 'Job');
    expect(longRunning.map((o) => o.kind)).toContain('Deployment');
    for (const o of longRunning) {
      for (const c of containersOf(o)) {
        expect(c.readinessProbe, `${o.metadata.name}/${c.name} readiness`).toBeDefined();
        expect(c.livenessProbe, `${o.metadata.name}/${c.name} liveness`).toBeDefined();
      }
    }
  });

  it('gives every container, and the operator-run pods, cpu and memory requests and limits', () => {
    const resources: [string, Container['resources']][] = workloads.flatMap((o) =>
      containersOf(o).map((c) => [`${o.kind}/${o.metadata.name}/${c.name}`, c.resources] as [string, Container['resources']]),
    );
    resources.push(['Cluster/bazaar-pg', postgresCluster.spec?.resources as Container['resources']]);
    resources.push(['KafkaNodePool', kafkaNodePool.spec?.resources as Container['resources']]);
    resources.push(['topic operator', kafkaCluster.spec?.entityOperator?.topicOperator?.resources as Container['resources']]);
    expect(resources.length).toBeGreaterThanOrEqual(5);
    for (const [where, r] of resources) {
      for (const kind of ['requests', 'limits'] as const) {
        expect(r?.[kind]?.cpu, `${where} ${kind}.cpu`).toBeTruthy();
        expect(r?.[kind]?.memory, `${where} ${kind}.memory`).toBeTruthy();
      }
    }
  });

  it('runs our containers as non-root with a read-only root filesystem', () => {
    for (const o of workloads) {
      const pod = o.spec!.template!.spec;
      for (const c of pod.containers) {
        expect(c.securityContext?.readOnlyRootFilesystem, `${o.metadata.name}/${c.name}`).toBe(true);
        expect(c.securityContext?.allowPrivilegeEscalation, `${o.metadata.name}/${c.name}`).toBe(false);
        expect(c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot, `${o.metadata.name}/${c.name}`).toBe(true);
        for (const m of c.volumeMounts ?? []) expect(pod.volumes?.map((v) => v.name)).toContain(m.name);
      }
    }
    const server = containersOf(plain(syncServerDeployment))[0]!;
    expect(server.volumeMounts?.map((m) => m.mountPath)).toContain('/tmp');
  });

  describe('sync server', () => {
    const deployment = plain(syncServerDeployment);
    const podLabels = deployment.spec!.template!.metadata!.labels!;
    const selector = syncServerService.spec!.selector!;

    it('has a Service whose selector matches the Deployment pods, and no other pods', () => {
      expect(Object.keys(selector).length).toBeGreaterThan(0);
      expect(matches(selector, podLabels)).toBe(true);
      expect(matches(deployment.spec!.selector!.matchLabels!, podLabels)).toBe(true);
      const others = workloads.filter((o) => o !== deployment && o.metadata.name !== deployment.metadata.name);
      for (const o of others) expect(matches(selector, o.spec?.template?.metadata?.labels), o.metadata.name).toBe(false);
      // The Service's target port is one the container declares.
      const portNames = containersOf(deployment).flatMap((c) => c.ports?.map((p) => p.name) ?? []);
      for (const p of syncServerService.spec!.ports!) expect(portNames).toContain(p.targetPort);
    });

    it('probes /readyz for readiness and /healthz for liveness on the served port', () => {
      const c = containersOf(deployment)[0]!;
      expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(c.ports?.[0]?.containerPort).toBe(Number(syncServerConfig.data!.PORT));
    });

    it('rolls out 3 replicas without dropping below them, with an HPA and a PDB on the same pods', () => {
      expect(syncServerDeployment.spec?.replicas).toBe(3);
      expect(syncServerDeployment.spec?.strategy?.type).toBe('RollingUpdate');
      expect(syncServerDeployment.spec?.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
      expect(syncServerHpa.spec?.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
      expect(syncServerHpa.spec?.minReplicas).toBe(3);
      expect(matches(syncServerPdb.spec!.selector!.matchLabels!, podLabels)).toBe(true);
    });

    it('routes the ingress to the Service, unbuffered and with a long read timeout for SSE', () => {
      const backend = syncServerIngress.spec!.rules![0]!.http!.paths[0]!.backend.service!;
      expect(backend.name).toBe(syncServerService.metadata!.name);
      expect(syncServerService.spec!.ports!.map((p) => p.name)).toContain(backend.port!.name);
      const a = syncServerIngress.metadata!.annotations!;
      expect(a['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
      expect(Number(a['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThan(60);
    });

    it('points its configuration at the CNPG, Strimzi and Redis services, in a form the server accepts', () => {
      const data = syncServerConfig.data!;
      expect(new URL(data.DATABASE_URL!).hostname).toBe(`${pgClusterName}-rw.${namespace}.svc`);
      expect(new URL(data.DATABASE_READ_URL!).hostname).toBe(`${pgClusterName}-ro.${namespace}.svc`);
      expect(data.KAFKA_BROKERS).toBe(kafkaBootstrap);
      expect(kafkaBootstrap.startsWith(`${kafkaCluster.metadata!.name}-kafka-bootstrap.`)).toBe(true);
      expect(new URL(data.REDIS_URL!).hostname).toBe(`${redisService.metadata!.name}.${namespace}.svc`);
      expect(redisService.metadata!.name).toBe(redisName);

      const env = containersOf(deployment)[0]!.env!;
      const fromSecret = (name: string) => env.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
      expect(fromSecret('PGPASSWORD')).toEqual({ name: pgAppSecret, key: 'password' });
      expect(fromSecret('JWT_KEYS')?.name).toBe(jwtSecretName);
      expect(fromSecret('JWT_ACTIVE_KID')?.name).toBe(jwtSecretName);

      const config = loadConfig({ ...data, JWT_KEYS: JSON.stringify({ k1: 'x'.repeat(32) }), JWT_ACTIVE_KID: 'k1' });
      expect(config.embedded).toBe(false);
    });

    it('runs files that exist, and migrates in a Job whose pod the Service never selects', () => {
      const root = new URL('../../sync-server/', import.meta.url);
      for (const o of [deployment, plain(migrationJob)]) {
        const script = containersOf(o)[0]!.command!.at(-1)!;
        expect(existsSync(fileURLToPath(new URL(script, root))), script).toBe(true);
      }
      expect(migrationJob.spec?.template.spec?.restartPolicy).toBe('Never');
      expect(containersOf(plain(migrationJob))[0]!.env).toEqual(containersOf(deployment)[0]!.env);
    });
  });

  describe('kafka', () => {
    it('declares exactly the topics of shared/src/protocol/events.ts', () => {
      expect([...topicNames].sort()).toEqual(Object.values(topics).sort());
      expect(kafkaTopics.map((t) => t.metadata!.name).sort()).toEqual(Object.values(topics).sort());
    });

    it('keeps every topic at 6 partitions, replication factor 3, min.insync.replicas 2', () => {
      for (const t of kafkaTopics) {
        expect(t.metadata?.labels?.['strimzi.io/cluster']).toBe(kafkaCluster.metadata!.name);
        expect(t.spec).toMatchObject({ partitions: 6, replicas: 3, config: { 'min.insync.replicas': 2 } });
      }
      expect(replicationFactor).toBe(3);
      expect(minInsyncReplicas).toBe(2);
      // One broker may be down (a rolling restart) and producers with acks=all still write.
      expect(minInsyncReplicas).toBeLessThan(replicationFactor);
    });

    it('runs KRaft on one node pool of 3 controller+broker nodes with matching broker defaults', () => {
      expect(kafkaNodePool.metadata?.labels?.['strimzi.io/cluster']).toBe(kafkaCluster.metadata!.name);
      expect([...kafkaNodePool.spec!.roles].sort()).toEqual(['broker', 'controller']);
      expect(kafkaNodePool.spec!.replicas).toBeGreaterThanOrEqual(replicationFactor);
      expect(kafkaCluster.metadata?.annotations).toMatchObject({ 'strimzi.io/node-pools': 'enabled', 'strimzi.io/kraft': 'enabled' });
      expect(kafkaCluster.spec?.kafka.config).toMatchObject({ 'default.replication.factor': 3, 'min.insync.replicas': 2 });
    });
  });

  it('lets the sync server and every worker reach Redis, and no other pod of ours', () => {
    const from = redisNetworkPolicy.spec!.ingress!.flatMap((rule) => rule.from ?? []).map((peer) => peer.podSelector?.matchLabels ?? {});
    const reaches = (o: Plain) => from.some((selector) => matches(selector, o.spec?.template?.metadata?.labels));
    const clients = [syncServerDeployment, ...workerDeployments].map(plain);
    for (const client of clients) expect(reaches(client), client.metadata.name).toBe(true);
    const others = workloads.filter((w) => !clients.some((c) => c.metadata.name === w.metadata.name && c.kind === w.kind));
    for (const other of others) expect(reaches(other), other.metadata.name).toBe(false);
    expect(new URL(workersConfig.data!.REDIS_URL!).hostname).toBe(`${redisService.metadata!.name}.${namespace}.svc`);
  });

  it('runs PostgreSQL as a 3-instance CloudNativePG cluster', () => {
    expect(postgresCluster.metadata?.name).toBe(pgClusterName);
    expect(postgresCluster.spec?.instances).toBe(3);
  });

  it('renders one YAML document per object that parses back (as YAML 1.1, like kubectl) to the same data', () => {
    const docs = parseAllDocuments(renderAll(), { version: '1.1' });
    expect(Array.isArray(docs)).toBe(true);
    const parsed = (docs as { toJS(): unknown; errors: unknown[] }[]).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS();
    });
    expect(parsed).toEqual(objects.map((o) => JSON.parse(JSON.stringify(o)) as unknown));
  });
});
