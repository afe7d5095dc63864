/** The GraphQL Admin API operations the backend sends, each with the fields it reads. */

/** What is fulfilled already, and what is left, per fulfillment order (read before every create). */
export const ORDER_FULFILLMENT_STATE = /* GraphQL */ `
  query OrderFulfillmentState($id: ID!) {
    order(id: $id) {
      id
      cancelledAt
      fulfillmentOrders(first: 5) {
        nodes {
          id
          status
          lineItems(first: 25) {
            nodes {
              id
              remainingQuantity
              lineItem {
                id
              }
            }
          }
        }
      }
      fulfillments(first: 20) {
        id
        status
        trackingInfo(first: 10) {
          number
        }
      }
    }
  }
`;

export interface OrderFulfillmentState {
  order: {
    id: string;
    cancelledAt: string | null;
    fulfillmentOrders: { nodes: { id: string; status: string; lineItems: { nodes: { id: string; remainingQuantity: number; lineItem: { id: string } }[] } }[] };
    fulfillments: { id: string; status: string; trackingInfo: { number: string | null }[] }[];
  } | null;
}

export const FULFILLMENT_CREATE = /* GraphQL */ `
  mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) {
      fulfillment {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface UserError {
  field: string[] | null;
  message: string;
}

export interface FulfillmentCreateAnswer {
  fulfillmentCreate: { fulfillment: { id: string; status: string } | null; userErrors: UserError[] } | null;
}

export const FULFILLMENT_TRACKING_UPDATE = /* GraphQL */ `
  mutation FulfillmentTrackingInfoUpdate($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) {
    fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: $notifyCustomer) {
      fulfillment {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface FulfillmentTrackingUpdateAnswer {
  fulfillmentTrackingInfoUpdate: { fulfillment: { id: string } | null; userErrors: UserError[] } | null;
}

/** Orders updated since a time, oldest change first: the reconciling pass. */
export const ORDERS_UPDATED_SINCE = /* GraphQL */ `
  query OrdersUpdatedSince($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id
        name
        updatedAt
        cancelledAt
        displayFinancialStatus
        displayFulfillmentStatus
        lineItems(first: 20) {
          nodes {
            id
            sku
            title
            quantity
          }
        }
        fulfillments(first: 20) {
          id
          status
          trackingInfo(first: 10) {
            number
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
