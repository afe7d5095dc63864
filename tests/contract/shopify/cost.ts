/**
 * Shopify's calculated query cost, as shopify.dev describes it: a scalar or enum costs 0, an
 * object 1, a connection 2 plus its `first` times the cost of one node, a mutation 10. The
 * requested cost is worked out from the query before it runs; the actual cost from what it returned.
 */
import {
  getNamedType,
  isCompositeType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';

export const MUTATION_COST = 10;

function argument(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, variables) : undefined;
}

function selectionCost(schema: GraphQLSchema, type: GraphQLObjectType, set: SelectionSetNode, variables: Record<string, unknown>): number {
  let cost = 0;
  for (const selection of set.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const field = type.getFields()[selection.name.value];
    if (!field) continue;
    const named = getNamedType(field.type);
    if (!isCompositeType(named) || !isObjectType(named) || !selection.selectionSet) continue;
    const inner = selectionCost(schema, named, selection.selectionSet, variables);
    if (named.name.endsWith('Connection')) {
      const first = Number(argument(selection, 'first', variables) ?? 1);
      // `inner` counts the nodes field as one object plus its fields: one node's worth.
      cost += 2 + first * Math.max(1, inner);
    } else {
      cost += 1 + inner;
    }
  }
  return cost;
}

export function requestedCost(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  const root = operation.operation === 'mutation' ? schema.getMutationType()! : schema.getQueryType()!;
  const fields = selectionCost(schema, root, operation.selectionSet, variables);
  return operation.operation === 'mutation' ? MUTATION_COST + fields : Math.max(1, fields);
}

/** What a query's answer cost: one per object it returned (a mutation's base cost on top). */
export function actualCost(operation: OperationDefinitionNode, data: unknown): number {
  const count = (value: unknown): number => {
    if (Array.isArray(value)) return value.reduce<number>((n, v) => n + count(v), 0);
    if (value && typeof value === 'object') return 1 + Object.values(value).reduce<number>((n, v) => n + count(v), 0);
    return 0;
  };
  // The answer's root object itself costs nothing.
  const fields = data && typeof data === 'object' ? Object.values(data).reduce<number>((n, v) => n + count(v), 0) : 0;
  return operation.operation === 'mutation' ? MUTATION_COST + Math.max(0, fields - 1) : Math.max(1, fields);
}

/** The leaky bucket of one app on one shop. */
export class CostBucket {
  private available: number;
  private at: number;
  constructor(
    readonly maximumAvailable: number,
    readonly restoreRate: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.available = maximumAvailable;
    this.at = clock();
  }
  private refill(): void {
    const now = this.clock();
    this.available = Math.min(this.maximumAvailable, this.available + ((now - this.at) / 1000) * this.restoreRate);
    this.at = now;
  }
  /** Takes the requested cost if the bucket holds it. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }
  /** Gives back what was requested but not used. */
  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.maximumAvailable, this.available + points);
  }
  status() {
    this.refill();
    return { maximumAvailable: this.maximumAvailable, currentlyAvailable: Math.floor(this.available), restoreRate: this.restoreRate };
  }
}
