import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { FleetError, RosterInvalid } from '../errors.js';
import { RUNTIME_IDS } from '../runtimes/registry.js';
import { issueAt, zodIssuesAt } from './locate.js';
import { migrateDocument } from './migrate.js';
import { aliasIssues, duplicateNameIssues, floorIssues } from './rules.js';
import { ROSTER_VERSION, rosterSchema, type Roster } from './schema.js';

export interface LoadedRoster {
  file: string;
  roster: Roster;
  /** the parsed document (already migrated in memory when the file is older) */
  doc: Document;
  /** sha256 of the bytes read, for detecting concurrent edits at write time */
  hash: string;
  text: string;
  /** versions migrated through in memory (empty when the file is current) */
  migratedFrom: number[];
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Parse and validate roster text. Throws RosterInvalid naming file:line:column and the field. */
export function parseRoster(text: string, file: string): LoadedRoster {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    throw new RosterInvalid(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
        return {
          file,
          line: pos.line,
          column: pos.col,
          path: '',
          message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
        };
      }),
    );
  }
  const version = doc.get('version');
  if (typeof version === 'number' && version > ROSTER_VERSION) {
    throw new RosterInvalid([
      issueAt(
        file,
        doc,
        lc,
        ['version'],
        `version ${version} is newer than this fleet (${ROSTER_VERSION}); upgrade mosaic-fleet`,
      ),
    ]);
  }
  const migratedFrom = migrateDocument(doc);
  const parsed = rosterSchema.safeParse(doc.toJS());
  if (!parsed.success) throw new RosterInvalid(zodIssuesAt(file, doc, lc, parsed.error));
  const roster = parsed.data;
  const known = new Set([
    ...RUNTIME_IDS,
    ...Object.keys(roster.runtimes).filter((k) => roster.runtimes[k]?.command),
  ]);
  const rules = [
    ...duplicateNameIssues(roster.agents),
    ...aliasIssues(roster.agents, known),
    ...floorIssues(roster.agents),
  ];
  if (rules.length)
    throw new RosterInvalid(rules.map((r) => issueAt(file, doc, lc, r.path, r.message)));
  return { file, roster, doc, hash: hashText(text), text, migratedFrom };
}

export function loadRoster(file: string): LoadedRoster {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new FleetError('ROSTER_MISSING', `no roster at ${file} (create one with: fleet init)`, {
        cause,
      });
    }
    throw cause;
  }
  return parseRoster(text, file);
}

/**
 * The roster as it is now, parsed again only when the file changed (size or mtime), for callers
 * that ask on every request or tick. An invalid roster throws what loadRoster threw, until the
 * file changes.
 * What it returns is shared by every call until the file changes: never modify it.
 */
export function loadedRosterReader(file: string): () => LoadedRoster {
  // an invalid or missing roster is remembered too: reading and failing again on every call
  // (an error with its stack each time) cost fleetd more than the request it served
  let seen: { key: string; loaded: LoadedRoster } | { key: string; error: unknown } | null = null;
  return () => {
    let key = '';
    try {
      const st = statSync(file);
      key = `${st.size}:${st.mtimeMs}`;
    } catch {
      key = 'missing';
    }
    if (seen?.key !== key) {
      try {
        seen = { key, loaded: loadRoster(file) };
      } catch (error) {
        seen = { key, error };
      }
    }
    if ('error' in seen) throw seen.error;
    return seen.loaded;
  };
}

/** The parsed roster alone, as loadedRosterReader keeps it. */
export function rosterReader(file: string): () => Roster {
  const read = loadedRosterReader(file);
  return () => read().roster;
}
