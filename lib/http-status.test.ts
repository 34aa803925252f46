import { describe, expect, it } from 'vitest';
import { httpStatusFor as fleetdStatus } from '../server/router.js';
import { HTTP_STATUS } from './http-status.js';
import { statusFor as webStatus } from './web/errors.js';

describe('error code → HTTP status', () => {
  it('is the same for every code on fleetd’s socket API and the web panel’s API', () => {
    const codes = Object.keys(HTTP_STATUS);
    expect(codes.length).toBeGreaterThanOrEqual(19);
    for (const code of codes) {
      expect(fleetdStatus(code), code).toBe(HTTP_STATUS[code as keyof typeof HTTP_STATUS]);
      expect(webStatus(code), code).toBe(fleetdStatus(code));
    }
  });

  it('gives a client error for what the client can fix, and 500 only for the unexpected', () => {
    for (const code of ['ROSTER_INVALID', 'FLOOR_VIOLATION', 'ROSTER_CONFLICT', 'AGENT_EXISTS']) {
      expect(fleetdStatus(code)).toBeGreaterThanOrEqual(400);
      expect(fleetdStatus(code)).toBeLessThan(500);
    }
    expect(webStatus('SOMETHING_NEW')).toBe(500);
    expect(fleetdStatus('toString')).toBe(500);
  });
});
