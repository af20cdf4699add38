// The bundled price data and the shared test vectors, from a genai-prices release on PyPI.
//
// genai-prices publishes its data twice: the npm package @pydantic/genai-prices, which lags months behind, and
// the Python package genai-prices, which is also its reference implementation. This takes the Python release:
// it installs it into a private virtual environment (.cache/genai-prices-py/VERSION), writes its data as the
// JSON document genai-prices' own auto-updater fetches (scripts/reference/build_data.py), and has its calc_price
// compute the test vectors (scripts/reference/build_vectors.py). The Go collector processor embeds
// byte-identical copies of the data files.
//
//   node scripts/data.mjs                  newest release: rewrite data/, the Go copies and test-vectors/
//   node scripts/data.mjs --version 0.2.3  that release
//   node scripts/data.mjs --check          the recorded release: fail when a committed file differs
//   node scripts/data.mjs --differential   every model x usage shapes x dates x contexts, computed by the
//                                          reference into .cache/differential.json, then checked against our pricer
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const repo = join(pkg, '..', '..');
const dataDir = join(pkg, 'data');
const goDataDir = join(repo, 'packages', 'collector-processor', 'internal', 'pricing', 'data');
const vectorsFile = join(pkg, 'test-vectors', 'pricing-vectors.json');
// Usage that is not tokens (audio seconds, characters, web searches); the TypeScript pricer's alone.
const unitVectorsFile = join(pkg, 'test-vectors', 'unit-vectors.json');
const GENERATED = ['genai-prices.json', 'genai-prices.meta.json', 'units.json'];
// provider-aliases.json is ours (OpenTelemetry provider names -> genai-prices ids); Go gets a copy.
const COPIED = [...GENERATED, 'provider-aliases.json'];

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

function run(cmd, argv, opts = {}) {
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...opts });
}

function newestRelease() {
  const out = run('python3', ['-m', 'pip', 'index', 'versions', 'genai-prices'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const m = /genai-prices \(([^)]+)\)/.exec(out);
  if (!m) throw new Error(`could not read the newest genai-prices release from pip: ${out}`);
  return m[1];
}

/**
 * A Python with exactly that genai-prices release: a virtual environment, made once and then reused (where
 * the venv module is missing, a `pip install --target` folder on PYTHONPATH instead).
 */
function referencePython(version) {
  const dir = join(repo, '.cache', 'genai-prices-py', version);
  const ready = join(dir, '.ready');
  const venvPython = join(dir, 'bin', 'python');
  if (!existsSync(ready)) {
    rmSync(dir, { recursive: true, force: true });
    const pip = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `genai-prices==${version}`];
    const quiet = { stdio: ['ignore', 'inherit', 'inherit'] };
    try {
      run('python3', ['-m', 'venv', dir]);
      run(venvPython, pip, quiet);
    } catch {
      rmSync(dir, { recursive: true, force: true });
      run('python3', [...pip, '--target', join(dir, 'site')], quiet);
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(ready, 'ok\n');
  }
  const python = existsSync(venvPython) ? venvPython : 'python3';
  process.env.PYTHONPATH = existsSync(venvPython) ? (process.env.PYTHONPATH ?? '') : join(dir, 'site');
  const installed = run(python, ['-c', 'import genai_prices; print(genai_prices.__version__)']).trim();
  if (installed !== version) throw new Error(`${dir} has genai-prices ${installed}, not ${version}`);
  return python;
}

function recordedVersion() {
  return JSON.parse(readFileSync(join(dataDir, 'genai-prices.meta.json'), 'utf8')).version.replace('genai-prices@', '');
}

function build(version, outDir) {
  const python = referencePython(version);
  process.stdout.write(run(python, [join(here, 'reference', 'build_data.py'), outDir]));
  process.stdout.write(
    run(python, [join(here, 'reference', 'build_vectors.py'), join(outDir, 'pricing-vectors.json')]),
  );
  process.stdout.write(
    run(python, [join(here, 'reference', 'build_vectors.py'), '--units', join(outDir, 'unit-vectors.json')]),
  );
}

function same(a, b) {
  return existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));
}

if (flag('--differential')) {
  const version = recordedVersion();
  const python = referencePython(version);
  const out = join(repo, '.cache', 'differential.json');
  mkdirSync(dirname(out), { recursive: true });
  process.stdout.write(run(python, [join(here, 'reference', 'build_vectors.py'), '--full', out]));
  process.stdout.write(run(process.execPath, ['--import', 'tsx', join(here, 'differential.ts'), out], { cwd: pkg }));
} else if (flag('--check')) {
  const version = recordedVersion();
  const tmp = mkdtempSync(join(tmpdir(), 'genai-prices-'));
  build(version, tmp);
  const stale = [];
  for (const f of GENERATED) if (!same(join(tmp, f), join(dataDir, f))) stale.push(join(dataDir, f));
  if (!same(join(tmp, 'pricing-vectors.json'), vectorsFile)) stale.push(vectorsFile);
  if (!same(join(tmp, 'unit-vectors.json'), unitVectorsFile)) stale.push(unitVectorsFile);
  for (const f of COPIED) if (!same(join(dataDir, f), join(goDataDir, f))) stale.push(join(goDataDir, f));
  rmSync(tmp, { recursive: true, force: true });
  if (stale.length) {
    for (const f of stale) console.error(`stale: ${f} is not what genai-prices ${version} gives`);
    console.error('refresh with: npm run data -w @otel-llm-cost/pricing');
    process.exit(1);
  }
  console.log(`data, Go copies and vectors are genai-prices ${version}'s`);
} else {
  const version = option('--version') ?? newestRelease();
  const tmp = mkdtempSync(join(tmpdir(), 'genai-prices-'));
  build(version, tmp);
  for (const f of GENERATED) copyFileSync(join(tmp, f), join(dataDir, f));
  copyFileSync(join(tmp, 'pricing-vectors.json'), vectorsFile);
  copyFileSync(join(tmp, 'unit-vectors.json'), unitVectorsFile);
  for (const f of COPIED) copyFileSync(join(dataDir, f), join(goDataDir, f));
  rmSync(tmp, { recursive: true, force: true });
  console.log(`wrote data/, ${goDataDir}, ${vectorsFile} and ${unitVectorsFile} from genai-prices ${version}`);
}
