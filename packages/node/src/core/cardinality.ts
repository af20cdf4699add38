import type { AttributeValue } from '@opentelemetry/api';
import { OVERFLOW_VALUE } from './names.js';

/**
 * Caps the distinct values of each metric label: past the limit, new values become `__overflow__`. The cap
 * is per label across all our instruments, so a customer is either itself or `__overflow__` on every metric.
 */
export class CardinalityLimiter {
  private readonly seen = new Map<string, Set<AttributeValue>>();
  constructor(private readonly limit: number) {}

  limitAttributes(attrs: Record<string, AttributeValue>): Record<string, AttributeValue> {
    const out: Record<string, AttributeValue> = {};
    for (const key in attrs) {
      const value = attrs[key]!;
      let values = this.seen.get(key);
      if (!values) {
        values = new Set();
        this.seen.set(key, values);
      }
      if (values.has(value)) out[key] = value;
      else if (values.size < this.limit) {
        values.add(value);
        out[key] = value;
      } else out[key] = OVERFLOW_VALUE;
    }
    return out;
  }
}
