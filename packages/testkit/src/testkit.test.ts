import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, readSpans, waitFor } from './index.ts';

describe('freePort', () => {
  it('returns a loopback port that can be listened on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const srv = createServer();
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise((r) => srv.close(r));
  });
});

describe('waitFor', () => {
  it('resolves with the first value that is not undefined', async () => {
    let calls = 0;
    await expect(waitFor('the third call', async () => (++calls >= 3 ? calls : undefined), 5_000)).resolves.toBe(3);
  });

  it('names the wait and the last error when it times out', async () => {
    await expect(
      waitFor(
        'a server that never answers',
        async () => {
          throw new Error('connection refused');
        },
        300,
      ),
    ).rejects.toThrow('timed out after 300 ms waiting for a server that never answers: connection refused');
  });
});

describe('readSpans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-testkit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the file exporter's OTLP/JSON lines, attributes as plain values", () => {
    const file = join(dir, 'traces.jsonl');
    const batch = (name: string, attributes: unknown[]) =>
      JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ scope: { name: 'test-scope' }, spans: [{ name, attributes }] }] }],
      });
    writeFileSync(
      file,
      `${batch('chat gpt-4o', [
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: '12' } },
        { key: 'gen_ai.usage.cost', value: { doubleValue: 0.5 } },
        { key: 'llmcost.sdk.metrics', value: { boolValue: true } },
      ])}\n\n${batch('embeddings', [])}\n`,
    );
    expect(readSpans(file)).toEqual([
      {
        name: 'chat gpt-4o',
        scope: 'test-scope',
        attrs: {
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.usage.cost': 0.5,
          'llmcost.sdk.metrics': true,
        },
      },
      { name: 'embeddings', scope: 'test-scope', attrs: {} },
    ]);
  });
});
