/** Structured logs: one JSON object a line on stdout, quiet in tests. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(enabled = process.env.LOG_LEVEL !== 'silent', out: { write(text: string): unknown } = process.stdout): Logger {
  // Lines logged in one turn of the event loop leave in one write: under load a write per request
  // line cost the server more than making the line. A pipe or file gets them synchronously, so
  // nothing is lost when the process exits after flushing.
  let pending = '';
  const flush = () => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    out.write(text);
  };
  if (enabled) process.on('exit', flush);
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    if (!enabled) return;
    if (pending === '') setImmediate(flush);
    pending += `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`;
  };
  return { info: (m, f) => write('info', m, f), error: (m, f) => write('error', m, f) };
}

export const silentLogger: Logger = { info: () => undefined, error: () => undefined };
