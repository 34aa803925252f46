import { describe, expect, it } from 'vitest';
import { isLoopback, originOf, webOptions } from './options.js';

describe('web options', () => {
  it('defaults to loopback port 7420, production, enabled', () => {
    const o = webOptions({}, {});
    expect(o).toMatchObject({ enabled: true, host: '127.0.0.1', port: 7420, dev: false });
  });

  it('lets flags win over the environment', () => {
    const o = webOptions(
      { webPort: '9000', webHost: '::1' },
      { FLEET_WEB_PORT: '8000', FLEET_WEB_HOST: '0.0.0.0' },
    );
    expect(o).toMatchObject({ host: '::1', port: 9000 });
  });

  it('is turned off by --no-web or FLEET_WEB=0', () => {
    expect(webOptions({ web: false }, {}).enabled).toBe(false);
    expect(webOptions({}, { FLEET_WEB: '0' }).enabled).toBe(false);
  });

  it('refuses a port that is not one, naming where it came from', () => {
    expect(() => webOptions({}, { FLEET_WEB_PORT: 'http' })).toThrow(/FLEET_WEB_PORT/);
    expect(() => webOptions({ webPort: '70000' }, {})).toThrow(/--web-port/);
  });

  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost'])
      expect(isLoopback(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.5', 'example.com', '10.0.0.1'])
      expect(isLoopback(h)).toBe(false);
  });

  it('writes origins as browsers do', () => {
    expect(originOf('127.0.0.1', 7420)).toBe('http://127.0.0.1:7420');
    expect(originOf('::1', 7420)).toBe('http://[::1]:7420');
  });
});
