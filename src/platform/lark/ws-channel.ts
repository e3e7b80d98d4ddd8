import * as lark from '@larksuiteoapi/node-sdk';
import type { Config } from '../settings/config';
import type { Logger } from '../logging/logger';
import { larkWsConnected } from '../metrics/metrics';
import { larkBaseUrl, larkDomain, sdkLevel, sdkLogger } from './lark-client';

/**
 * The long connection (the default: needs no public URL). The SDK's WSClient pulls a connect URL,
 * keeps the socket, reconnects, and hands each event to the same EventDispatcher the webhook
 * uses. The ping timeout is on, so a half-open connection (no pong) is noticed and reconnected.
 * State changes are logged and exported as xinfang_lark_ws_connected.
 */
export class LarkWsChannel {
  private client: lark.WSClient | null = null;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly dispatcher: lark.EventDispatcher,
  ) {}

  async start(): Promise<void> {
    const { config, logger } = this;
    if (!config.LARK_APP_ID || !config.LARK_APP_SECRET) throw new Error('LARK_APP_ID / LARK_APP_SECRET not set');
    if (!/^cli_[0-9a-fA-F]{16}$/.test(config.LARK_APP_ID)) {
      logger.error({ appId: config.LARK_APP_ID }, 'lark ws: the SDK refuses an app id not shaped like cli_ + 16 hex digits; no long connection');
    }
    const log = logger.child({ component: 'lark-ws' });
    this.client = new lark.WSClient({
      appId: config.LARK_APP_ID,
      appSecret: config.LARK_APP_SECRET,
      domain: larkDomain(config.LARK_DOMAIN),
      logger: sdkLogger(log),
      loggerLevel: sdkLevel(config),
      autoReconnect: true,
      wsConfig: { pingTimeout: config.LARK_WS_PING_TIMEOUT },
      onReady: () => {
        larkWsConnected.set(1);
        log.info({ host: larkBaseUrl(config.LARK_DOMAIN) }, 'lark ws: connected');
      },
      onReconnecting: () => {
        larkWsConnected.set(0);
        log.warn('lark ws: connection lost, reconnecting');
      },
      onReconnected: () => {
        larkWsConnected.set(1);
        log.info('lark ws: reconnected');
      },
      onError: (err: Error) => {
        larkWsConnected.set(0);
        log.error({ err: { message: err.message } }, 'lark ws: gave up connecting; restart the bot after fixing the cause');
      },
    });
    log.info({ host: larkBaseUrl(config.LARK_DOMAIN), pingTimeoutSeconds: config.LARK_WS_PING_TIMEOUT }, 'lark ws: connecting');
    await this.client.start({ eventDispatcher: this.dispatcher });
  }

  /** 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'idle' (and 'stopped' before start). */
  state(): string {
    return this.client ? this.client.getConnectionStatus().state : 'stopped';
  }

  stop(): void {
    if (!this.client) return;
    this.client.close({ force: true });
    this.client = null;
    larkWsConnected.set(0);
    this.logger.info('lark ws: closed');
  }
}
