import { Kafka } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/Kafka';
import { KafkaNodePool } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaNodePool';
import { KafkaTopic } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaTopic';
import { type K8sObject, kafkaClusterName, labels, namespace } from './common';

/**
 * Kafka, run by the Strimzi operator in KRaft mode (no ZooKeeper): one node
 * pool of three nodes that are controllers and brokers both, which suits small
 * clusters. Clients use the bootstrap service `bazaar-kafka-kafka-bootstrap:9092`.
 * Strimzi makes its own PodDisruptionBudgets and rolls brokers one at a time.
 *
 * Kafka 3.9 is what the project runs locally (infra/kafka). The last Strimzi
 * releases that run Kafka 3.9 are 0.46 and 0.47 (3.9.0 and 3.9.1; not 3.9.2),
 * which speak `kafka.strimzi.io/v1beta2`; Strimzi 0.48+ runs Kafka 4 only.
 */
export const kafkaVersion = '3.9.1';
const metadataVersion = '3.9-IV0';

export const replicationFactor = 3;
export const minInsyncReplicas = 2;
export const partitions = 6;

/**
 * The topics the sync server publishes to. Written out here on purpose (not
 * imported): manifests.test.ts checks them against shared/src/protocol/events.ts.
 * Events are keyed by store id, so one store's events stay in order within
 * one partition; 6 partitions cap a consumer group at 6 useful members.
 */
export const topicNames = [
  'inventory.movements',
  'sales.recorded',
  'inventory.discrepancies',
  'operations.rejected',
  'catalog.store-products',
  'purchases.recorded',
  'outbox.dead-letters',
  'workers.dead-letters',
] as const;

const clusterLabel = { 'strimzi.io/cluster': kafkaClusterName };

export const kafkaNodePool = new KafkaNodePool({
  metadata: {
    name: 'dual-role',
    namespace,
    labels: { ...labels('kafka', 'event-log'), ...clusterLabel },
  },
  spec: {
    replicas: 3,
    roles: ['controller', 'broker'],
    storage: {
      type: 'jbod',
      volumes: [{ id: 0, type: 'persistent-claim', size: '20Gi', deleteClaim: false, kraftMetadata: 'shared' }],
    },
    resources: {
      requests: { cpu: '250m', memory: '1Gi' },
      limits: { cpu: '1', memory: '1536Mi' },
    },
    jvmOptions: { '-Xms': '768m', '-Xmx': '768m' },
  },
});

export const kafkaCluster = new Kafka({
  metadata: {
    name: kafkaClusterName,
    namespace,
    labels: labels('kafka', 'event-log'),
    annotations: { 'strimzi.io/node-pools': 'enabled', 'strimzi.io/kraft': 'enabled' },
  },
  spec: {
    kafka: {
      version: kafkaVersion,
      metadataVersion,
      listeners: [{ name: 'plain', port: 9092, type: 'internal', tls: false }],
      config: {
        'default.replication.factor': replicationFactor,
        'min.insync.replicas': minInsyncReplicas,
        'num.partitions': partitions,
        'offsets.topic.replication.factor': replicationFactor,
        'transaction.state.log.replication.factor': replicationFactor,
        'transaction.state.log.min.isr': minInsyncReplicas,
        // Topics come from KafkaTopic objects (and the server's idempotent createTopics), never from a typo.
        'auto.create.topics.enable': false,
      },
      template: {
        pod: {
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: 'kubernetes.io/hostname',
                    labelSelector: { matchLabels: { 'strimzi.io/cluster': kafkaClusterName, 'strimzi.io/kind': 'Kafka' } },
                  },
                },
              ],
            },
          },
        },
      },
    },
    entityOperator: {
      topicOperator: {
        resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      },
    },
  },
});

export const kafkaTopics = topicNames.map(
  (name) =>
    new KafkaTopic({
      // Dots are allowed in resource names, so the object is named after its topic.
      metadata: { name, namespace, labels: { ...labels('kafka-topic', 'event-log'), ...clusterLabel } },
      spec: {
        partitions,
        replicas: replicationFactor,
        config: {
          'min.insync.replicas': minInsyncReplicas,
          'cleanup.policy': 'delete',
          'retention.ms': 7 * 24 * 60 * 60 * 1000,
        },
      },
    }),
);

export const kafkaObjects: K8sObject[] = [kafkaNodePool, kafkaCluster, ...kafkaTopics];
