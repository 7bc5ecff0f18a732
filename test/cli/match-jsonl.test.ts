import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function matchJsonl(input: string): Promise<{ code: number | null; lines: Record<string, unknown>[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'match', '--jsonl'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr, lines: stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) }));
    child.stdin.end(input);
  });
}

describe('npm run -s match -- --jsonl', () => {
  it('answers every input line with one JSON line, in order, and reports bad lines without stopping', async () => {
    const s16 = 'A local authority must promote the involvement of persons for whom care and support or preventative services are to be provided in the design and operation of that provision.';
    const input = [
      JSON.stringify({ id: 's16-2', text: s16, documentKind: 'act', jurisdiction: 'wales' }),
      'not json',
      JSON.stringify({ id: 7, text: 'The Secretary of State may by regulations make provision about the registration of co-operative societies.', documentKind: 'act' }),
      JSON.stringify({ id: 'no-text' }),
      '',
      JSON.stringify({ id: 'cy', text: 'Rhaid i awdurdod lleol hyrwyddo cyfranogiad pobl wrth ddylunio a gweithredu’r ddarpariaeth.', language: 'cy', documentKind: 'act' }),
    ].join('\n');
    const { code, lines, stderr } = await matchJsonl(input);
    expect(code, stderr).toBe(0);
    expect(lines).toHaveLength(5);
    expect(lines.map((l) => l.id)).toEqual(['s16-2', null, 7, 'no-text', 'cy']);
    expect(lines[0]).toMatchObject({ coproduction: true, strength: 'duty', funding: false, matcherVersion: expect.stringMatching(/^rules-/) });
    expect(Object.keys(lines[0]!).sort()).toEqual(['ambiguous', 'amounts', 'coproduction', 'evidence', 'funding', 'id', 'matcherVersion', 'principles', 'reasons', 'score', 'strength'].sort());
    const evidence = lines[0]!.evidence as { start: number; end: number; text: string }[];
    for (const e of evidence) expect(s16.slice(e.start, e.end)).toBe(e.text);
    expect(lines[1]).toMatchObject({ error: expect.stringMatching(/not JSON/) });
    expect(lines[2]).toMatchObject({ coproduction: false, strength: 'none' });
    expect(lines[3]).toMatchObject({ error: expect.stringMatching(/^text:/) });
  }, 30_000);
});
