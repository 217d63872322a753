import { Namespace } from 'kubernetes-models/v1/Namespace';
import { type K8sObject, namespace } from './common';

export const bazaarNamespace = new Namespace({
  metadata: {
    name: namespace,
    labels: {
      'app.kubernetes.io/part-of': 'bazaar-inventory',
      // Pod Security Admission: our own pods meet "restricted"; the operators'
      // pods (Strimzi, CloudNativePG) meet "baseline" at least.
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
    },
  },
});

export const namespaceObjects: K8sObject[] = [bazaarNamespace];
