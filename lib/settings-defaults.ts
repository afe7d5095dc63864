/**
 * The host permission pattern that covers a backend URL. Chrome match patterns ignore the port,
 * so one grant covers a backend that later moves to another port on the same host.
 */
export function backendHostPattern(backendUrl: string): string {
  const url = new URL(backendUrl);
  return `${url.protocol}//${url.hostname}/*`;
}
