import { describe, expect, it } from 'vitest';
import { parseResetTime, RECENT_PAST_MS } from './reset-time.js';

// Tuesday 10 March 2026, 14:00 UTC = 15:00 in Paris (CET, before the switch to summer time)
const NOW = Date.UTC(2026, 2, 10, 14, 0, 0);
const utc = (mo: number, d: number, h: number, mi = 0, s = 0, y = 2026) =>
  Date.UTC(y, mo - 1, d, h, mi, s);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('clock times', () => {
  it.each([
    ['resets 3pm', utc(3, 10, 15)],
    ['5-hour limit reached ∙ resets 3pm', utc(3, 10, 15)],
    ['resets at 3:30 pm', utc(3, 10, 15, 30)],
    ['reset at 15:00', utc(3, 10, 15)],
    ['Try again at 3:04 PM.', utc(3, 10, 15, 4)],
    ['You have hit your limit · resets 11:45pm', utc(3, 10, 23, 45)],
    [
      'Usage limit reached · continuing automatically at 9:10pm · esc to cancel',
      utc(3, 10, 21, 10),
    ],
    ['Your limit will reset at 14:05:09 (UTC)', utc(3, 10, 14, 5, 9)],
  ])('%s (UTC)', (text, want) => {
    expect(parseResetTime(text, NOW, 'UTC')).toBe(want);
  });

  it('a time earlier than now is tomorrow', () => {
    expect(parseResetTime('resets 1pm', NOW, 'UTC')).toBe(utc(3, 11, 13));
    expect(parseResetTime('resets 9am', NOW, 'UTC')).toBe(utc(3, 11, 9));
    expect(parseResetTime('resets 12pm', NOW, 'UTC')).toBe(utc(3, 11, 12));
    expect(parseResetTime('resets 12am', NOW, 'UTC')).toBe(utc(3, 11, 0));
  });

  it('a time a moment ago has just reset: today, not tomorrow', () => {
    expect(parseResetTime('resets 1:58pm', NOW, 'UTC')).toBe(utc(3, 10, 13, 58));
    expect(parseResetTime('resets 14:00', NOW, 'UTC')).toBe(NOW);
    const justOver = NOW - RECENT_PAST_MS - MIN;
    const hhmm = new Date(justOver).toISOString().slice(11, 16);
    expect(parseResetTime(`resets ${hhmm}`, NOW, 'UTC')).toBe(justOver + 24 * HOUR);
  });

  it('crossing midnight: a time just after it is tomorrow', () => {
    const late = utc(3, 10, 23, 59, 30);
    expect(parseResetTime('Your limit will reset at 00:00:30 (UTC)', late, 'UTC')).toBe(
      utc(3, 11, 0, 0, 30),
    );
  });

  it('reads the clock in the zone the caller gives (Europe/Paris)', () => {
    expect(parseResetTime('resets 4pm', NOW, 'Europe/Paris')).toBe(utc(3, 10, 15));
    expect(parseResetTime('reset at 15:30', NOW, 'Europe/Paris')).toBe(utc(3, 10, 14, 30));
    // 14:00 in Paris was an hour ago: tomorrow 14:00 Paris
    expect(parseResetTime('resets 2pm', NOW, 'Europe/Paris')).toBe(utc(3, 11, 13));
  });

  it('a zone named in the text wins over the one given', () => {
    expect(parseResetTime('resets 4pm (Europe/Paris)', NOW, 'UTC')).toBe(utc(3, 10, 15));
    expect(
      parseResetTime(
        'Claude usage limit reached. Your limit will reset at 3:30pm (Europe/Paris).',
        NOW,
        'America/New_York',
      ),
    ).toBe(utc(3, 10, 14, 30));
    expect(parseResetTime('Your limit will reset at 14:05:09 (UTC)', NOW, 'Europe/Paris')).toBe(
      utc(3, 10, 14, 5, 9),
    );
    expect(parseResetTime('reset at 16:00 UTC', NOW, 'Europe/Paris')).toBe(utc(3, 10, 16));
  });

  it('an unknown zone in parentheses falls back to the given one', () => {
    expect(parseResetTime('resets 4pm (Mars/Olympus)', NOW, 'UTC')).toBe(utc(3, 10, 16));
  });

  it('uses the zone in force on the reset day (Paris changes to summer time on 29 March)', () => {
    // Saturday 28 March 21:00 in Paris (UTC+1); 3am on Sunday is already summer time (UTC+2)
    const sat = utc(3, 28, 20);
    expect(parseResetTime('resets 3am (Europe/Paris)', sat, 'UTC')).toBe(utc(3, 29, 1));
    expect(parseResetTime('resets 11pm (Europe/Paris)', sat, 'UTC')).toBe(utc(3, 28, 22));
  });

  it('without a zone anywhere, the host zone is used', () => {
    const hour = (ms: number | null) =>
      new Intl.DateTimeFormat('en-US', { hour: 'numeric', hourCycle: 'h23' }).format(ms ?? 0);
    expect(hour(parseResetTime('resets 11pm', NOW))).toBe('23');
  });
});

describe('dates', () => {
  it('month and day, with or without a year', () => {
    expect(parseResetTime('resets May 5 at 9pm (America/New_York)', NOW, 'UTC')).toBe(utc(5, 6, 1));
    expect(parseResetTime('Try again at Sep 29th, 2026 12:55 AM.', NOW, 'UTC')).toBe(
      utc(9, 29, 0, 55),
    );
    expect(parseResetTime('try again at Oct 15th, 2026', NOW, 'UTC')).toBe(utc(10, 15, 0));
    expect(parseResetTime('resets 03:31 on 15 Mar', NOW, 'UTC')).toBe(utc(3, 15, 3, 31));
    expect(parseResetTime('resets 9pm on Mar 12', NOW, 'Europe/Paris')).toBe(utc(3, 12, 20));
  });

  it('a date without a year that is long past is next year', () => {
    expect(parseResetTime('resets Feb 5 at 9am', NOW, 'UTC')).toBe(utc(2, 5, 9, 0, 0, 2027));
  });
});

describe('durations', () => {
  it.each([
    ["You've hit your usage limit. Try again in 2 hours 5 minutes.", 2 * HOUR + 5 * MIN],
    ['or try again in 2 days 17 hours 14 minutes.', (2 * 24 + 17) * HOUR + 14 * MIN],
    ['try again in\n5 days 22 hours 11\nminutes.', (5 * 24 + 22) * HOUR + 11 * MIN],
    ['limit resets in 45m', 45 * MIN],
    ['in 45m', 45 * MIN],
    ['in 30 seconds', 30_000],
    ['Your quota will reset after 2h52m39s.', 2 * HOUR + 52 * MIN + 39_000],
    ['Please retry in 4.5s.', 4_500],
    ['available again in 1 hr, 30 mins', 90 * MIN],
  ])('%s', (text, ms) => {
    expect(parseResetTime(text, NOW, 'UTC')).toBe(NOW + ms);
  });

  it("aider's own backoff is not a reset time", () => {
    expect(parseResetTime('Retrying in 0.5 seconds...', NOW, 'UTC')).toBeNull();
  });
});

describe('timestamps', () => {
  it('ISO, with an offset or in the zone', () => {
    expect(parseResetTime('resets at 2026-03-11T09:30:00Z', NOW, 'Europe/Paris')).toBe(
      utc(3, 11, 9, 30),
    );
    expect(parseResetTime('"resets_at": "2026-03-11T10:30:00+01:00"', NOW)).toBe(utc(3, 11, 9, 30));
    expect(parseResetTime('reset 2026-03-11 10:30', NOW, 'Europe/Paris')).toBe(utc(3, 11, 9, 30));
    expect(parseResetTime('2026-03-11T09:30:00.250-0100', NOW)).toBe(utc(3, 11, 10, 30) + 250);
  });

  it('unix seconds (and milliseconds) in JSON-ish text', () => {
    expect(parseResetTime('"resetsAt": 1767000000', NOW)).toBe(1_767_000_000_000);
    expect(parseResetTime('{"type":"usage_limit_reached","resets_at":1775317531}', NOW)).toBe(
      1_775_317_531_000,
    );
    expect(parseResetTime('reset_at=1767000000123', NOW)).toBe(1_767_000_000_123);
    expect(parseResetTime('Claude AI usage limit reached|1749924000', NOW)).toBe(1_749_924_000_000);
    expect(parseResetTime('{"resets_in_seconds": 600}', NOW)).toBe(NOW + 600_000);
  });
});

describe('nothing to read', () => {
  it.each([
    'Claude usage limit reached',
    'You have hit your usage limit. Try again later.',
    'edited 2 files in 3 places',
    'resets your counter',
    'resets 99:00',
    'resets 13pm',
    '',
  ])('%j', (text) => {
    expect(parseResetTime(text, NOW, 'UTC')).toBeNull();
  });
});
