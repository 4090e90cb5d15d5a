import { type Config, parseConfig } from '../src/platform/config.js';

/** Tests run at a fixed moment: a Monday in 2026, a year the official calendar covers. */
export const TEST_NOW = '2026-11-23T02:00:00.000Z';

/** The password of every test and demo account. */
export const TEST_PASSWORD = 'Huitong@2026';

/** Configuration for tests: quiet, fast lockout, no web bundle needed. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HUITONG_DATA_DIR: '.tmp/test-data',
    HUITONG_DEMO_PASSWORD: TEST_PASSWORD,
    HUITONG_WEB_DIR: '.tmp/no-web',
    HUITONG_LOGIN_RATE_PER_MINUTE: '100000',
    ...overrides,
  });
}
