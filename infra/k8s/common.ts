/**
 * Names and settings shared by every manifest. Everything lives in one
 * namespace; services refer to each other by their in-cluster DNS names.
 *
 * Two settings come from the environment at render time:
 *   BAZAAR_IMAGE  the sync-server image (default below; set it to the tag you pushed)
 *   BAZAAR_HOST   the public host name of the ingress
 */

export const namespace = 'bazaar';

export const image = process.env.BAZAAR_IMAGE ?? 'registry.example.com/bazaar/sync-server:0.1.0';
export const host = process.env.BAZAAR_HOST ?? 'bazaar.example.com';

/** CloudNativePG cluster: the operator creates services `<name>-rw`, `-ro`, `-r` and the secret `<name>-app`. */
export const pgClusterName = 'bazaar-pg';
export const pgDatabase = 'bazaar';
export const pgOwner = 'bazaar';
/** Created by CloudNativePG for `bootstrap.initdb.owner`; keys `username`, `password`, `uri`, ... */
export const pgAppSecret = `${pgClusterName}-app`;

/** Strimzi cluster: the operator creates the service `<name>-kafka-bootstrap`. */
export const kafkaClusterName = 'bazaar-kafka';
export const kafkaBootstrap = `${kafkaClusterName}-kafka-bootstrap.${namespace}.svc:9092`;

export const redisName = 'redis';
export const redisUrl = `redis://${redisName}.${namespace}.svc:6379`;

export function svc(name: string): string {
  return `${name}.${namespace}.svc`;
}

/** Labels every object of ours carries. */
export function labels(name: string, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'bazaar-inventory',
    'app.kubernetes.io/managed-by': 'bazaar-render',
  };
}

/**
 * The common shape of kubernetes-models objects. The Strimzi package is built
 * on a newer `@kubernetes-models/base` than the others, so their classes are
 * not one type; this is what render and the tests need of them.
 */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } | undefined;
  validate(): void;
  toJSON(): unknown;
}

/** Restricted security settings for our own containers. */
export const containerSecurity = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};
