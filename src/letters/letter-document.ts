import fs from 'node:fs';
import { loadDocx } from '../platform/documents/office-libraries';
import { UserError } from '../platform/errors/user-error';
import { configPath, type Config } from '../platform/settings/config';
import type { LetterKind } from './letter-numbering';

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The template of a kind of letter: config/letters/<kind>.txt. */
export function readTemplate(config: Config, kind: LetterKind): string {
  const file = configPath(config, `letters/${kind}.txt`);
  if (!fs.existsSync(file)) throw new UserError(`找不到${kind}模板（${file}），请管理员补上`);
  return fs.readFileSync(file, 'utf8');
}

/** Fills {{字段}}; an unknown field is the template's mistake, said plainly. */
export function render(template: string, values: Record<string, string>): string {
  const unknown = new Set<string>();
  const out = template.replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (_m, key: string) => {
    if (key in values) return values[key];
    unknown.add(key);
    return '';
  });
  if (unknown.size) throw new UserError(`信函模板中有无法识别的字段：${[...unknown].map((k) => `{{${k}}}`).join('、')}，请管理员修正模板`);
  return out.replace(/\r\n/g, '\n').replace(/\n+$/, '\n');
}

const BODY_FONT = '仿宋_GB2312';
const TITLE_FONT = '方正小标宋简体';

/** The letter as a Word document: title, number, body paragraphs, issuer and date flush right. */
export async function buildDocx(text: string): Promise<Buffer> {
  const { AlignmentType, Document, Packer, Paragraph, TextRun } = await loadDocx();
  const lines = text.replace(/\n+$/, '').split('\n');
  const nonEmpty = lines.map((l, i) => (l.trim() ? i : -1)).filter((i) => i >= 0);
  const tail = new Set(nonEmpty.slice(-2));
  const children = lines.map((line, i) => {
    const t = line.trim();
    if (i === 0) {
      return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: t, font: TITLE_FONT, size: 44, bold: true })] });
    }
    if (i === 1) return new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: t, font: BODY_FONT, size: 32 })] });
    if (tail.has(i) && i > 1) return new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: t, font: BODY_FONT, size: 32 })] });
    return new Paragraph({
      ...(/^\s/.test(line) ? { indent: { firstLineChars: 200 } } : {}),
      spacing: { line: 560 },
      children: [new TextRun({ text: t, font: BODY_FONT, size: 32 })],
    });
  });
  const doc = new Document({ creator: 'xinfang-bot', title: lines[0]?.trim() ?? '信函', sections: [{ children }] });
  return Packer.toBuffer(doc);
}
