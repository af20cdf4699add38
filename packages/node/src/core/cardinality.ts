import type { AttributeValue } from '@opentelemetry/api';
import { OVERFLOW_VALUE } from './names.js';

/**
 * Caps the distinct values of each metric label: past the limit, new values become `__overflow__`. The cap
 * is per label across all our instruments, so a customer is either itself or `__overflow__` on every metric.
 */
export class CardinalityLimiter {
  private readonly seen = new Map<string, Set<AttributeValue>>();
  constructor(private readonly max: number) {}

  limitAttributes(attrs: Record<string, AttributeValue>): Record<string, AttributeValue> {
    const out: Record<string, AttributeValue> = {};
    for (const key in attrs) out[key] = this.limit(key, attrs[key]!);
    return out;
  }

  /** The value a label keeps: itself, or `__overflow__` once the label has its limit of other values. */
  limit<V extends AttributeValue>(key: string, value: V): V | typeof OVERFLOW_VALUE {
    let values = this.seen.get(key);
    if (!values) {
      values = new Set();
      this.seen.set(key, values);
    }
    if (values.has(value)) return value;
    if (values.size < this.max) {
      values.add(value);
      return value;
    }
    return OVERFLOW_VALUE;
  }
}
