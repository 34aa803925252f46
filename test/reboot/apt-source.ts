import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Where the container's Debian comes from: the host's own suite and mirror. */
export interface AptSource {
  suite: string;
  mirror: string;
}

interface Entry {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
  enabled: boolean;
}

/** deb822 `.sources` stanzas (`Types:`, `URIs:`, `Suites:`, `Components:`, `Enabled:`). */
export function parseDeb822(text: string): Entry[] {
  const out: Entry[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const f = new Map<string, string>();
    let key: string | null = null;
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#')) continue;
      if (/^\s/.test(line) && key) {
        f.set(key, `${f.get(key)} ${line.trim()}`);
        continue;
      }
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      key = m[1]!.toLowerCase();
      f.set(key, m[2]!.trim());
    }
    if (!f.has('uris')) continue;
    const words = (k: string) => (f.get(k) ?? '').split(/\s+/).filter(Boolean);
    out.push({
      types: words('types'),
      uris: words('uris'),
      suites: words('suites'),
      components: words('components'),
      enabled: !/^no$/i.test(f.get('enabled') ?? 'yes'),
    });
  }
  return out;
}

/** One-line `deb [options] uri suite component…` entries. */
export function parseOneLine(text: string): Entry[] {
  const out: Entry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw
      .replace(/#.*/, '')
      .replace(/\[[^\]]*\]/, '')
      .trim();
    const [type, uri, suite, ...components] = line.split(/\s+/);
    if (!type || !uri || !suite) continue;
    out.push({ types: [type], uris: [uri], suites: [suite], components, enabled: true });
  }
  return out;
}

/** The first enabled `deb` entry that serves `suite` with `main`: its URI. */
export function mirrorFor(entries: readonly Entry[], suite: string): string | null {
  for (const e of entries) {
    if (!e.enabled || !e.types.includes('deb')) continue;
    if (e.suites.includes(suite) && e.components.includes('main') && e.uris[0]) return e.uris[0];
  }
  return null;
}

/** The host's suite (os-release VERSION_CODENAME) and the mirror apt uses for it. */
export function hostAptSource(etc = '/etc'): AptSource | { problem: string } {
  const osRelease = existsSync(path.join(etc, 'os-release'))
    ? readFileSync(path.join(etc, 'os-release'), 'utf8')
    : '';
  const suite = /^VERSION_CODENAME=("?)([a-z]+)\1$/m.exec(osRelease)?.[2];
  if (!suite) return { problem: `no VERSION_CODENAME in ${etc}/os-release (not Debian?)` };
  const entries: Entry[] = [];
  const list = path.join(etc, 'apt', 'sources.list');
  if (existsSync(list)) entries.push(...parseOneLine(readFileSync(list, 'utf8')));
  const dir = path.join(etc, 'apt', 'sources.list.d');
  const files = existsSync(dir) ? readdirSync(dir).sort() : [];
  for (const f of files) {
    const text = () => readFileSync(path.join(dir, f), 'utf8');
    if (f.endsWith('.sources')) entries.push(...parseDeb822(text()));
    else if (f.endsWith('.list')) entries.push(...parseOneLine(text()));
  }
  const mirror = mirrorFor(entries, suite);
  if (!mirror)
    return { problem: `no apt source serves "${suite} main" in ${etc}/apt/sources.list{,.d/}` };
  return { suite, mirror };
}
