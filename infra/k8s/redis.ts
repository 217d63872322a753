import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Service } from 'kubernetes-models/v1/Service';
import { type K8sObject, containerSecurity, labels, namespace, redisName } from './common';
import { syncServerSelector } from './sync-server';
import { workerSelector } from './workers';

/**
 * One Redis, no persistence: it holds token revocations and login back-off
 * (all with TTLs), rate-limit windows and the pub/sub that fans changes out to
 * every sync-server pod's SSE clients. A restart forgets revocations, which
 * then last at most one access-token lifetime (ACCESS_TOKEN_TTL_SECONDS).
 *
 * `noeviction`: when full, writes fail loudly rather than Redis silently
 * dropping revocations to make room.
 */
const redisLabels = labels(redisName, 'cache');
const selector = { 'app.kubernetes.io/name': redisName, 'app.kubernetes.io/part-of': 'bazaar-inventory' };

export const redisHeadlessService = new Service({
  metadata: { name: `${redisName}-headless`, namespace, labels: redisLabels },
  spec: { clusterIP: 'None', selector, ports: [{ name: 'redis', port: 6379, targetPort: 'redis' }] },
});

export const redisService = new Service({
  metadata: { name: redisName, namespace, labels: redisLabels },
  spec: { type: 'ClusterIP', selector, ports: [{ name: 'redis', port: 6379, targetPort: 'redis' }] },
});

export const redisStatefulSet = new StatefulSet({
  metadata: { name: redisName, namespace, labels: redisLabels },
  spec: {
    serviceName: `${redisName}-headless`,
    replicas: 1,
    selector: { matchLabels: selector },
    template: {
      metadata: { labels: redisLabels },
      spec: {
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: {
          // The redis user of the Debian-based official image.
          runAsUser: 999,
          runAsGroup: 999,
          fsGroup: 999,
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        containers: [
          {
            name: 'redis',
            image: 'redis:7.4-bookworm',
            args: [
              'redis-server',
              '--save', '',
              '--appendonly', 'no',
              '--protected-mode', 'no',
              '--maxmemory', '192mb',
              '--maxmemory-policy', 'noeviction',
            ],
            ports: [{ name: 'redis', containerPort: 6379 }],
            readinessProbe: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 5, timeoutSeconds: 2 },
            livenessProbe: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
            resources: {
              requests: { cpu: '50m', memory: '128Mi' },
              limits: { cpu: '500m', memory: '256Mi' },
            },
            securityContext: containerSecurity,
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
        volumes: [{ name: 'data', emptyDir: { sizeLimit: '64Mi' } }],
      },
    },
  },
});

/**
 * Redis has no password: only the sync server and the workers (which announce
 * alerts on the servers' change channel) may reach it. Enforced where the
 * network plugin implements NetworkPolicy.
 */
export const redisNetworkPolicy = new NetworkPolicy({
  metadata: { name: `${redisName}-clients`, namespace, labels: redisLabels },
  spec: {
    podSelector: { matchLabels: selector },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ podSelector: { matchLabels: syncServerSelector } }, { podSelector: { matchLabels: workerSelector } }],
        ports: [{ protocol: 'TCP', port: 6379 }],
      },
    ],
  },
});

export const redisObjects: K8sObject[] = [redisHeadlessService, redisService, redisStatefulSet, redisNetworkPolicy];
