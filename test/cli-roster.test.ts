import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFleet, tempHome } from './support/fleet-cli.js';

const rosterOf = (home: string) => readFileSync(path.join(home, 'roster.yaml'), 'utf8');

describe('fleet init (built binary)', () => {
  it('prints without writing, writes with --write, refuses to overwrite without --force', async () => {
    const home = tempHome();
    const dry = await runFleet(home, ['init', '--profile', 'coding']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('- name: coder0');
    expect(dry.stdout).toContain('not written');
    expect(() => rosterOf(home)).toThrow();

    expect((await runFleet(home, ['init', '--profile', 'coding', '--write'])).code).toBe(0);
    const first = rosterOf(home);
    const override =
      '---\nclass: code\ntitle: Ours\ndomain: engineering\npersistent: false\nsummary: ours\n---\n## Mandate\nm\n## Boundaries\nb\n## Persona\np\n';
    writeFileSync(path.join(home, 'roles', 'code.md'), override);

    const again = await runFleet(home, ['init', '--profile', 'general', '--write']);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/^fleet: a roster already exists at .*roster\.yaml; pass --force/);
    expect(rosterOf(home)).toBe(first);

    expect(
      (await runFleet(home, ['init', '--profile', 'general', '--write', '--force'])).code,
    ).toBe(0);
    expect(rosterOf(home)).toContain('- name: generalist');
    expect(readFileSync(path.join(home, 'roles', 'code.md'), 'utf8')).toBe(override);
    expect((await runFleet(home, ['roles', 'show', 'code'])).stdout).toContain('Ours (code)');
    expect(readFileSync(path.join(home, 'agents', 'generalist.env'), 'utf8')).toContain(
      'MOSAIC_AGENT_RUNTIME="pi"',
    );
  });

  it('builds a system-type roster with the floor and the chosen socket', async () => {
    const home = tempHome();
    const r = await runFleet(home, [
      'init',
      '--system-type',
      'marketing',
      '--runtime',
      'stub',
      '--socket',
      'mf-x',
      '--write',
    ]);
    expect(r.code).toBe(0);
    const list = await runFleet(home, ['agent', 'roster', '--json']);
    const agents = JSON.parse(list.stdout) as {
      name: string;
      class: string;
      runtime: string;
      role: string;
    }[];
    expect(agents.filter((a) => a.class === 'orchestrator')).toEqual([
      expect.objectContaining({ role: 'marketing-lead', runtime: 'stub' }),
    ]);
    expect(agents.some((a) => a.class === 'enhancer')).toBe(true);
    expect(rosterOf(home)).toContain('socket_name: mf-x');
  });

  it('rejects unknown presets and system types with one clear line', async () => {
    const home = tempHome();
    const r = await runFleet(home, ['init', '--system-type', 'spaceship']);
    expect(r.code).toBe(6);
    expect(r.stderr.trim()).toMatch(/^fleet: unknown system type "spaceship" \(known: business, /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('fleet agent add/remove and roster validate (built binary)', () => {
  it('keeps comments across add and remove and guards the floor', async () => {
    const home = tempHome();
    await runFleet(home, ['init', '--profile', 'general', '--write']);
    const file = path.join(home, 'roster.yaml');
    writeFileSync(file, rosterOf(home).replace('agents:', '# our agents, hand-tuned\nagents:'));

    const add = await runFleet(home, [
      'agent',
      'add',
      'coder7',
      '--runtime',
      'codex',
      '--class',
      'implementer',
      '--model',
      'gpt-x',
      '--yolo',
      '--channel',
      'c1',
    ]);
    expect(add.code).toBe(0);
    expect(rosterOf(home)).toContain('# our agents, hand-tuned');
    expect(rosterOf(home)).toContain('- name: coder7');
    expect(readFileSync(path.join(home, 'agents', 'coder7.env'), 'utf8')).toContain(
      'MOSAIC_AGENT_YOLO="1"',
    );

    const rm = await runFleet(home, ['agent', 'remove', 'coder7']);
    expect(rm.code).toBe(0);
    expect(rosterOf(home)).toContain('# our agents, hand-tuned');
    expect(rosterOf(home)).not.toContain('coder7');

    const before = rosterOf(home);
    for (const sole of ['orchestrator', 'enhancer']) {
      const r = await runFleet(home, ['agent', 'remove', sole]);
      expect(r.code).toBe(5);
      expect(r.stderr).toContain(`it is the sole ${sole}`);
    }
    const dup = await runFleet(home, [
      'agent',
      'add',
      'enhancer',
      '--runtime',
      'pi',
      '--class',
      'worker',
    ]);
    expect(dup.code).toBe(4); // exists (README: 4 conflict/exists, 6 unknown name)
    const unknown = await runFleet(home, ['agent', 'remove', 'ghost']);
    expect(unknown.code).toBe(6);
    expect(unknown.stderr).toContain('unknown agent "ghost"');
    expect(rosterOf(home)).toBe(before);
  });

  it('validate names file:line:column and the field', async () => {
    const home = tempHome();
    await runFleet(home, ['init', '--profile', 'general', '--write']);
    const file = path.join(home, 'roster.yaml');
    writeFileSync(file, rosterOf(home).replace('runtime: pi', 'runtime: pie'));
    const r = await runFleet(home, ['roster', 'validate']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(
        `^fleet: ${file.replace(/[.]/g, '\\.')}:\\d+:14: agents\\[2\\]\\.runtime: unknown runtime "pie"`,
      ),
    );
  });

  it('validate checks each repo: a git repository with its base branch, one line each', async () => {
    const home = tempHome();
    await runFleet(home, ['init', '--profile', 'general', '--write']);
    const repo = path.join(home, 'app');
    mkdirSync(repo);
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    execFileSync('git', [
      '-C',
      repo,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@x',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'initial',
    ]);
    const file = path.join(home, 'roster.yaml');
    const base = rosterOf(home);
    const withRepos = (repos: string) => writeFileSync(file, `${base}repos:\n${repos}`);
    withRepos(`  - { name: app, path: ${repo}, base: main }\n`);
    const ok = await runFleet(home, ['roster', 'validate']);
    expect(ok.stdout).toMatch(/: ok, \d+ agents, 1 repos/);
    withRepos(
      `  - { name: app, path: ${repo}, base: trunk }\n  - { name: docs, path: ${home}, base: main }\n`,
    );
    const bad = await runFleet(home, ['roster', 'validate']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([
      `${file}: repo app: base branch "trunk" does not exist in ${repo}`,
      `${file}: repo docs: ${home} is not a git repository`,
    ]);
  });

  it('lists and shows profiles, roles and runtimes', async () => {
    const home = tempHome();
    const profiles = JSON.parse((await runFleet(home, ['profiles', 'list', '--json'])).stdout) as {
      system_types: { id: string }[];
    };
    expect(profiles.system_types.map((p) => p.id)).toContain('software-delivery');
    expect((await runFleet(home, ['profiles', 'show', 'research'])).stdout).toContain(
      'lead-researcher',
    );
    const roles = JSON.parse(
      (await runFleet(home, ['roles', 'list', '--json'])).stdout,
    ) as unknown[];
    expect(roles).toHaveLength(52);
    expect((await runFleet(home, ['roles', 'show', 'enhancer'])).stdout).toContain('## Mandate');
    expect((await runFleet(home, ['roles', 'show', 'wizard'])).code).toBe(6);
    expect((await runFleet(home, ['runtimes'])).stdout).toMatch(
      /claude\s+claude\s+\/clear\s+--dangerously-skip-permissions/,
    );
  });
});
