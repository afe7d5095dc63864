/**
 * The part of the page report about outbox entries the backend kept refusing (parked): what was
 * read, and what the backend said, so support can see why it would not store them. Personal data
 * is removed with the page report's own rules: the backend's reason as one of the extension's own
 * warnings (its lowercase words and field paths stay, anything else is replaced).
 */
import type { ParkedEntry } from '../cache/db';
import { stripPersonalData, stripUrl, stripWarning } from './page-report';

export function buildRefusedReport(parked: readonly ParkedEntry[]): string {
  const lines = ['Changes the backend refused (set aside, not sent again):'];
  for (const { entry, reason, status, parkedAt } of parked) {
    const { snapshot } = entry;
    lines.push(
      `- ${snapshot.kind} read at ${snapshot.capturedAt}, set aside at ${parkedAt} after ${entry.refusals ?? entry.attempts} refusals`,
      `  Backend: ${status ? `HTTP ${status}: ` : ''}${stripWarning(reason)}`,
      `  URL: ${stripUrl(snapshot.url)}`,
      `  Orders: ${snapshot.orders.map((o) => o.aliOrderId).join(', ')}`,
      `  Read: ${stripPersonalData(JSON.stringify(snapshot.orders))}`,
    );
  }
  return lines.join('\n');
}
