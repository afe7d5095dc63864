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
          fulfillmentLineItems(first: 20) {
            nodes {
              quantity
              lineItem {
                id
              }
            }
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

/** The scopes the merchant granted the app: checked on connect, so a missing one is said at once. */
export const ACCESS_SCOPES = /* GraphQL */ `
  query AccessScopes {
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
  }
`;

export interface AccessScopesAnswer {
  currentAppInstallation: { accessScopes: { handle: string }[] };
}

/** The app's subscriptions to some topics (only those made through the API: the admin's own are not listed). */
export const WEBHOOK_SUBSCRIPTIONS = /* GraphQL */ `
  query WebhookSubscriptions($topics: [WebhookSubscriptionTopic!]) {
    webhookSubscriptions(first: 50, topics: $topics) {
      nodes {
        id
        topic
        uri
      }
    }
  }
`;

export interface WebhookSubscriptionsAnswer {
  webhookSubscriptions: { nodes: { id: string; topic: string; uri: string }[] };
}

export const WEBHOOK_SUBSCRIPTION_CREATE = /* GraphQL */ `
  mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
    webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
      webhookSubscription {
        id
        topic
        uri
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface WebhookSubscriptionCreateAnswer {
  webhookSubscriptionCreate: { webhookSubscription: { id: string; topic: string; uri: string } | null; userErrors: UserError[] } | null;
}

export const WEBHOOK_SUBSCRIPTION_DELETE = /* GraphQL */ `
  mutation WebhookSubscriptionDelete($id: ID!) {
    webhookSubscriptionDelete(id: $id) {
      deletedWebhookSubscriptionId
      userErrors {
        field
        message
      }
    }
  }
`;

export interface WebhookSubscriptionDeleteAnswer {
  webhookSubscriptionDelete: { deletedWebhookSubscriptionId: string | null; userErrors: UserError[] } | null;
}
