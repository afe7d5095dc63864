/**
 * Building validated snapshots from readings. Apart from read-page.ts on purpose: it needs the
 * zod schemas, which the content script leaves to the worker to stay small.
 */
import { snapshotSchema, type Snapshot } from '../domain/snapshot';
import type { PageReading } from './order-list';

/**
 * The snapshot of a reading, validated against the contract. A reading the contract refuses
 * (it should not happen) becomes an `unknown` snapshot that says why, so nothing bad is stored.
 */
export function toSnapshot(reading: PageReading, url: string, capturedAt: string): Snapshot {
  const candidate = { kind: reading.kind, url, capturedAt, orders: reading.orders, warnings: reading.warnings, ...(reading.list && { list: reading.list }) };
  const parsed = snapshotSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const problem = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  const fallback = snapshotSchema.safeParse({ kind: 'unknown', url, capturedAt, orders: [], warnings: [...reading.warnings, `reading refused by the contract: ${problem}`] });
  if (fallback.success) return fallback.data;
  // Even the URL or time was refused: still answer, with the schema's own placeholders.
  return { kind: 'unknown', url: 'about:blank', capturedAt: new Date(0).toISOString(), orders: [], warnings: [`snapshot refused: ${problem}`] };
}
