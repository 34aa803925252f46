import { existsSync, readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { FleetError } from './errors.js';
import type { FleetHome } from './home.js';
import { addConnectorBlock, type ConnectorChoice } from './init-connector.js';
import { rosterFromProfile, rosterYaml } from './library/from-profile.js';
import type { Library } from './library/index.js';
import { presetText } from './library/presets.js';
import { hashText, parseRoster, type LoadedRoster } from './roster/load.js';
import { replaceRosterText, writeAgentEnvFiles } from './roster/write.js';
import { seedHome } from './seed.js';

export type InitSource = { kind: 'preset'; id: string } | { kind: 'system-type'; id: string };

export interface InitOptions {
  source: InitSource;
  socket?: string;
  runtime?: string;
  /** the chat connector; kind none (or absent) writes no block */
  connector?: ConnectorChoice;
}

/** Build roster text for a preset or a system-type profile, validated against the roster rules. */
export function buildRosterText(
  library: () => Library,
  file: string,
  opts: InitOptions,
): LoadedRoster {
  let text: string;
  if (opts.source.kind === 'preset') {
    text = presetText(opts.source.id);
  } else {
    const lib = library();
    const profile = lib.profiles.get(opts.source.id);
    if (!profile) {
      throw new FleetError(
        'NOT_FOUND',
        `unknown system type "${opts.source.id}" (known: ${[...lib.profiles.keys()].join(', ')})`,
      );
    }
    text = rosterYaml(
      rosterFromProfile(profile, lib.roles, { runtime: opts.runtime }),
      `Roster for the "${profile.id}" system type (${profile.title}), built by fleet init.`,
    );
  }
  if (opts.socket || opts.connector) {
    const doc = parseDocument(text);
    if (opts.socket) doc.setIn(['tmux', 'socket_name'], opts.socket);
    if (opts.connector) addConnectorBlock(doc, opts.connector);
    text = doc.toString();
  }
  if (opts.runtime && opts.source.kind === 'preset') {
    throw new FleetError(
      'USAGE',
      '--runtime applies to --system-type rosters; presets name their runtimes',
    );
  }
  return parseRoster(text, file);
}

/** Write a built roster: refuses to replace an existing one unless `force`; seeds FLEET_HOME. */
export function writeInitRoster(
  home: FleetHome,
  built: LoadedRoster,
  force: boolean,
): LoadedRoster {
  const exists = existsSync(home.roster);
  if (exists && !force) {
    throw new FleetError(
      'ROSTER_EXISTS',
      `a roster already exists at ${home.roster}; pass --force to replace it`,
    );
  }
  seedHome(home);
  const current = exists ? hashText(readFileSync(home.roster, 'utf8')) : null;
  const saved = replaceRosterText(home.roster, built.text, current);
  writeAgentEnvFiles(home, saved);
  return saved;
}
