import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** A server process started by a test or a benchmark: its output so far, and when it has exited. */
export interface ServerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;

/**
 * `src/main.ts` under tsx's loader in one node process (so a signal reaches main.ts itself), in a
 * fresh working directory, with only PATH, TZ, CONFIG_DIR and `env` set; the last 100–200 KB of its
 * output kept.
 */
export function startServerProcess(env: Record<string, string>, tmpPrefix = 'xinfang-server-'): ServerProcess {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  const child = spawn(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'src/main.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', TZ: 'Asia/Shanghai', CONFIG_DIR: path.join(ROOT, 'config'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += String(d);
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  return { child, output: () => out, exited };
}

/** Waits until the server has printed `text`; throws with its last output when it exits or `ms` pass first. */
export async function waitForServerText(s: ServerProcess, text: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!s.output().includes(text)) {
    if (Date.now() > until || s.child.exitCode !== null) throw new Error(`no “${text}” from the server:\n${s.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
