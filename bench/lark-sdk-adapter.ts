/**
 * The baseline of bench/lark-webhook.ts that the Lark SDK itself offers: its express adapter
 * (`lark.adaptExpress`) over its `lark.EventDispatcher`, mounted as the SDK's README shows
 * (a JSON body parser, then the adapter), with the same encrypt key and verification token, and a
 * handler that does nothing durable (it only counts the events it was handed). The dispatcher
 * checks the signature (without the timestamp) and decrypts; nothing is recorded, so an event it
 * acknowledges is lost if the process dies: what our webhook must at least match while recording.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import express from 'express';

export const SDK_ADAPTER_PATH = '/sdk/events';

export function sdkAdapterApp(o: { encryptKey: string; verificationToken: string }): { app: express.Express; handled: () => number } {
  let handled = 0;
  const dispatcher = new lark.EventDispatcher({
    encryptKey: o.encryptKey,
    verificationToken: o.verificationToken,
    loggerLevel: lark.LoggerLevel.error,
  }).register({
    'im.message.receive_v1': async () => {
      handled++;
    },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));
  app.post(SDK_ADAPTER_PATH, lark.adaptExpress(dispatcher, { autoChallenge: true }));
  return { app, handled: () => handled };
}
