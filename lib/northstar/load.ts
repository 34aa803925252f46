import { readFileSync } from 'node:fs';
import { FleetError, NorthStarInvalid, type SourceIssue } from '../errors.js';
import { parseYamlWith } from '../library/yamlfile.js';
import { issueAt } from '../roster/locate.js';
import { CARD_ID_RE } from '../store/contract.js';
import { cycleIfLinked, type Edge } from '../store/dag.js';
import { northStarSchema, type NorthStar } from './schema.js';

export interface RuleIssue {
  path: (string | number)[];
  message: string;
}

/** Pure: ids unique per section, references resolve, goals form a DAG. */
function northStarIssues(ns: NorthStar): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const sections = [
    'standing_objectives',
    'success_criteria',
    'workstreams',
    'goals',
    'assumptions',
  ] as const;
  for (const section of sections) {
    const seen = new Set<string>();
    ns[section].forEach((x, i) => {
      if (seen.has(x.id))
        issues.push({ path: [section, i, 'id'], message: `duplicate id "${x.id}"` });
      seen.add(x.id);
    });
  }
  const goals = new Set(ns.goals.map((g) => g.id));
  const streams = new Set(ns.workstreams.map((w) => w.id));
  const edges: Edge[] = [];
  ns.goals.forEach((g, i) => {
    if (g.workstream && !streams.has(g.workstream)) {
      issues.push({
        path: ['goals', i, 'workstream'],
        message: `unknown workstream "${g.workstream}"`,
      });
    }
    g.depends_on.forEach((d, j) => {
      if (!goals.has(d)) {
        issues.push({
          path: ['goals', i, 'depends_on', j],
          message: `depends on unknown goal "${d}"`,
        });
        return;
      }
      const cycle = cycleIfLinked(edges, g.id, d);
      if (cycle)
        issues.push({
          path: ['goals', i, 'depends_on', j],
          message: `dependency cycle: ${cycle.join(' → ')}`,
        });
      else edges.push([g.id, d]);
    });
  });
  return issues;
}

/**
 * A goal's problem names the goal by id as well as by position: `fleet plan` turns each goal
 * into a card, and the operator knows goals by id.
 */
function withGoalIds(issues: readonly SourceIssue[], parsed: unknown): SourceIssue[] {
  const goals = (parsed as { goals?: unknown } | null)?.goals;
  return issues.map((i) => {
    const m = /^goals\[(\d+)\]/.exec(i.path);
    const goal: unknown = m && Array.isArray(goals) ? goals[Number(m[1])] : undefined;
    const id = (goal as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' && CARD_ID_RE.test(id)
      ? { ...i, message: `goal "${id}": ${i.message}` }
      : i;
  });
}

export function parseNorthStar(text: string, file: string): NorthStar {
  const { value, doc, lc } = parseYamlWith(
    text,
    file,
    northStarSchema,
    0,
    (i, parsed) => new NorthStarInvalid(withGoalIds(i, parsed)),
  );
  const issues = northStarIssues(value);
  if (issues.length)
    throw new NorthStarInvalid(issues.map((i) => issueAt(file, doc, lc, i.path, i.message)));
  return value;
}

export function loadNorthStar(file: string): NorthStar {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new FleetError(
        'NOT_FOUND',
        `no NORTH_STAR.yaml at ${file} (pass --file, or copy framework/northstar/NORTH_STAR.sample.yaml)`,
        { cause },
      );
    }
    throw cause;
  }
  return parseNorthStar(text, file);
}

/**
 * What is wrong with the NORTH_STAR.yaml fleetd would plan, for `fleet ps` and the panel: the
 * error line (file:line:column and the field), or null when it is valid or absent.
 */
export function northStarProblem(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    parseNorthStar(text, file);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
