/**
 * The order flags under their old name, for server/ until it imports order-flags.ts and api.ts
 * (the server is being split into modules; the lead switches its imports). Nothing else uses it.
 */
export * from './order-flags';
export { orderFlagSchema } from './api';
