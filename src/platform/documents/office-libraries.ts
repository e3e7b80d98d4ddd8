/**
 * The libraries that write and read office files, loaded when a workbook or a document is first
 * made: a server that never exports one does not carry them. exceljs and docx hold about 10 MB of
 * heap once loaded, a sixth of what the idle server holds; the first export pays the load once
 * (tens of milliseconds), every later one finds them loaded.
 */
export type ExcelLibrary = typeof import('exceljs');
export type DocxLibrary = typeof import('docx');

export async function loadExcel(): Promise<ExcelLibrary> {
  return import('exceljs');
}

export async function loadDocx(): Promise<DocxLibrary> {
  return import('docx');
}
