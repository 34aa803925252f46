import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import { ROSTER_VERSION } from './schema.js';

/**
 * Roster migrations, applied to the YAML Document so comments and layout survive.
 * Each step takes a document at version N to N+1.
 *
 * v1 (the original shell-era roster): agents carry `model_hint`; no restart policy.
 * v2: `model` is the field's name (`model_hint` still read as an alias).
 */
const steps: Record<number, (doc: Document) => void> = {
  1: (doc) => {
    const agents = doc.get('agents', true);
    if (isSeq(agents)) {
      for (const agent of agents.items) {
        if (!isMap(agent)) continue;
        for (const item of agent.items) {
          if (
            isPair(item) &&
            isScalar(item.key) &&
            item.key.value === 'model_hint' &&
            !agent.has('model')
          ) {
            item.key.value = 'model';
          }
        }
      }
    }
    doc.set('version', 2);
  },
};

function documentVersion(doc: Document): unknown {
  return doc.get('version');
}

/** Migrate in place; returns the versions passed through (empty when already current). */
export function migrateDocument(doc: Document): number[] {
  const passed: number[] = [];
  let v = documentVersion(doc);
  while (typeof v === 'number' && Number.isInteger(v) && v < ROSTER_VERSION) {
    const step = steps[v];
    if (!step) break;
    step(doc);
    passed.push(v);
    v = documentVersion(doc);
  }
  return passed;
}
