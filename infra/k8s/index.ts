import type { K8sObject } from './common';
import { kafkaObjects } from './kafka';
import { namespaceObjects } from './namespace';
import { postgresObjects } from './postgres';
import { redisObjects } from './redis';
import { syncServerObjects } from './sync-server';
import { workerObjects } from './workers';
import { toYaml } from './yaml';

/** Every object, in the order `kubectl apply` should meet them. */
export const objects: K8sObject[] = [
  ...namespaceObjects,
  ...postgresObjects,
  ...kafkaObjects,
  ...redisObjects,
  ...syncServerObjects,
  ...workerObjects,
];

/** Validates every object, then returns them as one `---`-separated YAML stream. */
export function renderAll(list: readonly K8sObject[] = objects): string {
  return list
    .map((object) => {
      try {
        object.validate();
      } catch (err) {
        throw new Error(`${object.kind}/${object.metadata?.name ?? '?'}: ${(err as Error).message}`);
      }
      return `---\n${toYaml(object)}`;
    })
    .join('');
}
