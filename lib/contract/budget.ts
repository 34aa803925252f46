import { usage } from '../errors.js';

/**
 * The most a contract may weigh, overlays included (docs/contract.md "Budget"). 24 KiB is about
 * 6,000 tokens: a few percent of a 200k-token context, small enough to give again after every
 * reset, and far below what one argument or one typed message may carry.
 */
export const CONTRACT_MAX_BYTES = 24 * 1024;

export interface SizedPart {
  /** how the error names the part: a section id, or an overlay's file */
  label: string;
  bytes: number;
}

export const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Throws when the contract is over budget, naming the agent, its size and its largest parts. */
export function checkBudget(
  agent: string,
  bytes: number,
  parts: readonly SizedPart[],
  max = CONTRACT_MAX_BYTES,
): void {
  if (bytes <= max) return;
  const largest = [...parts]
    .sort((a, b) => b.bytes - a.bytes || a.label.localeCompare(b.label))
    .slice(0, 3)
    .map((p) => `${p.label} ${p.bytes}`)
    .join(', ');
  throw usage(
    `contract for agent "${agent}" is ${bytes} bytes, over the ${max}-byte budget (largest parts in bytes: ${largest}); shorten the operator overlays or NORTH_STAR.yaml`,
  );
}
