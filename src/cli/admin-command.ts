import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { Config } from '../config.js';
import { openServices } from '../services.js';
import { AccountError, createUser } from '../web/auth/accounts.js';
import { passwordProblem } from '../web/auth/passwords.js';

/**
 * `create-admin <username>`: makes a reviewer account. The password never goes on the command line
 * (it would sit in shell history and `ps`): it comes from `ADMIN_PASSWORD`, or standard input — typed
 * twice without echo on a terminal, or the first line of a pipe (`printf '%s\n' "$PW" | … create-admin ana`).
 */
export async function createAdminCommand(config: Config, username: string | undefined, io: { stdin?: NodeJS.ReadableStream & { isTTY?: boolean }; env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  if (!username) {
    console.error('create-admin needs a username, e.g. create-admin ana');
    return 2;
  }
  const env = io.env ?? process.env;
  const stdin = io.stdin ?? process.stdin;
  try {
    const password = env.ADMIN_PASSWORD !== undefined ? env.ADMIN_PASSWORD : stdin.isTTY ? await promptTwice(stdin) : await firstLine(stdin);
    const problem = passwordProblem(password);
    if (problem) throw new AccountError(problem);
    const services = await openServices(config);
    try {
      await createUser(services.db, username, password);
    } finally {
      await services.close();
    }
    console.log(`reviewer ${username.trim().toLowerCase()} created; sign in at /login`);
    return 0;
  } catch (error) {
    if (error instanceof AccountError) {
      console.error(`create-admin: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

async function firstLine(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '');
}

async function promptTwice(stdin: NodeJS.ReadableStream): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: stdin, output, terminal: true });
  try {
    const ask = async (prompt: string) => {
      process.stderr.write(prompt);
      muted = true;
      const answer = await rl.question('');
      muted = false;
      process.stderr.write('\n');
      return answer;
    };
    const first = await ask('Password (at least 12 characters): ');
    const second = await ask('Same password again: ');
    if (first !== second) throw new AccountError('the two passwords differ');
    return first;
  } finally {
    rl.close();
  }
}
