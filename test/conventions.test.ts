import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrate.js';
import { sources } from '../scrapers/registry.js';

const root = path.resolve(import.meta.dirname, '..');

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => pattern.test(f))
    .map((f) => path.join(dir, f));
}

describe('conventions', () => {
  it('templates escape scraped text: <%- is only used for include()', () => {
    const offenders = filesUnder(path.join(root, 'views'), /\.ejs$/).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/<%-(?!\s*include\()/g)].map((m) => `${path.relative(root, file)} at offset ${m.index}`),
    );
    expect(offenders).toEqual([]);
  });

  it('migrations are registered in file-name order and every migration file is registered', () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
    const files = readdirSync(path.join(root, 'src/db/migrations'))
      .filter((f) => /^\d{4}-.*\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(names).toEqual(files);
  });

  it('every scrapers/ folder is a registered source with fixtures and a test', () => {
    const folders = readdirSync(path.join(root, 'scrapers')).filter((f) => statSync(path.join(root, 'scrapers', f)).isDirectory());
    expect(folders.sort()).toEqual(sources.map((s) => s.id).sort());
    for (const folder of folders) {
      const dir = path.join(root, 'scrapers', folder);
      expect(filesUnder(dir, /\.test\.ts$/).length, `${folder} has tests`).toBeGreaterThan(0);
      expect(statSync(path.join(dir, 'fixtures')).isDirectory(), `${folder} has fixtures/`).toBe(true);
    }
  });

  it('every source has a valid schedule with a reason', async () => {
    const cron = (await import('node-cron')).default;
    for (const source of sources) {
      expect(cron.validate(source.schedule), `${source.id} schedule ${source.schedule}`).toBe(true);
      expect(source.scheduleReason.length, `${source.id} explains its schedule`).toBeGreaterThan(10);
    }
  });
});
