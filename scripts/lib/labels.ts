import type { AliOrderStatus, TrackingStatus } from '../../lib/domain/ali-order';

export const ALI_STATUS_LABELS: Record<AliOrderStatus, string> = {
  awaiting_payment: 'Awaiting payment',
  awaiting_shipment: 'Awaiting shipment',
  partially_shipped: 'Partially shipped',
  shipped: 'Shipped',
  completed: 'Completed',
  closed: 'Closed',
  dispute: 'In dispute',
  unknown: 'Unknown status',
};

export const TRACKING_STATUS_LABELS: Record<TrackingStatus, string> = {
  pending: 'Pending',
  in_transit: 'In transit',
  pickup: 'At pickup point',
  delivered: 'Delivered',
  abnormal: 'Abnormal',
};
