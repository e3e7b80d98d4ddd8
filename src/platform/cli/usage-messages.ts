/**
 * commander's own usage errors ("error: required option '--id <id>' not specified"), said in
 * Chinese: the one place every `xinfang` subcommand's parsing mistakes pass through (cli.ts hands
 * it to commander's outputError). A message it does not know is kept, after a Chinese lead-in.
 */
const RULES: Array<[RegExp, (...m: string[]) => string]> = [
  [/required option '([^']+)' not specified/, (o) => `缺少必填选项 ${o}`],
  [/option '([^']+)' argument missing/, (o) => `选项 ${o} 后面缺少取值`],
  [/unknown option '([^']+)'(?:\s*\(Did you mean ([^)?]+)\?\))?/, (o, hint) => `不认识的选项 ${o}${hint ? `，是不是想用 ${hint}？` : ''}`],
  [/unknown command '([^']+)'(?:\s*\(Did you mean ([^)?]+)\?\))?/, (c, hint) => `不认识的命令 ${c}${hint ? `，是不是想用 ${hint}？` : ''}`],
  [/missing required argument '([^']+)'/, (a) => `缺少参数 ${a}`],
  [/too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)/, (c, want, got) => `${c ? `命令 ${c} ` : ''}参数过多：应为 ${want} 个，实际 ${got} 个`],
  [/option '([^']+)' argument '([^']*)' is invalid/, (o, v) => `选项 ${o} 的取值“${v}”无效`],
];

export function chineseUsageMessage(english: string): string {
  const line = english.replace(/^error:\s*/i, '').trim();
  for (const [re, say] of RULES) {
    const m = re.exec(line);
    if (m) return `${say(...m.slice(1))}。用 --help 查看用法。\n`;
  }
  return `用法有误：${line}。用 --help 查看用法。\n`;
}
