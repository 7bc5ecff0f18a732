import { HttpClient, type HttpClientOptions } from './http-client.js';
import { MirrorTransport } from './mirror-transport.js';
import type { Transport } from './transport.js';

/** The live client, or the offline mirror when a folder (or manifest file) is named. */
export async function createTransport(options: { mirrorDir?: string | undefined; http?: HttpClientOptions }): Promise<{ transport: Transport; name: 'http' | 'mirror' }> {
  if (options.mirrorDir) return { transport: await MirrorTransport.open(options.mirrorDir), name: 'mirror' };
  return { transport: new HttpClient(options.http), name: 'http' };
}
