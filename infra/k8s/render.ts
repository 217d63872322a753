/**
 * Prints every object as one multi-document YAML stream:
 *
 *   npx tsx infra/k8s/render.ts > bazaar.yaml && kubectl apply -f bazaar.yaml
 *
 * Each object is validated against its schema first; an invalid one stops
 * the render (exit 1) with its kind, name and the schema's complaint.
 */
import { renderAll } from './index';

try {
  process.stdout.write(renderAll());
} catch (err) {
  console.error(`render failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
