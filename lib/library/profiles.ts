import path from 'node:path';
import { z } from 'zod';
import { LibraryInvalid, type SourceIssue } from '../errors.js';
import { frameworkDir } from '../framework.js';
import { issueAt } from '../roster/locate.js';
import { mergedSources, type SourceFile } from './sources.js';
import { parseYamlWith } from './yamlfile.js';

const cls = z.string().regex(/^[a-z][a-z0-9-]*$/);

export const profileSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    title: z.string().min(1),
    description: z.string().min(1),
    lead: cls,
    floor: z.array(cls).min(1),
    roster: z
      .array(
        z
          .object({
            class: cls,
            reports_to: cls.optional(),
            multiplicity: z.number().int().min(1).optional(),
            notes: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type Profile = z.output<typeof profileSchema> & {
  file: string;
  origin: SourceFile['origin'];
};

export interface ProfileIssue {
  path: (string | number)[];
  message: string;
}

/** Pure: every reference resolves, the lead leads, reports_to has no cycles. */
export function profileIssues(
  p: z.output<typeof profileSchema>,
  id: string,
  roleClasses: ReadonlySet<string>,
): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  if (p.id !== id)
    issues.push({ path: ['id'], message: `id "${p.id}" must equal the file name "${id}"` });
  const inRoster = new Set(p.roster.map((r) => r.class));
  const unknownRole = (c: string) => !roleClasses.has(c);
  if (unknownRole(p.lead))
    issues.push({ path: ['lead'], message: `lead "${p.lead}" is not a role in the library` });
  else if (!inRoster.has(p.lead))
    issues.push({ path: ['lead'], message: `lead "${p.lead}" is not in the roster` });
  p.floor.forEach((c, i) => {
    if (unknownRole(c))
      issues.push({
        path: ['floor', i],
        message: `floor class "${c}" is not a role in the library`,
      });
    else if (!inRoster.has(c))
      issues.push({ path: ['floor', i], message: `floor class "${c}" is not in the roster` });
  });
  const seen = new Set<string>();
  p.roster.forEach((r, i) => {
    if (unknownRole(r.class))
      issues.push({
        path: ['roster', i, 'class'],
        message: `class "${r.class}" is not a role in the library`,
      });
    if (seen.has(r.class))
      issues.push({
        path: ['roster', i, 'class'],
        message: `class "${r.class}" appears twice (use multiplicity)`,
      });
    seen.add(r.class);
    if (r.reports_to !== undefined) {
      if (!inRoster.has(r.reports_to)) {
        issues.push({
          path: ['roster', i, 'reports_to'],
          message: `reports_to "${r.reports_to}" is not a class in this roster`,
        });
      } else if (r.reports_to === r.class) {
        issues.push({
          path: ['roster', i, 'reports_to'],
          message: `"${r.class}" cannot report to itself`,
        });
      }
    }
    if (r.class === p.lead && r.reports_to !== undefined) {
      issues.push({
        path: ['roster', i, 'reports_to'],
        message: `the lead "${p.lead}" reports to no one`,
      });
    }
  });
  const cycle = reportsToCycle(p.roster);
  if (cycle) {
    const i = p.roster.findIndex((r) => r.class === cycle[0]);
    issues.push({
      path: ['roster', i, 'reports_to'],
      message: `reports_to cycle: ${cycle.join(' → ')}`,
    });
  }
  return issues;
}

/** The first reports_to cycle found, as [a, b, …, a], or null. */
export function reportsToCycle(
  roster: readonly { class: string; reports_to?: string }[],
): string[] | null {
  const up = new Map(roster.map((r) => [r.class, r.reports_to]));
  for (const start of up.keys()) {
    const pathSeen: string[] = [];
    let cur: string | undefined = start;
    while (cur !== undefined && !pathSeen.includes(cur)) {
      pathSeen.push(cur);
      cur = up.get(cur);
    }
    if (cur !== undefined) return [...pathSeen.slice(pathSeen.indexOf(cur)), cur];
  }
  return null;
}

function parseProfile(src: SourceFile, roleClasses: ReadonlySet<string>): Profile {
  const { value, doc, lc } = parseYamlWith(src.text, src.file, profileSchema);
  const issues: SourceIssue[] = profileIssues(value, src.id, roleClasses).map((i) =>
    issueAt(src.file, doc, lc, i.path, i.message),
  );
  if (issues.length) throw new LibraryInvalid(issues);
  return { ...value, file: src.file, origin: src.origin };
}

export function loadProfiles(
  roleClasses: ReadonlySet<string>,
  userDir?: string,
  shippedDir = path.join(frameworkDir(), 'profiles'),
): Map<string, Profile> {
  const profiles = mergedSources(shippedDir, userDir, '.yaml').map((s) =>
    parseProfile(s, roleClasses),
  );
  return new Map(profiles.map((p) => [p.id, p]));
}
