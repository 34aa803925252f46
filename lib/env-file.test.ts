import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvFile, readEnvFile } from './env-file.js';

describe('fleetd.env', () => {
  it('reads KEY=value lines, comments and quotes as systemd does', () => {
    expect(
      parseEnvFile(
        '# secrets\nMATRIX_ACCESS_TOKEN=syt_abc\n\nexport SLACK_WEBHOOK_URL="https://h/x?a=b"\nX=\'q v\'\nnot a line\n',
      ),
    ).toEqual({
      MATRIX_ACCESS_TOKEN: 'syt_abc',
      SLACK_WEBHOOK_URL: 'https://h/x?a=b',
      X: 'q v',
    });
  });

  it('no file is no variables; a file others can read is warned about', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'envfile-'));
    try {
      expect(readEnvFile(path.join(dir, 'none'))).toEqual({ vars: {}, warning: null });
      const f = path.join(dir, 'fleetd.env');
      writeFileSync(f, 'A=1\n', { mode: 0o644 });
      expect(readEnvFile(f).warning).toMatch(/chmod 600/);
      chmodSync(f, 0o600);
      expect(readEnvFile(f)).toEqual({ vars: { A: '1' }, warning: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
