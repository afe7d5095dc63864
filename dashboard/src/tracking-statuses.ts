/** The tracking statuses a merchant can pick, in the order of a parcel's life (the shared schema's values). */
import type { TrackingStatus } from '../../lib/domain/snapshot';

const ORDER: Record<TrackingStatus, number> = { pending: 0, in_transit: 1, pickup: 2, delivered: 3, abnormal: 4 };
export const trackingStatusSchemaValues = (Object.keys(ORDER) as TrackingStatus[]).sort((a, b) => ORDER[a] - ORDER[b]);
