import { afterEach, describe, expect, it } from 'vitest';
import { holdPrivateUmask, operatorUmask } from './umask.js';

describe('the private umask', () => {
  const start = process.umask(0o022);
  afterEach(() => {
    process.umask(start);
  });

  it('holds 077 while anyone holds it and gives the first umask back after the last release', () => {
    process.umask(0o027);
    const a = holdPrivateUmask();
    const b = holdPrivateUmask();
    expect(process.umask(0o077)).toBe(0o077);
    // both in-process fleetds hand their agents the operator's umask, not each other's 077
    expect(operatorUmask()).toBe(0o027);
    a();
    a(); // a second release of the same hold changes nothing
    expect(process.umask(0o077)).toBe(0o077);
    b();
    expect(process.umask(0o027)).toBe(0o027);
  });

  it("reads this process's umask outside fleetd without changing it", () => {
    process.umask(0o002);
    expect(operatorUmask()).toBe(0o002);
    expect(process.umask(0o002)).toBe(0o002);
  });
});
