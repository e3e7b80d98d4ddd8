/**
 * Calendar dates as 'YYYY-MM-DD' strings. Legal periods are counted in whole days of the
 * Asia/Shanghai calendar, so a date carries no time and no zone; arithmetic runs in UTC
 * where every day has 24 hours.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export class InvalidDateError extends Error {
  constructor(public readonly input: string) {
    super(`日期“${input}”无效，请按 YYYY-MM-DD 填写一个真实存在的日期`);
    this.name = 'InvalidDateError';
  }
}

/** Returns the date unchanged when it is a real calendar date written as YYYY-MM-DD. */
export function parseIsoDate(input: string): IsoDate {
  const m = ISO_DATE.exec(String(input).trim());
  if (!m) throw new InvalidDateError(input);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) {
    throw new InvalidDateError(input);
  }
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export function isIsoDate(input: string): boolean {
  try {
    parseIsoDate(input);
    return true;
  } catch {
    return false;
  }
}

function toUtc(date: IsoDate): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function fromUtc(t: Date): IsoDate {
  return t.toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const t = toUtc(date);
  t.setUTCDate(t.getUTCDate() + days);
  return fromUtc(t);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return toUtc(date).getUTCDay();
}

export function isWeekend(date: IsoDate): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 86_400_000);
}

/** The zone every wall-clock time of the bureau is read in. */
export const SHANGHAI_TIME_ZONE = 'Asia/Shanghai';
/** China has kept UTC+8 without daylight saving since 1991: one offset serves every date. */
export const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
/** The same offset as ISO 8601 writes it. */
export const SHANGHAI_OFFSET = '+08:00';

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(instant: Date): IsoDate {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** 'HH:MM' wall-clock time in Asia/Shanghai of an instant. */
export function shanghaiTime(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}

/** The instant at which a Shanghai wall-clock date and time ('HH:MM') occurs. */
export function shanghaiInstant(date: IsoDate, time = '00:00'): Date {
  return new Date(Date.parse(`${date}T${time}:00${SHANGHAI_OFFSET}`));
}

const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** '2026年10月9日（周五）' — how a date reads on a card. */
export function formatChineseDate(date: IsoDate, withWeekday = true): string {
  const [y, m, d] = date.split('-').map(Number);
  const base = `${y}年${m}月${d}日`;
  return withWeekday ? `${base}（${WEEKDAY_NAMES[weekday(date)]}）` : base;
}

/** 'YYYY-MM-DD HH:MM' in Asia/Shanghai: how an instant reads in CLI output and cards. */
export function formatShanghaiDateTime(instant: Date): string {
  return `${shanghaiDate(instant)} ${shanghaiTime(instant)}`;
}

/** '2026年10月9日（周五） 09:30' (or without the weekday): how an instant reads in a sentence. */
export function formatChineseDateTime(instant: Date, withWeekday = true): string {
  return `${formatChineseDate(shanghaiDate(instant), withWeekday)} ${shanghaiTime(instant)}`;
}
