import { runCli } from '../../src/cli';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `xinfang …` in-process against DATABASE_URL, capturing what it prints. */
export async function xinfang(args: string[], env: Record<string, string>): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    args,
    { out: (s) => { stdout += s; }, err: (s) => { stderr += s; }, setExitCode: () => undefined },
    { LOG_LEVEL: 'silent', CONFIG_DIR: 'config', ...env },
  );
  return { code, stdout, stderr };
}
