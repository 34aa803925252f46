import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRoster } from '../lib/roster/load.js';
import { runFleet, tempHome } from './support/fleet-cli.js';

const INIT = ['init', '--profile', 'minimal', '--write'];

const cases = [
  {
    kind: 'matrix',
    flags: [
      '--matrix-homeserver',
      'https://matrix.example.org',
      '--matrix-user',
      '@fleet:example.org',
      '--matrix-room',
      '!abc:example.org',
    ],
    block: {
      homeserver_url: 'https://matrix.example.org',
      user_id: '@fleet:example.org',
      room_id: '!abc:example.org',
    },
    env: 'MATRIX_ACCESS_TOKEN',
    noun: 'access token',
  },
  {
    kind: 'telegram',
    // a negative id (a group) must reach the option, not be read as a flag
    flags: ['--telegram-chat', '-100123456'],
    block: { chat_id: '-100123456' },
    env: 'TELEGRAM_BOT_TOKEN',
    noun: 'bot token',
  },
  { kind: 'slack', flags: [], block: undefined, env: 'SLACK_WEBHOOK_URL', noun: 'webhook URL' },
  { kind: 'discord', flags: [], block: undefined, env: 'DISCORD_WEBHOOK_URL', noun: 'webhook URL' },
  {
    kind: 'webhook',
    flags: ['--webhook-url', 'https://hooks.example.org/fleet'],
    block: { url: 'https://hooks.example.org/fleet' },
    env: 'FLEET_WEBHOOK_SECRET',
    noun: 'signing secret',
  },
] as const;

describe('fleet init --connector (built binary)', () => {
  for (const c of cases) {
    it(`writes a valid ${c.kind} block with a comment naming ${c.env}`, async () => {
      const home = tempHome();
      const r = await runFleet(home, [...INIT, '--connector', c.kind, ...c.flags]);
      expect(r.code, r.stderr).toBe(0);
      const file = path.join(home, 'roster.yaml');
      const text = readFileSync(file, 'utf8');
      // the preset's own comment is kept; the new one sits right above the block
      expect(text).toContain('# Minimal: a single canary agent');
      expect(text).toContain(
        `# the ${c.noun} comes from ${c.env} in fleetd's environment, never from this file\nconnector:\n  kind: ${c.kind}\n`,
      );
      expect(text).not.toMatch(/token_env|access_token:|secret:/);

      const connector = loadRoster(file).roster.connector;
      expect(connector?.kind).toBe(c.kind);
      if (c.block) expect(connector?.[c.kind]).toMatchObject(c.block);
      else expect(connector?.[c.kind]).toBeUndefined();

      const validate = await runFleet(home, ['roster', 'validate']);
      expect(validate.code, validate.stderr).toBe(0);
      expect(validate.stdout).toContain('ok, 1 agents');

      const next = r.stderr.split('\n').filter((l) => l.includes('fleet connector test'));
      expect(next).toEqual([
        expect.stringMatching(new RegExp(`^connector ${c.kind}: set ${c.env} \\(`)),
      ]);
    });
  }

  it('writes no block for none (the default) and prints no connector line', async () => {
    for (const extra of [[], ['--connector', 'none']]) {
      const home = tempHome();
      const r = await runFleet(home, [...INIT, ...extra]);
      expect(r.code, r.stderr).toBe(0);
      const text = readFileSync(path.join(home, 'roster.yaml'), 'utf8');
      expect(text).not.toContain('connector');
      expect(r.stderr).not.toContain('fleet connector test');
    }
  });

  it('prints the block without writing it when --write is absent', async () => {
    const home = tempHome();
    const r = await runFleet(home, [
      'init',
      '--profile',
      'minimal',
      '--connector',
      'telegram',
      '--telegram-chat=@fleetchannel',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'connector:\n  kind: telegram\n  telegram:\n    chat_id: "@fleetchannel"',
    );
    expect(readdirSync(home)).toEqual([]);
  });
});

describe('fleet init --connector usage errors (built binary)', () => {
  const errors: { name: string; args: string[]; message: string | RegExp }[] = [
    {
      name: 'an unknown kind lists the kinds',
      args: ['--connector', 'irc'],
      message:
        'fleet: unknown connector "irc" (kinds: none, matrix, telegram, slack, discord, webhook)',
    },
    {
      name: 'matrix without its room names --matrix-room',
      args: [
        '--connector',
        'matrix',
        '--matrix-homeserver',
        'https://matrix.example.org',
        '--matrix-user',
        '@fleet:example.org',
      ],
      message: 'fleet: --connector matrix needs --matrix-room <!id>',
    },
    {
      name: 'matrix with no fields names all three flags',
      args: ['--connector', 'matrix'],
      message:
        'fleet: --connector matrix needs --matrix-homeserver <url> and --matrix-user <@id> and --matrix-room <!id>',
    },
    {
      name: 'telegram without a chat names --telegram-chat',
      args: ['--connector', 'telegram'],
      message: 'fleet: --connector telegram needs --telegram-chat <id>',
    },
    {
      name: 'webhook without a URL names --webhook-url',
      args: ['--connector', 'webhook'],
      message: 'fleet: --connector webhook needs --webhook-url <url>',
    },
    {
      name: "a bad value gets the schema's message",
      args: [
        '--connector',
        'matrix',
        '--matrix-homeserver',
        'https://matrix.example.org',
        '--matrix-user',
        '@fleet:example.org',
        '--matrix-room',
        '#fleet:example.org',
      ],
      message:
        'fleet: --matrix-room: must be a room id starting with ! (an alias #room:server is not accepted)',
    },
    {
      name: 'a non-http webhook URL is refused',
      args: ['--connector', 'webhook', '--webhook-url', 'ftp://example.org/x'],
      message: 'fleet: --webhook-url: must be an http:// or https:// URL',
    },
    {
      name: 'a field flag of another kind is refused, not ignored',
      args: ['--connector', 'slack', '--telegram-chat', '123'],
      message: 'fleet: --telegram-chat applies to --connector telegram, not slack',
    },
    {
      name: 'a field flag without --connector is refused',
      args: ['--webhook-url', 'https://hooks.example.org/fleet'],
      message: 'fleet: --webhook-url applies to --connector webhook (add --connector webhook)',
    },
  ];
  for (const e of errors) {
    it(`${e.name}; nothing is written`, async () => {
      const home = tempHome();
      const r = await runFleet(home, [...INIT, ...e.args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(e.message);
      expect(existsSync(path.join(home, 'roster.yaml'))).toBe(false);
      expect(readdirSync(home)).toEqual([]);
    });
  }
});
