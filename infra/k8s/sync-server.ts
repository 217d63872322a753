import { createHash } from 'node:crypto';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { Service } from 'kubernetes-models/v1/Service';
import {
  type K8sObject,
  containerSecurity,
  host,
  image,
  kafkaBootstrap,
  labels,
  namespace,
  pgAppSecret,
  pgClusterName,
  pgDatabase,
  pgOwner,
  redisUrl,
  svc,
} from './common';

/**
 * The sync server: stateless HTTP + SSE pods behind one Service and an nginx
 * Ingress. Each pod runs pending migrations at start under an advisory lock;
 * the migration Job does the same ahead of a rollout.
 */
const name = 'sync-server';
const port = 8080;
/** The cluster's pod network (kubeadm's and most CNIs' default lies within it). */
export const podNetwork = '10.0.0.0/8';

/** The secret you create yourself (README): JWT_KEYS and JWT_ACTIVE_KID. */
export const jwtSecretName = 'sync-server-secrets';

/** What the Service, PDB and NetworkPolicies select; a subset of the pod labels. */
export const syncServerSelector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'bazaar-inventory' };
const podLabels = labels(name, 'api');

/**
 * Everything not secret. The database URLs carry no password: node-postgres
 * takes it from PGPASSWORD, which comes from the secret CloudNativePG made.
 */
export const syncServerConfig = new ConfigMap({
  metadata: { name: `${name}-config`, namespace, labels: podLabels },
  data: {
    PORT: String(port),
    DATABASE_URL: `postgresql://${pgOwner}@${svc(`${pgClusterName}-rw`)}:5432/${pgDatabase}`,
    DATABASE_READ_URL: `postgresql://${pgOwner}@${svc(`${pgClusterName}-ro`)}:5432/${pgDatabase}`,
    DATABASE_POOL_SIZE: '10',
    REDIS_URL: redisUrl,
    KAFKA_BROKERS: kafkaBootstrap,
    KAFKA_CLIENT_ID: 'bazaar-sync-server',
    WEB_DIST: '/app/web/dist',
    LOG_LEVEL: 'info',
    // X-Forwarded-For is believed from the pod network, where the ingress
    // controller runs: the NetworkPolicy below lets no other pod connect.
    TRUST_PROXY: podNetwork,
  },
});

const env: IContainer['env'] = [
  { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: pgAppSecret, key: 'password' } } },
  { name: 'JWT_KEYS', valueFrom: { secretKeyRef: { name: jwtSecretName, key: 'JWT_KEYS' } } },
  { name: 'JWT_ACTIVE_KID', valueFrom: { secretKeyRef: { name: jwtSecretName, key: 'JWT_ACTIVE_KID' } } },
];

/** Pod settings shared by the server and the migration job. */
function podSpec(container: IContainer, restartPolicy: 'Always' | 'Never'): IPodSpec {
  return {
    restartPolicy,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: {
      // `node` in the node images.
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [
      {
        ...container,
        image,
        imagePullPolicy: 'IfNotPresent',
        envFrom: [{ configMapRef: { name: syncServerConfig.metadata!.name! } }],
        env,
        securityContext: containerSecurity,
        // tsx keeps its compile cache under the temp dir; the root filesystem is read-only.
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '128Mi' } }],
  };
}

export const syncServerDeployment = new Deployment({
  metadata: { name, namespace, labels: podLabels },
  spec: {
    replicas: 3,
    revisionHistoryLimit: 5,
    selector: { matchLabels: syncServerSelector },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: { labels: podLabels },
      spec: {
        ...podSpec(
          {
            name,
            command: ['node', '--import', 'tsx', 'src/main.ts'],
            ports: [{ name: 'http', containerPort: port }],
            // Startup covers the TypeScript compile and migrations waiting on the advisory lock.
            startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2, failureThreshold: 60 },
            livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
            readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
            // Let the endpoint removal reach the ingress before the server stops taking requests.
            lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
            resources: {
              requests: { cpu: '100m', memory: '256Mi' },
              limits: { cpu: '1', memory: '512Mi' },
            },
          },
          'Always',
        ),
        terminationGracePeriodSeconds: 30,
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: syncServerSelector },
          },
        ],
      },
    },
  },
});

export const syncServerService = new Service({
  metadata: { name, namespace, labels: podLabels },
  spec: {
    type: 'ClusterIP',
    selector: syncServerSelector,
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
  },
});

/**
 * nginx in front: SSE (`/api/sync/stream`) needs responses passed through
 * unbuffered and connections kept open well past the default 60 s (the
 * server sends a comment every 25 s and closes a stream when its token expires).
 */
export const syncServerIngress = new Ingress({
  metadata: {
    name,
    namespace,
    labels: podLabels,
    annotations: {
      'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
      'nginx.ingress.kubernetes.io/proxy-request-buffering': 'off',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
      // The server accepts JSON bodies up to 1 MB.
      'nginx.ingress.kubernetes.io/proxy-body-size': '2m',
      'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
    },
  },
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: [host], secretName: 'bazaar-tls' }],
    rules: [
      {
        host,
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } }],
        },
      },
    ],
  },
});

export const syncServerHpa = new HorizontalPodAutoscaler({
  metadata: { name, namespace, labels: podLabels },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
    minReplicas: 3,
    maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    // SSE clients reconnect to the survivors when a pod goes: scale down slowly.
    behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
  },
});

export const syncServerPdb = new PodDisruptionBudget({
  metadata: { name, namespace, labels: podLabels },
  spec: { maxUnavailable: 1, selector: { matchLabels: syncServerSelector } },
});

/**
 * `npm run migrate` as a Job. A Job's pod template cannot change, so the name
 * carries a hash of the image: each release gets a Job of its own, and
 * finished ones are deleted after a day.
 */
const imageHash = createHash('sha256').update(image).digest('hex').slice(0, 10);
// Not the server's labels: the Service must never send traffic to this pod.
const migrationLabels = labels(`${name}-migrate`, 'migration');
export const migrationJob = new Job({
  metadata: { name: `${name}-migrate-${imageHash}`, namespace, labels: migrationLabels },
  spec: {
    backoffLimit: 6,
    activeDeadlineSeconds: 900,
    ttlSecondsAfterFinished: 86_400,
    template: {
      metadata: { labels: migrationLabels },
      spec: podSpec(
        {
          name: 'migrate',
          command: ['node', '--import', 'tsx', 'src/db/migrate-cli.ts'],
          resources: {
            requests: { cpu: '100m', memory: '128Mi' },
            limits: { cpu: '500m', memory: '256Mi' },
          },
        },
        'Never',
      ),
    },
  },
});

/**
 * Only the ingress controller reaches the API (so only it can send an
 * X-Forwarded-For that TRUST_PROXY believes). Enforced where the network
 * plugin implements NetworkPolicy; the kubelet's probes come from the node.
 */
export const ingressNamespace = 'ingress-nginx';
export const syncServerNetworkPolicy = new NetworkPolicy({
  metadata: { name: `${name}-from-ingress`, namespace, labels: podLabels },
  spec: {
    podSelector: { matchLabels: syncServerSelector },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ingressNamespace } } }],
        ports: [{ protocol: 'TCP', port }],
      },
    ],
  },
});

export const syncServerObjects: K8sObject[] = [
  syncServerNetworkPolicy,
  syncServerConfig,
  syncServerService,
  syncServerDeployment,
  syncServerPdb,
  syncServerHpa,
  syncServerIngress,
  migrationJob,
];
