/**
 * `npm run bench`: every benchmark in bench/, one after the other, each in its own process so one
 * cannot warm or load the next. Each prints its own figures and its ratio against the baseline it
 * measures in the same run; this prints how each ended and how long it took.
 *
 *   npm run bench                 every benchmark, in the quick form where one has it
 *   npm run bench -- --full       the long forms (lark-webhook 10 s runs, outbox-drain 10,000 messages; its quick form is 1,100)
 *   npm run bench -- feeds roster-plan   only those
 *   (reminder-scan, reminder-run, province-stats-feeds and galera-replicas run only with --full or by
 *   name: the first builds 10,000,000 cases, about 50 minutes; the last needs scripts/galera-cluster.sh start)
 *
 * All but roster-plan and feeds need MariaDB/MySQL on 127.0.0.1:3306 (root, empty password); see bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

interface Bench {
  name: string;
  quick: string[];
  full: string[];
  /** Only with --full or when named: the first run builds 10,000,000 cases (about 50 min), or it needs the Galera cluster. */
  long?: boolean;
}

const BENCHES: Bench[] = [
  { name: 'roster-plan', quick: [], full: [] },
  { name: 'feeds', quick: [], full: [] },
  { name: 'form-turn', quick: [], full: [] },
  { name: 'reminder-scan', quick: [], full: [], long: true },
  { name: 'reminder-run', quick: [], full: [], long: true },
  { name: 'province-stats-feeds', quick: [], full: [], long: true },
  { name: 'holiday-import', quick: [], full: [] },
  { name: 'stats', quick: [], full: ['--old'] },
  { name: 'outbox-drain', quick: ['--quick'], full: ['--full'] },
  { name: 'lark-webhook', quick: ['--quick', '--role', 'web'], full: ['--role', 'web'] },
  { name: 'e2e-reply', quick: ['--quick'], full: [] },
  { name: 'soak', quick: ['--quick'], full: [] },
  { name: 'galera-replicas', quick: ['--quick'], full: [], long: true },
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
  const run = BENCHES.filter((b) => (wanted.length ? wanted.includes(b.name) : full || !b.long));
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
