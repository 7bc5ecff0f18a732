import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { createInterface } from 'node:readline';
import path from 'node:path';
import autocannon from 'autocannon';
import { projectRoot } from '../src/project-root.js';
import { median } from './stats.js';

export interface HttpBenchOptions {
  repeats: number;
  /** Seconds per measured run at 50 connections. */
  seconds: number;
  /** Seconds of the 200-connection run on the document page. */
  soakSeconds: number;
}

interface Targets {
  app: string;
  bare: string;
  documentPath: string;
  barePath: string;
  clauses: number;
}

interface Run {
  requestsPerSecond: number;
  p99Ms: number;
  p50Ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

/**
 * HTTP throughput of the document page (largest document) and the dashboard against a bare express+ejs
 * page of 50 clause rows from the same database, in the same run: 50 connections, interleaved repeats,
 * medians; then 200 connections on the document page, which must give no errors.
 *
 * The servers run in a child process (bench/http-servers.ts) so autocannon, which runs in this
 * process, does not compete with them for one event loop. Both servers share that child, but only one
 * is under load at a time.
 */
export async function benchHttp(options: HttpBenchOptions) {
  // On a machine with spare cores, keep the load generator off the server's core (Linux taskset):
  // otherwise autocannon and the server take turns on one CPU and the tail latency measures that.
  const serverArgs = ['--import', 'tsx', path.join(projectRoot, 'bench/http-servers.ts')];
  const pin = pinGeneratorAndChooseServerCpus();
  const child = spawn(pin ? 'taskset' : process.execPath, pin ? ['-c', pin.server, process.execPath, ...serverArgs] : serverArgs, {
    cwd: projectRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  try {
    const targets = await readyLine(child);
    const pages = {
      document: targets.app + targets.documentPath,
      dashboard: `${targets.app}/`,
      bare: targets.bare + targets.barePath,
    };
    for (const [name, url] of Object.entries(pages)) {
      const status = (await fetch(url)).status;
      if (status !== 200) throw new Error(`${name} page ${url} answered ${status}`);
      console.error(`  warming up ${name}`);
      await load(url, 50, 2);
    }
    const runs: Record<keyof typeof pages, Run[]> = { document: [], dashboard: [], bare: [] };
    for (let r = 0; r < options.repeats; r++) {
      for (const name of Object.keys(pages) as (keyof typeof pages)[]) {
        const run = await load(pages[name], 50, options.seconds);
        runs[name].push(run);
        console.error(`  repeat ${r + 1}/${options.repeats} ${name}: ${Math.round(run.requestsPerSecond)} req/s, p99 ${run.p99Ms} ms, errors ${run.errors + run.timeouts + run.non2xx}`);
      }
    }
    const summary = (name: keyof typeof pages) => ({
      requestsPerSecond: Math.round(median(runs[name].map((x) => x.requestsPerSecond))),
      p50Ms: median(runs[name].map((x) => x.p50Ms)),
      p99Ms: median(runs[name].map((x) => x.p99Ms)),
      errors: runs[name].reduce((n, x) => n + x.errors + x.timeouts + x.non2xx, 0),
      runs: runs[name].map((x) => ({ requestsPerSecond: Math.round(x.requestsPerSecond), p99Ms: x.p99Ms })),
    });
    const document = summary('document');
    const dashboard = summary('dashboard');
    const bare = summary('bare');
    console.error(`  200 connections for ${options.soakSeconds} s on the document page`);
    const soak = await load(pages.document, 200, options.soakSeconds);
    const ratio = (x: number) => Math.round((x / bare.requestsPerSecond) * 100) / 100;
    return {
      servers: `child process (node --import tsx bench/http-servers.ts); autocannon in this process${pin ? `; autocannon pinned to CPU ${pin.generator}, servers to CPUs ${pin.server}` : ''}`,
      documentPath: targets.documentPath,
      documentClauses: targets.clauses,
      connections: 50,
      secondsPerRun: options.seconds,
      repeats: options.repeats,
      document,
      dashboard,
      bare: { ...bare, note: 'express+ejs, same layout partials, 50 clause rows of the same document, one query, no middleware' },
      ratios: { documentToBare: ratio(document.requestsPerSecond), dashboardToBare: ratio(dashboard.requestsPerSecond) },
      soak: {
        connections: 200,
        seconds: options.soakSeconds,
        requests: Math.round(soak.requestsPerSecond * options.soakSeconds),
        requestsPerSecond: Math.round(soak.requestsPerSecond),
        p99Ms: soak.p99Ms,
        errors: soak.errors,
        timeouts: soak.timeouts,
        non2xx: soak.non2xx,
      },
      goals: {
        documentRatioAtLeastHalf: ratio(document.requestsPerSecond) >= 0.5,
        documentP99AtMost100Ms: document.p99Ms <= 100,
        soakWithoutErrors: soak.errors + soak.timeouts + soak.non2xx === 0,
      },
    };
  } finally {
    child.stdin?.end();
    child.kill('SIGTERM');
  }
}

async function load(url: string, connections: number, seconds: number): Promise<Run> {
  const result = await autocannon({ url, connections, duration: seconds, timeout: 10 });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

function readyLine(child: ChildProcess): Promise<Targets> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line) as Targets);
      } catch {
        reject(new Error(`bench/http-servers.ts printed ${line}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`bench/http-servers.ts exited with ${code} before it was ready`)));
  });
}

/** Pins this process (the load generator) to CPU 0 and returns the server's CPU set; null when taskset or a second CPU is missing. */
export function pinGeneratorAndChooseServerCpus(): { server: string; generator: string } | null {
  const cpus = os.cpus().length;
  if (cpus < 2 || process.platform !== 'linux' || process.env.BENCH_NO_PIN) return null;
  try {
    execFileSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return { server: `1-${cpus - 1}`, generator: '0' };
}
