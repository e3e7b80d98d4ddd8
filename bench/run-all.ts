/**
 * `npm run bench`: every benchmark in bench/, one after the other, each in its own process so one
 * cannot warm or load the next. Each prints its own figures and its ratio against the baseline it
 * measures in the same run; this prints how each ended and how long it took.
 *
 *   npm run bench                 every benchmark, in the quick form where one has it
 *   npm run bench -- --full       the long forms (lark-webhook 10 s runs, outbox-drain 10,000 messages; its quick form is 1,100)
 *   npm run bench -- feeds roster-plan   only those
 *
 * All but roster-plan and feeds need MariaDB/MySQL on 127.0.0.1:3306 (root, empty password); see bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

interface Bench {
  name: string;
  quick: string[];
  full: string[];
}

const BENCHES: Bench[] = [
  { name: 'roster-plan', quick: [], full: [] },
  { name: 'feeds', quick: [], full: [] },
  { name: 'form-turn', quick: [], full: [] },
  { name: 'reminder-scan', quick: [], full: [] },
  { name: 'holiday-import', quick: [], full: [] },
  { name: 'stats', quick: [], full: ['--old'] },
  { name: 'outbox-drain', quick: ['--quick'], full: ['--full'] },
  { name: 'lark-webhook', quick: ['--quick'], full: [] },
];

function main(): void {
  const args = process.argv.slice(2);
  const full = args.includes('--full');
  const wanted = args.filter((a) => !a.startsWith('--'));
  const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
  if (unknown.length) {
    console.error(`没有这些基准：${unknown.join('、')}。可选：${BENCHES.map((b) => b.name).join('、')}`);
    process.exit(2);
  }
  const run = BENCHES.filter((b) => !wanted.length || wanted.includes(b.name));
  const tsx = require.resolve('tsx/cli');
  const results: Array<{ name: string; code: number | null; seconds: number }> = [];
  for (const b of run) {
    const flags = full ? b.full : b.quick;
    console.log(`\n=== bench/${b.name}.ts ${flags.join(' ')}`.trimEnd());
    const start = Date.now();
    const r = spawnSync(process.execPath, [tsx, path.join(__dirname, `${b.name}.ts`), ...flags], { stdio: 'inherit', env: process.env });
    results.push({ name: b.name, code: r.status, seconds: (Date.now() - start) / 1000 });
  }
  console.log('\n=== summary');
  for (const r of results) console.log(`${r.name.padEnd(14)} ${r.code === 0 ? 'ok    ' : `FAILED (exit ${r.code})`} ${r.seconds.toFixed(0)} s`);
  process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
}

main();
