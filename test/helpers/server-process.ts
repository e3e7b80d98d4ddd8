import http from 'node:http';
import net from 'node:net';
import { larkRequest } from './fake-lark-server';

/** A TCP port nobody listens on at this moment, for a server process a test starts. */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** POSTs one signed, encrypted Lark event to a server's webhook; resolves with the status, or 0 when no server answered. */
export function postLarkEvent(port: number, payload: Record<string, unknown>, encryptKey: string): Promise<number> {
  const { body, headers } = larkRequest(payload, { encryptKey });
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/lark/events', method: 'POST', headers, agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end(body);
  });
}
