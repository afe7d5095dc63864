/** Structured logs: one JSON object a line on stdout, quiet in tests. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(enabled = process.env.LOG_LEVEL !== 'silent'): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    if (enabled) process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
  };
  return { info: (m, f) => write('info', m, f), error: (m, f) => write('error', m, f) };
}

export const silentLogger: Logger = { info: () => undefined, error: () => undefined };
