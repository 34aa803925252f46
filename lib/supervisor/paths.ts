/**
 * Cards in one repository that declare overlapping `paths:` are not worked at the same time
 * (docs/review.md "Paths"). Pure. Two globs overlap when the literal part of one (up to its first
 * wildcard) is a prefix of the other's: conservative, so two cards that could touch one file never
 * run together, at the price of sometimes waiting when they would not have.
 */
export interface PathsCard {
  id: string;
  /** the card's repository (its own or the roster's default); null for a plain card */
  repo: string | null;
  paths: readonly string[];
}

const WILDCARD = /[*?[{]/;

function literal(glob: string): string {
  const g = glob.replace(/^\.\//, '').replace(/^\/+/, '');
  const i = g.search(WILDCARD);
  return i < 0 ? g : g.slice(0, i);
}

export function globsOverlap(a: string, b: string): boolean {
  const x = literal(a);
  const y = literal(b);
  return x.startsWith(y) || y.startsWith(x);
}

/** The first pair of globs that overlap, or null. */
export function overlapOf(a: PathsCard, b: PathsCard): [string, string] | null {
  if (a.repo === null || a.repo !== b.repo) return null;
  for (const x of a.paths) for (const y of b.paths) if (globsOverlap(x, y)) return [x, y];
  return null;
}

/** Why `card` must wait for one of `active` (cards being worked or in review), or null. */
export function pathsWait(card: PathsCard, active: readonly PathsCard[]): string | null {
  for (const other of active) {
    if (other.id === card.id) continue;
    const o = overlapOf(card, other);
    if (o) return `waits for ${other.id}: paths overlap (${o[0]} and ${o[1]}) in repo ${card.repo}`;
  }
  return null;
}
