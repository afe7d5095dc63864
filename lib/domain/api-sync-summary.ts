/**
 * A sync through the AliExpress API in figures, as the popup and the dashboard's sync window say
 * it. Zod-free (the dashboard's bundle carries no schemas): it takes the answer's shape structurally.
 */
export interface ApiReadFigures {
  asked: number;
  read: number;
  results: readonly { outcome: string; changed?: boolean }[];
  problems: readonly unknown[];
}

export interface ApiSyncSummary {
  /** The watched orders it asked about. */
  asked: number;
  /** Those whose answers were folded in. */
  read: number;
  /** Those the merchant will see changed. */
  changed: number;
  /** Those the API did not read (the Chrome sync can). */
  notServed: number;
}

export function summarizeApiRead(read: ApiReadFigures): ApiSyncSummary {
  return {
    asked: read.asked,
    read: read.read,
    changed: read.results.filter((r) => r.outcome === 'applied' && r.changed === true).length,
    notServed: read.problems.length,
  };
}
