// Writes test-vectors/pricing-vectors.json from this package's answers (see scripts/vectors.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildVectors } from './vectors.js';

export const VECTORS_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-vectors', 'pricing-vectors.json');

const vectors = buildVectors();
mkdirSync(dirname(VECTORS_PATH), { recursive: true });
writeFileSync(VECTORS_PATH, `${JSON.stringify(vectors, null, 1)}\n`);
const priced = vectors.cases.filter((c) => c.expected.priced).length;
console.log(`wrote ${vectors.cases.length} cases (${priced} priced) to ${VECTORS_PATH}`);
