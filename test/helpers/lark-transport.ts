import { createLarkClient } from '../../src/platform/lark/lark-client';
import { LarkTransport } from '../../src/platform/lark/lark-transport';
import { createLogger } from '../../src/platform/logging/logger';
import { loadConfig } from '../../src/platform/settings/config';
import type { FakeLarkServer } from './fake-lark-server';

/** The real Lark transport (the SDK underneath) pointed at the fake Lark server, logging nothing. */
export function larkTransportTo(fake: FakeLarkServer): LarkTransport {
  const config = loadConfig({ LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.url, LOG_LEVEL: 'silent' });
  return new LarkTransport(createLarkClient(config, createLogger('silent')));
}
