// Runs the CLI's main() in this process with captured output: the same code path as
// bin/dailypapers without a node start-up per call (seconds each on a busy 2-core machine).
import { main } from '../../src/cli/main.js';

export async function runMain(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io = {
    env: { LOG_LEVEL: 'silent', ...env },
    stdout: {
      write: (s: string) => {
        stdout += s;
        return true;
      },
      isTTY: false,
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
        return true;
      },
      isTTY: false,
    },
  } as unknown as Parameters<typeof main>[1];
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
