import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LibraryInvalid } from '../errors.js';
import { frameworkDir } from '../framework.js';
import { fleetHome } from '../home.js';
import { parseRoster } from '../roster/load.js';
import { rosterJsonSchema } from '../roster/json-schema.js';
import { countClass } from '../roster/rules.js';
import { rosterFromProfile, rosterYaml } from './from-profile.js';
import { loadLibrary } from './index.js';
import { listPresets } from './presets.js';
import { profileIssues, profileSchema, reportsToCycle } from './profiles.js';
import { ROLE_DOMAINS, renderRoleIndex } from './roles.js';

const emptyHome = () => fleetHome(mkdtempSync(path.join(os.tmpdir(), 'mf-lib-')));

describe('shipped library', () => {
  const lib = loadLibrary(emptyHome());

  it('has the 52 roles across the ten domains, each with mandate, boundaries and persona', () => {
    expect(lib.roles.size).toBe(52);
    expect(new Set([...lib.roles.values()].map((r) => r.domain))).toEqual(new Set(ROLE_DOMAINS));
    for (const r of lib.roles.values()) {
      expect(r.mandate.length, r.class).toBeGreaterThan(40);
      expect(r.boundaries.length, r.class).toBeGreaterThan(20);
      expect(r.persona.length, r.class).toBeGreaterThan(20);
    }
  });

  it('has the five system types, all valid', () => {
    expect([...lib.profiles.keys()].sort()).toEqual([
      'business',
      'marketing',
      'personal-assistant',
      'research',
      'software-delivery',
    ]);
  });

  it('builds a valid roster with the two-agent floor from every system type', () => {
    for (const p of lib.profiles.values()) {
      const input = rosterFromProfile(p, lib.roles, { runtime: 'stub' });
      const { roster } = parseRoster(rosterYaml(input, p.id), `${p.id}.yaml`);
      const seats = p.roster.reduce((n, r) => n + (r.multiplicity ?? 1), 0);
      const addedEnhancer = p.roster.some((r) => r.class === 'enhancer') ? 0 : 1;
      expect(roster.agents, p.id).toHaveLength(seats + addedEnhancer);
      expect(countClass(roster.agents, 'orchestrator'), p.id).toBe(1);
      expect(countClass(roster.agents, 'enhancer'), p.id).toBeGreaterThanOrEqual(1);
      expect(roster.agents.find((a) => a.class === 'orchestrator')?.role).toBe(p.lead);
    }
  });

  it('numbers seats with multiplicity > 1', () => {
    const research = lib.profiles.get('research')!;
    const names = rosterFromProfile(research, lib.roles).agents.map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['researcher0', 'researcher1']));
  });

  it('ships presets that all validate; every non-minimal one has the floor; demo is stub-only', () => {
    const presets = listPresets();
    expect(presets.map((p) => p.id).sort()).toEqual([
      'coding',
      'demo',
      'general',
      'hybrid',
      'local-canary',
      'minimal',
      'research',
    ]);
    for (const p of presets) {
      const { roster } = parseRoster(p.text, p.file);
      if (p.id === 'minimal') continue;
      expect(countClass(roster.agents, 'orchestrator'), p.id).toBe(1);
      expect(countClass(roster.agents, 'enhancer'), p.id).toBeGreaterThanOrEqual(1);
      for (const a of roster.agents)
        if (a.role) expect(lib.roles.has(a.role), `${p.id}/${a.role}`).toBe(true);
    }
    const demo = parseRoster(presets.find((p) => p.id === 'demo')!.text, 'demo').roster;
    expect(new Set(demo.agents.map((a) => a.runtime))).toEqual(new Set(['stub']));
  });

  it('keeps the generated files in step with their sources (run npm run gen)', () => {
    const fw = frameworkDir();
    expect(readFileSync(path.join(fw, 'roster.schema.json'), 'utf8')).toBe(rosterJsonSchema());
    expect(readFileSync(path.join(fw, 'roles', 'INDEX.md'), 'utf8')).toBe(
      renderRoleIndex(lib.roles.values()),
    );
  });
});

describe('user overrides and new data files', () => {
  it('a user role replaces the shipped one and a new profile file becomes available', () => {
    const home = emptyHome();
    mkdirSync(home.rolesDir, { recursive: true });
    mkdirSync(home.profilesDir, { recursive: true });
    writeFileSync(
      path.join(home.rolesDir, 'code.md'),
      '---\nclass: code\ntitle: Our Coder\ndomain: engineering\npersistent: false\nsummary: ours\n---\n## Mandate\nShip it.\n## Boundaries\n- none\n## Persona\nTerse.\n',
    );
    writeFileSync(
      path.join(home.profilesDir, 'tiny-shop.yaml'),
      'id: tiny-shop\ntitle: Tiny shop\ndescription: a shop\nlead: ceo\nfloor: [ceo]\nroster:\n  - class: ceo\n  - class: code\n    reports_to: ceo\n',
    );
    const lib = loadLibrary(home);
    expect(lib.roles.get('code')).toMatchObject({ title: 'Our Coder', origin: 'user' });
    expect(lib.profiles.get('tiny-shop')).toMatchObject({ origin: 'user', lead: 'ceo' });
  });

  it('reports a bad profile at file:line:column', () => {
    const home = emptyHome();
    mkdirSync(home.profilesDir, { recursive: true });
    writeFileSync(
      path.join(home.profilesDir, 'bad.yaml'),
      'id: bad\ntitle: Bad\ndescription: x\nlead: ceo\nfloor: [ceo]\nroster:\n  - class: ceo\n  - class: coo\n    reports_to: nobody-here\n',
    );
    const err = (() => {
      try {
        loadLibrary(home);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LibraryInvalid);
    expect((err as LibraryInvalid).message).toMatch(
      /bad\.yaml:9:17: roster\[1\]\.reports_to: reports_to "nobody-here" is not a class/,
    );
  });
});

describe('profile rules', () => {
  const roles = new Set(['a', 'b', 'c']);
  const base = profileSchema.parse({
    id: 'p',
    title: 't',
    description: 'd',
    lead: 'a',
    floor: ['a'],
    roster: [{ class: 'a' }, { class: 'b', reports_to: 'a' }],
  });

  it('accepts a tree', () => expect(profileIssues(base, 'p', roles)).toEqual([]));
  it('finds reports_to cycles and names them', () => {
    expect(
      reportsToCycle([
        { class: 'a' },
        { class: 'b', reports_to: 'c' },
        { class: 'c', reports_to: 'b' },
      ]),
    ).toEqual(['b', 'c', 'b']);
  });
  it('flags unresolved classes, a lead outside the roster, an id that is not the file name', () => {
    const bad = {
      ...base,
      id: 'q',
      lead: 'c',
      floor: ['zz'],
      roster: [...base.roster, { class: 'zz' }],
    };
    const msgs = profileIssues(bad, 'p', roles).map((i) => i.message);
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringContaining('must equal the file name'),
        expect.stringContaining('lead "c" is not in the roster'),
        expect.stringContaining('floor class "zz" is not a role'),
        expect.stringContaining('class "zz" is not a role'),
      ]),
    );
  });
  it('rejects multiplicity below 1', () => {
    expect(
      profileSchema.safeParse({ ...base, roster: [{ class: 'a', multiplicity: 0 }] }).success,
    ).toBe(false);
  });
});
