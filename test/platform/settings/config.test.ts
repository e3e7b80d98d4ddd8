import { ConfigError, loadConfig } from '../../../src/platform/settings/config';

describe('settings', () => {
  test('defaults: SQLite in data/, port 3000, console on without Lark, links follow the port', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe('sqlite:data/xinfang.sqlite');
    expect(c.consoleEnabled).toBe(true);
    expect(c.larkEnabled).toBe(false);
    expect(c.PUBLIC_BASE_URL).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '3456' }).PUBLIC_BASE_URL).toBe('http://localhost:3456');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://xf.example.gov.cn/' }).PUBLIC_BASE_URL).toBe('https://xf.example.gov.cn');
  });

  test('a bad value names the setting, in Chinese', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/配置有误[\s\S]*PORT/);
    expect(() => loadConfig({ LARK_APP_ID: 'cli_x' })).toThrow(ConfigError);
  });

  test('production: the console needs a token, and webhook mode an encrypt key', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).consoleEnabled).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', CONSOLE_ENABLED: 'true' })).toThrow(/CONSOLE_TOKEN/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's', LARK_MODE: 'webhook' }),
    ).toThrow(/LARK_ENCRYPT_KEY/);
  });
});
