import fs from 'node:fs';
import path from 'node:path';

/** The node flags `npm start` gives the server (package.json's start script: `node <flags> dist/src/main.js`). */
export function startFlags(): string[] {
  const start: string = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).scripts.start;
  const m = /^node (.*?)\s*dist\/src\/main\.js$/.exec(start.trim());
  if (!m) throw new Error(`package.json's start script is not "node [flags] dist/src/main.js": ${start}`);
  return m[1].split(/\s+/).filter(Boolean);
}
