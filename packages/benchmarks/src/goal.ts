// The figures issue 12 sets goals on, taken from the rows of one interleaved run: our overhead per call against
// the best peer's (all on openai 6), our overhead per streamed chunk, and our RSS over no instrumentation.
import type { ChildResult } from './child.js';
import { median, type Row } from './runner.js';
import type { ScenarioId } from './scenarios.js';

export const OURS: ScenarioId = 'ours-6';
export const PEERS: ScenarioId[] = ['contrib-6', 'traceloop-6', 'openlit-6'];
/** One span per call and nothing else: what every instrumentation that emits spans pays at least. */
export const FLOOR: ScenarioId = 'floor-6';
/** The floor's span with the attributes ours records on top (constants): what the contract's attributes cost. */
export const FLOOR_ATTRS: ScenarioId = 'floor-attrs-6';

export const GOAL = {
  /** Our overhead per call at most this times the best peer's. */
  callRatio: 0.5,
  /** Our overhead per streamed chunk, µs. */
  chunkUs: 0.3,
  /** Our RSS at most this many MB over no instrumentation. */
  rssOverNoneMB: 10,
};

export interface Goal {
  ours?: Row;
  /** The peers that ran, in PEERS order. */
  peers: Row[];
  /** The peer with the lowest overhead per call. */
  best?: Row;
  /** ours / best peer, overhead per call; undefined when either is missing or the best peer's is not above 0. */
  callRatio?: number;
  /** The same ratio computed in each pass on its own (that pass's medians), to show how much it moves. */
  passRatios: number[];
  /** The peer with the lowest positive overhead per chunk, and ours / its (undefined unless ours is above 0). */
  bestChunk?: Row;
  chunkRatio?: number;
  /** The floor row, and ours / best peer counting only what each does above it. */
  floor?: Row;
  aboveFloorRatio?: number;
  /** The floor with ours' attributes: ours above it is its own work (pricing, metrics, attribution, observing). */
  floorAttrs?: Row;
}

const overhead = (r: Row | undefined) => r?.plainOverheadUs;

/** Per-pass ratio: each result list holds one entry per pass, in pass order. */
function passRatios(results: Map<ScenarioId, ChildResult[]>, baseline: ScenarioId): number[] {
  const none = results.get(baseline) ?? [];
  const ours = results.get(OURS) ?? [];
  const peers = PEERS.map((id) => results.get(id) ?? []).filter((l) => l.length > 0);
  const passes = Math.min(none.length, ours.length, ...peers.map((l) => l.length));
  if (peers.length === 0 || passes < 2) return [];
  const out: number[] = [];
  for (let p = 0; p < passes; p++) {
    const base = median(none[p]!.plainUs);
    const best = Math.min(...peers.map((l) => median(l[p]!.plainUs) - base));
    if (best > 0) out.push((median(ours[p]!.plainUs) - base) / best);
  }
  return out;
}

export function goal(rows: Row[], results?: Map<ScenarioId, ChildResult[]>): Goal {
  const byId = new Map(rows.map((r) => [r.info.id, r]));
  const ours = byId.get(OURS);
  const peers = PEERS.flatMap((id) => {
    const r = byId.get(id);
    return r && overhead(r) !== undefined ? [r] : [];
  });
  const best = peers.reduce<Row | undefined>((a, r) => (a && overhead(a)! <= overhead(r)! ? a : r), undefined);
  const oursUs = overhead(ours);
  const bestUs = overhead(best);
  const chunkPeers = peers.filter((r) => (r.chunkOverheadUs ?? 0) > 0);
  const bestChunk = chunkPeers.reduce<Row | undefined>(
    (a, r) => (a && a.chunkOverheadUs! <= r.chunkOverheadUs! ? a : r),
    undefined,
  );
  const floor = byId.get(FLOOR);
  const floorUs = overhead(floor);
  const aboveFloor =
    oursUs !== undefined && bestUs !== undefined && floorUs !== undefined && bestUs - floorUs > 0
      ? (oursUs - floorUs) / (bestUs - floorUs)
      : undefined;
  return {
    ours,
    peers,
    best,
    floor,
    aboveFloorRatio: aboveFloor,
    floorAttrs: byId.get(FLOOR_ATTRS),
    callRatio: oursUs !== undefined && bestUs !== undefined && bestUs > 0 ? oursUs / bestUs : undefined,
    passRatios: results && ours ? passRatios(results, ours.info.baseline) : [],
    bestChunk,
    // A ratio of a figure at or below 0 (noise) would say nothing.
    chunkRatio:
      ours?.chunkOverheadUs !== undefined && ours.chunkOverheadUs > 0 && bestChunk
        ? ours.chunkOverheadUs / bestChunk.chunkOverheadUs!
        : undefined,
  };
}
