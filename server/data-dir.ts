/**
 * The embedded database's directory: one process at a time (an exclusive lock naming its holder),
 * private to its owner (0700, files 0600), and never initialised over data that is there but
 * damaged: PGlite starts a new, empty database wherever PG_VERSION is missing.
 */
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** A refusal to open the data directory, worded for whoever starts the backend (no stack trace needed). */
export class DataDirError extends Error {}

export const LOCK_FILE = 'backend.lock';

const SERVER_RUNNING_HELP =
  'The embedded database serves one process at a time. To add a merchant, stop the server, run ' +
  '`npm run --silent backend:token -- NAME`, then start the server again (or run the backend on ' +
  'PostgreSQL with DATABASE_URL, where both can run at once).';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the directory's lock: a file created exclusively, holding this process's id. A lock whose
 * holder has died is taken over; a live holder is named in the refusal.
 */
export function lockDataDir(dir: string): { release(): void } {
  const lockPath = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf(lockPath);
      if (holder !== undefined && isAlive(holder)) {
        const who = holder === process.pid ? 'this process' : `process ${holder}`;
        throw new DataDirError(
          `the data directory ${dir} is in use by ${who} (its lock ${lockPath}). ${SERVER_RUNNING_HELP} ` +
            `If no backend is running, delete ${lockPath}.`,
        );
      }
      rmSync(lockPath, { force: true });
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    const release = () => {
      if (holderOf(lockPath) === process.pid) rmSync(lockPath, { force: true });
      process.off('exit', release);
    };
    process.on('exit', release);
    return { release };
  }
  throw new DataDirError(`could not take the lock ${lockPath}: another process keeps taking it`);
}

/**
 * Creates the directory (0700) if it does not exist, and refuses one that holds files but no
 * database: opening it would initialise a new one over what is there.
 */
export function prepareDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const entries = readdirSync(dir).filter((name) => name !== LOCK_FILE);
  if (entries.length > 0 && !existsSync(join(dir, 'PG_VERSION'))) {
    throw new DataDirError(
      `the data directory ${dir} holds files but no database (PG_VERSION is missing): the data is damaged or ` +
        'incomplete, or this is not a backend data directory. Nothing was changed. Restore the directory from a ' +
        'backup, or move it away to start with an empty database.',
    );
  }
}

/** Files 0600 and directories 0700 (PGlite creates its files readable by everyone). */
export function restrictPermissions(dir: string): void {
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      const stat = statSync(path);
      if (stat.isDirectory()) {
        chmodSync(path, 0o700);
        pending.push(path);
      } else if ((stat.mode & 0o777) !== 0o600) {
        chmodSync(path, 0o600);
      }
    }
  }
}

/** What to tell when the database in the directory does not open: the cause's first line, not PGlite's dump. */
export function damagedDataDir(dir: string, cause: unknown): DataDirError {
  const first = String((cause as Error)?.message ?? cause).split('\n')[0]!.slice(0, 300);
  return new DataDirError(
    `the embedded database in ${dir} could not be opened (${first}). Its files are damaged or incomplete. ` +
      'Nothing was changed. Restore the directory from a backup, or move it away to start with an empty database.',
  );
}
