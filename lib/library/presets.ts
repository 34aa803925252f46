import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FleetError } from '../errors.js';
import { frameworkDir } from '../framework.js';
import { mergedSources } from './sources.js';

export interface Preset {
  id: string;
  file: string;
  /** the first comment line of the file */
  description: string;
  text: string;
}

function describe(text: string): string {
  const first = text.split('\n').find((l) => l.startsWith('#'));
  return first ? first.replace(/^#\s*/, '') : '';
}

export function listPresets(dir = path.join(frameworkDir(), 'presets')): Preset[] {
  return mergedSources(dir, undefined, '.yaml').map((s) => ({
    id: s.id,
    file: s.file,
    description: describe(s.text),
    text: s.text,
  }));
}

export function presetText(id: string, dir = path.join(frameworkDir(), 'presets')): string {
  const p = listPresets(dir).find((x) => x.id === id);
  if (!p) {
    throw new FleetError(
      'NOT_FOUND',
      `unknown preset "${id}" (known: ${listPresets(dir)
        .map((x) => x.id)
        .join(', ')})`,
    );
  }
  return readFileSync(p.file, 'utf8');
}
