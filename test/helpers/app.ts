import type { Knex } from 'knex';
import request from 'supertest';
import { App, buildApp } from '../../src/app';
import { loadConfig } from '../../src/platform/settings/config';
import { openCore } from '../../src/platform/core/open-core';
import type { Outgoing } from '../../src/platform/chat/messages';
import { createLogger } from '../../src/platform/logging/logger';
import type { Role } from '../../src/platform/directory/user-store';

export interface TestAppOptions {
  db: Knex;
  url?: string;
  env?: Record<string, string>;
  now?: () => Date;
}

/** The whole app on a test database, console on, Lark off, no jobs started. */
export async function makeTestApp(opts: TestAppOptions): Promise<App> {
  const config = loadConfig({
    DATABASE_URL: opts.url ?? 'sqlite::memory:',
    CONSOLE_ENABLED: 'true',
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'false',
    ...(opts.env ?? {}),
  });
  const core = await openCore(config, { db: opts.db, logger: createLogger('silent'), now: opts.now, migrate: true });
  return buildApp(core);
}

export async function addUser(app: App, id: string, role: Role, extra: { name?: string; unit?: string; town?: string; title?: string } = {}) {
  await app.core.users.upsert({
    id, name: extra.name ?? id, role, unit: extra.unit ?? null, town: extra.town ?? null, title: extra.title ?? null,
  });
}

/** Sends a chat message through the console API, as a person typing would. */
export async function say(app: App, user: string, text: string, extra: Record<string, unknown> = {}): Promise<Outgoing[]> {
  const res = await request(app.http).post('/console/api/messages').send({ user, text, ...extra });
  if (res.status !== 200) throw new Error(`console answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.replies;
}

/** Clicks a button (value) or submits a form (formValue) through the console API. */
export async function click(app: App, user: string, value: Record<string, unknown>, formValue?: Record<string, unknown>): Promise<Outgoing[]> {
  const res = await request(app.http).post('/console/api/actions').send({ user, value, formValue });
  if (res.status !== 200) throw new Error(`console answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.replies;
}

/** All the text a person would read in the replies: texts and every string inside cards. */
export function readable(replies: Outgoing[]): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const r of replies) {
    if (r.type === 'text') out.push(r.text);
    else if (r.type === 'card') walk(r.card);
    else if (r.type === 'file') out.push(r.name);
  }
  return out.join('\n');
}

/** Finds the first button in the cards whose label contains `label`, and returns its value. */
export function buttonValue(replies: Outgoing[], label: string): Record<string, unknown> | null {
  let found: Record<string, unknown> | null = null;
  const walk = (v: any) => {
    if (found || !v || typeof v !== 'object') return;
    if (v.tag === 'button' && String(v.text?.content ?? '').includes(label)) {
      found = v.behaviors?.find((b: any) => b.type === 'callback')?.value ?? null;
      return;
    }
    Object.values(v).forEach(walk);
  };
  for (const r of replies) if (r.type === 'card') walk(r.card);
  return found;
}
