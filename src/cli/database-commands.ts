import type { Config } from '../config.js';
import { openServices } from '../services.js';
import { withdrawDocument } from '../pipeline/withdraw-document.js';

export async function migrateCommand(config: Config): Promise<number> {
  const services = await openServices(config);
  console.log(`database up to date (${services.describe})`);
  await services.close();
  return 0;
}

export async function withdrawCommand(config: Config, documentId: string, reason: string): Promise<number> {
  const services = await openServices(config);
  try {
    await withdrawDocument(services.db, documentId, reason);
    console.log(`withdrawn: ${documentId}`);
    return 0;
  } finally {
    await services.close();
  }
}
