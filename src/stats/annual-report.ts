import type { Paragraph, TextRun } from 'docx';
import { loadDocx, type DocxLibrary } from '../platform/documents/office-libraries';
import type { IsoDate } from '../platform/calendar/domain';
import type { StatsReport } from './domain/stats-report';
import { annualReportText, type Block, type Piece } from './report/annual-report-text';

export { annualReportText, annualReportTitle, type AnnualReportText } from './report/annual-report-text';

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** 阳山县信访局2026年法治政府建设年度报告（信访工作部分·草稿）.docx */
export function annualReportFileName(orgName: string, year: number): string {
  return `${orgName}${year}年法治政府建设年度报告（信访工作部分·草稿）.docx`;
}

const BODY_FONT = '仿宋_GB2312';
const TITLE_FONT = '方正小标宋简体';
const HEADING_FONT = '黑体';
const LEAD_FONT = '楷体_GB2312';
const BODY_SIZE = 32; // 三号 (half-points)
const LINE = 560; // 28 磅 fixed line spacing, as the bureau's documents

/**
 * The annual report draft as a Word document, in the layout of the bureau's official documents
 * (A4, 仿宋 三号 body, 黑体 headings, 楷体 sub-headings); every placeholder highlighted in yellow
 * so the bureau finds what is left to write.
 */
export async function buildAnnualReportDocx(report: StatsReport, opts: { orgName: string; year: number; date: IsoDate }): Promise<Buffer> {
  const text = annualReportText(report, opts);
  const docx = await loadDocx();
  const { AlignmentType, Document, Footer, Packer, PageNumber, Paragraph, TextRun } = docx;
  const doc = new Document({
    creator: 'xinfang-bot',
    title: text.title,
    description: `由信访机器人根据${report.period.label}统计数据生成的草稿，待填写 ${text.placeholders.length} 处`,
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 2098, bottom: 1984, left: 1587, right: 1474 },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: '宋体', size: 28 })],
              }),
            ],
          }),
        },
        children: text.blocks.map((b) => paragraph(docx, b)),
      },
    ],
  });
  return Packer.toBuffer(doc);
}

function runs({ TextRun }: DocxLibrary, pieces: Piece[], font: string, size: number, bold = false): TextRun[] {
  return pieces.map((p) =>
    typeof p === 'string' ? new TextRun({ text: p, font, size, bold }) : new TextRun({ text: p.placeholder, font, size, bold: true, highlight: 'yellow' }),
  );
}

function paragraph(docx: DocxLibrary, b: Block): Paragraph {
  const { AlignmentType, Paragraph } = docx;
  switch (b.kind) {
    case 'title':
      return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 480, line: 700 }, children: runs(docx, b.pieces, TITLE_FONT, 44) });
    case 'heading':
      return new Paragraph({ indent: { firstLineChars: 200 }, spacing: { line: LINE }, children: runs(docx, b.pieces, HEADING_FONT, BODY_SIZE) });
    case 'signature':
      return new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 560, line: LINE }, indent: { right: 640 }, children: runs(docx, b.pieces, BODY_FONT, BODY_SIZE) });
    case 'date':
      return new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { line: LINE }, indent: { right: 640 }, children: runs(docx, b.pieces, BODY_FONT, BODY_SIZE) });
    default:
      return new Paragraph({
        indent: { firstLineChars: 200 },
        spacing: { line: LINE },
        alignment: AlignmentType.JUSTIFIED,
        children: [...(b.lead ? runs(docx, [b.lead], LEAD_FONT, BODY_SIZE, true) : []), ...runs(docx, b.pieces, BODY_FONT, BODY_SIZE)],
      });
  }
}
