import { Cluster } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster';
import { type K8sObject, labels, namespace, pgClusterName, pgDatabase, pgOwner } from './common';

/**
 * PostgreSQL, run by the CloudNativePG operator: one primary and two streaming
 * replicas on different nodes. The operator creates
 *   - services `bazaar-pg-rw` (the primary: writes), `bazaar-pg-ro` (replicas
 *     only: DATABASE_READ_URL) and `bazaar-pg-r` (any instance),
 *   - the secret `bazaar-pg-app` with the owner's generated password,
 *   - a PodDisruptionBudget for the primary and one for the replicas,
 * and fails over on its own when the primary goes.
 *
 * Connection budget: the sync server keeps two pools of DATABASE_POOL_SIZE
 * (10) per pod, the primary one on -rw and the read one on -ro; at the HPA's
 * 10 pods that is 100 on the primary and 100 spread over the replicas.
 *
 * No backups are configured: add `spec.backup.barmanObjectStore` (or the
 * Barman Cloud plugin) with an object store before this holds real data.
 */
export const postgresCluster = new Cluster({
  metadata: { name: pgClusterName, namespace, labels: labels('postgres', 'database') },
  spec: {
    instances: 3,
    imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5',
    // Roll replicas first, then switch over the primary, without waiting for a human.
    primaryUpdateStrategy: 'unsupervised',
    storage: { size: '10Gi' },
    bootstrap: { initdb: { database: pgDatabase, owner: pgOwner } },
    postgresql: {
      parameters: {
        max_connections: '250',
        shared_buffers: '256MB',
      },
    },
    resources: {
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    },
    affinity: { enablePodAntiAffinity: true, topologyKey: 'kubernetes.io/hostname' },
  },
});

export const postgresObjects: K8sObject[] = [postgresCluster];
