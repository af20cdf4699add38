// Checks our pricer against a differential file computed by genai-prices' reference implementation
// (scripts/data.mjs --differential writes it): every model x usage shapes x dates x contexts.
import { compare, readReference } from '../test/reference-cases.js';

const file = readReference(process.argv[2]!);
const differences = compare(file);
for (const d of differences.slice(0, 30)) console.error(`differs: ${d}`);
console.log(`differential: ${file.cases.length} cases of ${file.version}, ${differences.length} differ`);
if (differences.length) process.exit(1);
