/** Starting the real backend as its own process, as a merchant would run it. */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;

export interface BackendProcess {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Creates a merchant in the database the environment names and returns its token. */
export function createMerchantToken(name: string, env: NodeJS.ProcessEnv): string {
  return execFileSync(TSX, ['server/cli-token.ts', name], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
}

/** Starts `server/main.ts` and resolves once it listens (PORT=0 picks a free port). */
export function startBackend(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<BackendProcess> {
  const child = spawn(TSX, ['server/main.ts'], { cwd: ROOT, env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the backend did not start in time')), timeoutMs);
    child.once('exit', (code) => reject(new Error(`the backend exited with code ${code} before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { message?: string; url?: string };
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (entry.message !== 'listening' || !entry.url) return;
      clearTimeout(timer);
      resolve({
        url: entry.url,
        process: child,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
