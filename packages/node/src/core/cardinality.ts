import type { AttributeValue } from '@opentelemetry/api';
import { OVERFLOW_VALUE } from './names.js';

/** Caps distinct values per (instrument, label): past the limit new values become `__overflow__`. */
export class CardinalityLimiter {
  private readonly seen = new Map<string, Set<AttributeValue>>();
  constructor(private readonly limit: number) {}

  limitAttributes(instrument: string, attrs: Record<string, AttributeValue>): Record<string, AttributeValue> {
    const out: Record<string, AttributeValue> = {};
    for (const [key, value] of Object.entries(attrs)) {
      const id = `${instrument}\u0000${key}`;
      let values = this.seen.get(id);
      if (!values) {
        values = new Set();
        this.seen.set(id, values);
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
