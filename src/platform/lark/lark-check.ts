import type { Config } from '../settings/config';
import type { Core, Finding } from '../core/feature';
import { createLogger } from '../logging/logger';
import { createLarkClient, larkBaseUrl, LarkClientHandle } from './lark-client';
import { diagnoseLark } from './lark-diagnosis';
import { LARK_WEBHOOK_PATH } from './webhook-route';

/**
 * `xinfang lark check`: the Lark app's set-up, checked through the real API with the app's own
 * settings, each finding in Chinese with its fix. In order: the settings for the mode, the tenant
 * token (nothing further is asked when Lark refuses it), the bot, every registered chat (the bot
 * must be in it: lark-diagnosis.ts, shared with `xinfang doctor`), and the users' place in the
 * app's availability range.
 */
export interface LarkCheckResult {
  /** What was checked and is right, one line each. */
  passed: string[];
  findings: Finding[];
}

export interface LarkCheckOptions {
  /** How long one call may take (the chats together get twice this). */
  timeoutMs?: number;
}

const AREA = '飞书';
const CREDENTIALS_FIX =
  '在飞书开放平台打开本应用 →“凭证与基础信息”，把 App ID、App Secret 原样复制到 LARK_APP_ID、LARK_APP_SECRET（不要带空格或引号；' +
  '重置过 App Secret 的要换成新值），应用须是“企业自建应用”；改好后重新运行 xinfang lark check。';
/** Open ids of this app begin so; other user ids (console names, the demo county's) are not Lark's. */
const OPEN_ID = /^ou_[0-9A-Za-z]+$/;
const VISIBILITY_BATCH = 100;

export async function checkLark(core: Core, opts: LarkCheckOptions = {}): Promise<LarkCheckResult> {
  const config = core.config;
  const passed: string[] = [];
  const findings: Finding[] = [];
  if (!config.larkEnabled) {
    findings.push({
      area: AREA,
      severity: 'error',
      problem: '没有设置 LARK_APP_ID 和 LARK_APP_SECRET：机器人只在控制台（/console）里可用，飞书里收不到也发不出任何消息。',
      fix: `${CREDENTIALS_FIX}（创建应用的步骤见 README“飞书应用设置指南”。）`,
    });
    return { passed, findings };
  }
  const timeoutMs = opts.timeoutMs ?? 10_000;
  modeChecks(config, passed, findings);
  // The SDK's own error lines would repeat on stderr what the findings say.
  const client = createLarkClient(config, createLogger('silent'));
  if (!(await tokenCheck(client, config, timeoutMs, passed, findings))) return { passed, findings };
  await botCheck(client, config, timeoutMs, passed, findings);
  const chats = await core.chats.list();
  const chatFindings = await diagnoseLark(core, () => client, { timeoutMs: 2 * timeoutMs });
  findings.push(...chatFindings);
  if (!chats.length) passed.push('群聊：还没有登记群聊（xinfang chats add），没有可检查的群。');
  else if (!chatFindings.length) passed.push(`群聊：已登记的 ${chats.length} 个群都存在，机器人都在群里。`);
  await usersCheck(core, client, timeoutMs, passed, findings);
  return { passed, findings };
}

/** LARK_MODE and the settings it needs: the long connection needs none; a webhook a public URL and its keys. */
export function modeChecks(config: Config, passed: string[], findings: Finding[]): void {
  if (config.LARK_MODE === 'ws') {
    if (!/^cli_[0-9a-fA-F]{16}$/.test(config.LARK_APP_ID ?? '')) {
      findings.push({
        area: AREA,
        severity: 'error',
        problem: `LARK_APP_ID（${config.LARK_APP_ID}）不是 cli_ 加 16 位十六进制字符的形式：长连接（SDK 的 WSClient）拒绝这样的应用 ID，机器人收不到任何事件。`,
        fix: CREDENTIALS_FIX,
      });
    }
    const unused = [config.LARK_ENCRYPT_KEY ? 'LARK_ENCRYPT_KEY' : '', config.LARK_VERIFICATION_TOKEN ? 'LARK_VERIFICATION_TOKEN' : ''].filter(Boolean);
    passed.push(
      '连接方式：长连接（LARK_MODE=ws），不需要公网地址。开放平台“事件与回调”里，“事件配置”和“回调配置”的订阅方式都要选“使用长连接接收”。' +
        (unused.length ? `长连接用不到 ${unused.join('、')}，可以不设。` : ''),
    );
    return;
  }
  const url = `${config.PUBLIC_BASE_URL}${LARK_WEBHOOK_PATH}`;
  const host = hostOf(config.PUBLIC_BASE_URL);
  if (!host || isPrivateHost(host)) {
    findings.push({
      area: AREA,
      severity: 'error',
      problem: `webhook 模式下飞书要把事件和卡片回调推送到 ${url}，但 PUBLIC_BASE_URL（${config.PUBLIC_BASE_URL}）不是公网地址，飞书访问不到：消息没有回复，按钮全部失效。`,
      fix: '把 PUBLIC_BASE_URL 设为飞书能访问到的公网 https 地址（反向代理的地址），或改用长连接（LARK_MODE=ws，无需公网地址）。',
    });
  } else if (!config.PUBLIC_BASE_URL.startsWith('https://')) {
    findings.push({
      area: AREA,
      severity: 'warning',
      problem: `PUBLIC_BASE_URL（${config.PUBLIC_BASE_URL}）不是 https 地址：飞书推送的事件在网上明文传输。`,
      fix: '在反向代理上配置 https 证书，把 PUBLIC_BASE_URL 改为 https:// 开头的地址。',
    });
  }
  if (!config.LARK_ENCRYPT_KEY) {
    findings.push({
      area: AREA,
      severity: 'error',
      problem: 'webhook 模式没有设置 LARK_ENCRYPT_KEY：无法校验请求确实来自飞书（签名），事件也不加密（生产环境因此拒绝启动）。',
      fix: '在开放平台“事件与回调”→“加密策略”里设置 Encrypt Key，把同一个值写入 LARK_ENCRYPT_KEY。',
    });
  }
  if (!config.LARK_VERIFICATION_TOKEN) {
    findings.push({
      area: AREA,
      severity: 'warning',
      problem: 'webhook 模式没有设置 LARK_VERIFICATION_TOKEN：请求里的 Verification Token 不做核对。',
      fix: '在开放平台“事件与回调”→“加密策略”里复制 Verification Token，写入 LARK_VERIFICATION_TOKEN。',
    });
  }
  if (host && !isPrivateHost(host)) {
    passed.push(`连接方式：webhook（LARK_MODE=webhook）。开放平台“事件与回调”里，“事件配置”和“回调配置”的请求地址都填 ${url}。`);
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** Loopback, private and link-local addresses, and names without a dot: Lark cannot reach them. */
function isPrivateHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '::1' || !host.includes('.')) return true;
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}

/** Lark's code and msg from an answer or an HTTP error, or the network error's message. */
function whyOf(e: any): string {
  const body = e?.response?.data ?? e;
  if (typeof body?.code === 'number') return `${body.code} ${String(body.msg ?? '').slice(0, 120)}`.trim();
  return String(e?.message ?? e).slice(0, 120);
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`飞书在 ${ms / 1000} 秒内没有回答`)), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Lark answered at all (an HTTP status, with or without a code): not a network failure. */
function answered(e: any): boolean {
  return typeof e?.response?.status === 'number';
}

/** POST /open-apis/auth/v3/tenant_access_token/internal with the app's id and secret. False: stop here. */
async function tokenCheck(client: LarkClientHandle, config: Config, ms: number, passed: string[], findings: Finding[]): Promise<boolean> {
  const base = larkBaseUrl(config.LARK_DOMAIN);
  try {
    const res: any = await within(
      client.client.httpInstance.post(`${base}/open-apis/auth/v3/tenant_access_token/internal`, { app_id: config.LARK_APP_ID, app_secret: config.LARK_APP_SECRET }),
      ms,
    );
    if (res?.code === 0 && typeof res?.tenant_access_token === 'string' && res.tenant_access_token) {
      passed.push(`应用凭证：飞书（${base}）已为 ${config.LARK_APP_ID} 签发 tenant_access_token。`);
      return true;
    }
    findings.push(refusedToken(config, whyOf(res)));
  } catch (e) {
    if (answered(e)) findings.push(refusedToken(config, whyOf(e)));
    else {
      findings.push({
        area: AREA,
        severity: 'error',
        problem: `连不上飞书开放平台 ${base}（${whyOf(e)}），什么都检查不了。`,
        fix: '检查服务器能否访问该地址（防火墙、代理、DNS）；LARK_DOMAIN 国内飞书为 feishu，国际版 Lark 为 lark。',
      });
    }
  }
  return false;
}

function refusedToken(config: Config, why: string): Finding {
  return {
    area: AREA,
    severity: 'error',
    problem: `飞书拒绝为 ${config.LARK_APP_ID} 签发 tenant_access_token（飞书答复：${why}）：机器人发不出任何消息，其余各项无法检查。`,
    fix: CREDENTIALS_FIX,
  };
}

/** GET /open-apis/bot/v3/info: the bot ability is on and active; its open_id agrees with LARK_BOT_OPEN_ID. */
async function botCheck(client: LarkClientHandle, config: Config, ms: number, passed: string[], findings: Finding[]): Promise<void> {
  const abilityFix = '在开放平台打开本应用 →“添加应用能力”→ 添加“机器人”，再到“版本管理与发布”创建版本并发布（企业管理员审核通过后生效）。';
  let res: any;
  try {
    res = await within(client.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' }), ms);
  } catch (e) {
    findings.push({ area: AREA, severity: 'error', problem: `取不到机器人信息（飞书答复：${whyOf(e)}）：应用可能没有开启机器人能力。`, fix: abilityFix });
    return;
  }
  const bot = res?.bot ?? res?.data?.bot;
  const openId = typeof bot?.open_id === 'string' ? bot.open_id : '';
  if ((typeof res?.code === 'number' && res.code !== 0) || !openId) {
    findings.push({ area: AREA, severity: 'error', problem: `取不到机器人信息（飞书答复：${whyOf(res)}）：应用可能没有开启机器人能力。`, fix: abilityFix });
    return;
  }
  if (typeof bot.activate_status === 'number' && bot.activate_status !== 2) {
    findings.push({
      area: AREA,
      severity: 'error',
      problem: `机器人“${bot.app_name ?? ''}”尚未启用（activate_status=${bot.activate_status}）：用户在飞书里找不到它，它也发不出消息。`,
      fix: '在开放平台“版本管理与发布”发布一个版本，并请企业管理员在飞书管理后台审核通过、启用本应用。',
    });
  }
  if (config.LARK_BOT_OPEN_ID && config.LARK_BOT_OPEN_ID !== openId) {
    findings.push({
      area: AREA,
      severity: 'error',
      problem: `LARK_BOT_OPEN_ID（${config.LARK_BOT_OPEN_ID}）与飞书所说的机器人 open_id（${openId}）不同：群里 @机器人 的消息会被当作没有 @ 而不予回答。`,
      fix: `把 LARK_BOT_OPEN_ID 改为 ${openId}，或者删掉这项设置（启动时会向飞书查询）。`,
    });
  }
  passed.push(`机器人：${bot.app_name ? `“${bot.app_name}”，` : ''}open_id ${openId}。`);
}

/**
 * The users registered with a Lark open_id are in the app's availability range (POST
 * /open-apis/application/v6/applications/:app_id/visibility/check_white_black_list, 100 at a
 * time; needs admin:app.info:readonly or application:application:self_manage, an optional
 * scope: without it this is a warning saying what to check by hand).
 */
async function usersCheck(core: Core, client: LarkClientHandle, ms: number, passed: string[], findings: Finding[]): Promise<void> {
  const users = await core.users.list();
  const lark = users.filter((u) => OPEN_ID.test(u.id));
  const others = users.filter((u) => !OPEN_ID.test(u.id));
  if (others.length) {
    findings.push({
      area: AREA,
      severity: 'warning',
      problem: `${others.length} 个用户的 ID 不是飞书 open_id（ou_ 开头）：${names(others)}。他们在飞书里发消息会被当作陌生人，提醒也发不到他们。`,
      fix:
        '查到每人在本应用下的 open_id（开放平台“API 调试台”→“通过手机号或邮箱获取用户 ID”，用户 ID 类型选 open_id），' +
        '用 xinfang users add --id <open_id> 按原姓名、角色重新登记。',
    });
  }
  if (!lark.length) return;
  const outside: typeof lark = [];
  try {
    for (let i = 0; i < lark.length; i += VISIBILITY_BATCH) {
      const batch = lark.slice(i, i + VISIBILITY_BATCH);
      const res: any = await within(
        client.client.application.v6.applicationVisibility.checkWhiteBlackList({
          path: { app_id: core.config.LARK_APP_ID! },
          params: { user_id_type: 'open_id' },
          data: { user_ids: batch.map((u) => u.id) },
        }),
        ms,
      );
      if (typeof res?.code === 'number' && res.code !== 0) throw res;
      const seen = new Map<string, any>((res?.data?.user_visibility_list ?? []).map((v: any) => [String(v.user_id), v]));
      for (const u of batch) {
        const v = seen.get(u.id);
        if (!v || v.in_white_list !== true || v.in_black_list === true) outside.push(u);
      }
    }
  } catch (e) {
    findings.push({
      area: AREA,
      severity: 'warning',
      problem: `无法查询 ${lark.length} 个飞书用户是否在应用的可用范围内（飞书答复：${whyOf(e)}）。`,
      fix:
        '可选：为应用开通“获取应用信息”（admin:app.info:readonly）权限并发布版本后再运行；或在开放平台“版本管理与发布”→ 可用范围 中' +
        '逐一核对：登记的每位用户（或其部门）都要在可用范围内。',
    });
    return;
  }
  if (outside.length) {
    findings.push({
      area: AREA,
      severity: 'error',
      problem: `${outside.length} 个用户不在应用的可用范围内：${names(outside)}。他们在飞书里找不到机器人，机器人发给他们的消息也会失败。`,
      fix: '在开放平台“版本管理与发布”创建新版本，把这些人（或其部门）加入“可用范围”，发布并经企业管理员审核通过。',
    });
  } else {
    passed.push(`用户：登记的 ${lark.length} 个飞书用户都在应用的可用范围内。`);
  }
}

function names(users: Array<{ id: string; name: string }>): string {
  const shown = users.slice(0, 8).map((u) => `${u.name}（${u.id}）`).join('、');
  return users.length > 8 ? `${shown}等 ${users.length} 人` : shown;
}
