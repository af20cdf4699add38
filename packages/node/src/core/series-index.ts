import type { AttributeValue } from '@opentelemetry/api';
import type { LlmSeries } from './metrics.js';

/** What a call's series is found by: its own labels and its attribution (the raw values, before any cap). */
export interface SeriesKey {
  provider?: string;
  operation?: string;
  requestModel?: string;
}

type Node = Map<unknown, Node>;
/** Where a leaf keeps its series (a key no label value can be). */
const SERIES = Symbol('series');
type Leaf = Node & { [SERIES]?: LlmSeries };

/** Distinct label tuples remembered before the index starts over (the series themselves are never dropped). */
const LIMIT = 4096;

/**
 * Finds the series of a call from its raw label values with one Map lookup per label: on a hit nothing is built
 * (no label object, no cap lookups, no string key). Sound because the cardinality caps are monotonic (a value the
 * limiter kept stays kept, one it turned into `__overflow__` stays so) and series are never removed from their
 * table. Array values (rare) are not indexed: those calls take the slow path every time.
 */
export class SeriesIndex {
  private root: Node = new Map();
  private size = 0;

  constructor(private readonly labelKeys: readonly string[]) {}

  find(key: SeriesKey, attribution: Record<string, AttributeValue>): LlmSeries | undefined {
    return this.leaf(key, attribution, false)?.[SERIES];
  }

  remember(key: SeriesKey, attribution: Record<string, AttributeValue>, series: LlmSeries): void {
    if (this.size >= LIMIT) {
      this.root = new Map();
      this.size = 0;
    }
    const leaf = this.leaf(key, attribution, true);
    if (!leaf || leaf[SERIES]) return;
    leaf[SERIES] = series;
    this.size++;
  }

  private leaf(key: SeriesKey, attribution: Record<string, AttributeValue>, create: boolean): Leaf | undefined {
    let node: Node | undefined = step(this.root, key.provider, create);
    if (node) node = step(node, key.operation, create);
    if (node) node = step(node, key.requestModel, create);
    for (let i = 0; node && i < this.labelKeys.length; i++) {
      const v = attribution[this.labelKeys[i]!];
      if (typeof v === 'object') return undefined;
      node = step(node, v === '' ? undefined : v, create);
    }
    return node;
  }
}

function step(node: Node, value: unknown, create: boolean): Node | undefined {
  let next = node.get(value);
  if (!next && create) {
    next = new Map();
    node.set(value, next);
  }
  return next;
}
