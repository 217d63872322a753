import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { type K8sObject, containerSecurity, image, kafkaBootstrap, labels, namespace, pgAppSecret, pgClusterName, pgDatabase, pgOwner, redisUrl, svc } from './common';

/**
 * The event workers (workers/): one Deployment per kind, each a Kafka
 * consumer group, from the same image as the server. Topics have 6
 * partitions, so more than 6 replicas of one kind would idle; 2 keep a
 * partition's consumer moving while a pod restarts.
 */
const healthPort = 8081;
export const workerKinds = ['analytics', 'alerts', 'replenishment', 'books'] as const;

export const workersConfig = new ConfigMap({
  metadata: { name: 'workers-config', namespace, labels: labels('workers', 'worker') },
  data: {
    DATABASE_URL: `postgresql://${pgOwner}@${svc(`${pgClusterName}-rw`)}:5432/${pgDatabase}`,
    DATABASE_POOL_SIZE: '4',
    KAFKA_BROKERS: kafkaBootstrap,
    KAFKA_CLIENT_ID: 'bazaar-workers',
    REDIS_URL: redisUrl,
    HEALTH_PORT: String(healthPort),
  },
});

/** Every worker pod, whatever its kind (for the network policies of what they reach). */
export const workerSelector = { 'app.kubernetes.io/component': 'worker', 'app.kubernetes.io/part-of': 'bazaar-inventory' };

const selectorOf = (kind: string) => ({ 'app.kubernetes.io/name': `worker-${kind}`, 'app.kubernetes.io/part-of': 'bazaar-inventory' });

function workerDeployment(kind: (typeof workerKinds)[number]): Deployment {
  const podLabels = labels(`worker-${kind}`, 'worker');
  return new Deployment({
    metadata: { name: `worker-${kind}`, namespace, labels: podLabels },
    spec: {
      replicas: 2,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorOf(kind) },
      template: {
        metadata: { labels: podLabels },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          // A consumer leaves its group on SIGTERM, so its partitions move at once.
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: 'worker',
              image,
              imagePullPolicy: 'IfNotPresent',
              workingDir: '/app/workers',
              command: ['node', '--import', 'tsx', 'src/main.ts', kind],
              ports: [{ name: 'health', containerPort: healthPort }],
              envFrom: [{ configMapRef: { name: workersConfig.metadata!.name! } }],
              env: [
                { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: pgAppSecret, key: 'password' } } },
                { name: 'KAFKA_CLIENT_ID', value: `bazaar-worker-${kind}` },
              ],
              startupProbe: { httpGet: { path: '/healthz', port: 'health' }, periodSeconds: 2, failureThreshold: 60 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'health' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
              // Ready once its consumer joined the group; /readyz also lists the lag.
              readinessProbe: { httpGet: { path: '/readyz', port: 'health' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
              resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '384Mi' } },
              securityContext: containerSecurity,
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '128Mi' } }],
        },
      },
    },
  });
}

export const workerDeployments = workerKinds.map(workerDeployment);
export const workerPdbs = workerKinds.map(
  (kind) =>
    new PodDisruptionBudget({
      metadata: { name: `worker-${kind}`, namespace, labels: labels(`worker-${kind}`, 'worker') },
      spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf(kind) } },
    }),
);

export const workerObjects: K8sObject[] = [workersConfig, ...workerDeployments, ...workerPdbs];
