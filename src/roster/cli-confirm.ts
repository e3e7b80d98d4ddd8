import readline from 'node:readline';
import type { CliIO } from '../platform/core/feature';

/** What a question reads from: the terminal, or a stream a test hands in. */
export type QuestionInput = NodeJS.ReadableStream & { isTTY?: boolean };

/**
 * Asks a yes/no question on the terminal (y, yes, 是, 确认 say yes; anything else, no). Null when
 * the input is not a terminal: a script must say --yes instead of being asked.
 */
export async function askYesNo(question: string, io: CliIO, input: QuestionInput = process.stdin): Promise<boolean | null> {
  if (!input.isTTY) return null;
  io.out(question);
  const rl = readline.createInterface({ input, terminal: false });
  try {
    const line = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    return /^\s*(y|yes|是|确认)\s*$/i.test(line);
  } finally {
    rl.close();
  }
}
