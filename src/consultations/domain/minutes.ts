import { parseDayWord } from '../../platform/calendar/domain/day-words';
import type { IsoDate } from '../../platform/calendar/domain/dates';

/** A follow-up task as written in the minutes, its owner not yet looked up. */
export interface TaskDraft {
  owner: string;
  dueDate: IsoDate;
  content: string;
}

export interface MinutesDraft {
  opinion: string;
  tasks: TaskDraft[];
}

const TASK_LINE = /^\s*(?:跟进任务|落实任务|任务)\s*\d*\s*[:：]\s*/;
const OPINION_LABEL = /^\s*(?:会商意见|意见|纪要)\s*[:：]\s*/;

/**
 * Reads 会商纪要's text: the 会商意见, and one task per line
 * `任务：<责任单位或责任人> <完成日期> <内容>` (the parts split by spaces or commas; 前/之前 after the
 * date are read past). Errors name the task, in Chinese; nothing is half-read.
 */
export function parseMinutes(text: string, today: IsoDate): MinutesDraft | { error: string } {
  const opinion: string[] = [];
  const tasks: TaskDraft[] = [];
  // “… 任务：…” on one line: each task starts a line of its own.
  const lines = text.replace(/[ \t\u3000；;]*(?=(?:跟进任务|落实任务|(?<![跟进落实])任务)\d*[:：])/g, '\n').split(/\r?\n/);
  for (const line of lines) {
    if (!TASK_LINE.test(line)) {
      if (line.trim()) opinion.push(line.replace(OPINION_LABEL, '').trim());
      continue;
    }
    const task = parseTask(line.replace(TASK_LINE, ''), today);
    if ('error' in task) return { error: `第 ${tasks.length + 1} 条任务有误：${task.error}` };
    tasks.push(task);
  }
  const said = opinion.join('\n').trim();
  if (!said) return { error: '请写明会商意见，例如：会商纪要 HS2026-001 意见：由县自然资源局牵头重新测量……' };
  return { opinion: said, tasks };
}

function parseTask(s: string, today: IsoDate): TaskDraft | { error: string } {
  const parts = s.split(/[\s,，]+/).filter(Boolean);
  if (parts.length < 3) return { error: '应写成“任务：责任单位或责任人 完成日期 任务内容”，例如“任务：县自然资源局 12月20日 完成测量”。' };
  const [owner, dueWord, ...rest] = parts;
  const dueDate = parseDayWord(dueWord.replace(/(之前|以前|前|止)$/, ''), today);
  if (!dueDate) return { error: `看不懂完成日期“${dueWord.slice(0, 20)}”，请写成“12月20日”“下周五”等。` };
  if (dueDate < today) return { error: `完成日期 ${dueWord} 已经过去，请写今天或以后的日期。` };
  return { owner, dueDate, content: rest.join(' ') };
}
