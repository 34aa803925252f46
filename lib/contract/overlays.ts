import { describeControlChar, findControlChar, normalizeLineBreaks } from '../control-chars.js';
import { usage } from '../errors.js';
import { expandTabs } from '../supervisor/prompt.js';

/**
 * Operator overlays (docs/contract.md "Overlays"): free Markdown in FLEET_HOME/overlays/ that is
 * appended to contracts, `_all.md` to every agent's and then `<name>.md` to that agent's, so the
 * more specific note comes last. They live in FLEET_HOME, which reseeding framework/ never
 * touches (docs/architecture.md "FLEET_HOME"). Pure: the loader reads the files.
 */
export interface Overlay {
  /** where it was read from, named in errors and in `--json` */
  file: string;
  text: string;
}

export interface ContractOverlays {
  all: Overlay | null;
  agent: Overlay | null;
}

export const NO_OVERLAYS: ContractOverlays = { all: null, agent: null };

/**
 * The overlay's text as it goes into the contract, or null when it is blank. Line breaks are
 * normalised and tabs become spaces; any other control character is refused, naming the file,
 * because the contract is typed into a terminal, where it would act as a key.
 */
export function overlayText(o: Overlay | null): string | null {
  if (!o) return null;
  const text = expandTabs(normalizeLineBreaks(o.text)).trim();
  if (!text) return null;
  const bad = findControlChar(text, '\n');
  if (bad) throw usage(`overlay ${o.file} contains ${describeControlChar(bad)}; remove it`);
  return text;
}
