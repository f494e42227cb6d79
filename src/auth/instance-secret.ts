// The secret that signs form tokens, unsubscribe and confirmation links when SECRET is unset: made
// once and kept in the database, so that every instance and every CLI command on that database
// signs with the same key whatever its DATA_DIR (decision 0046). An older instance kept it in
// DATA_DIR/secret: the first start on this code moves that value in, so links already sent stay
// valid. The first writer wins: instances starting together settle on one value.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import { getSetting, settleSetting } from '../store/settings.js';

const KEY = 'secret';

/** SECRET, or the database's secret (created, or moved in from DATA_DIR/secret, if there is none); kept in config.secret. */
export async function ensureSecret(db: Kysely<Database>, config: Config, log?: Logger): Promise<string> {
  if (config.secret) return config.secret;
  const file = path.join(config.dataDir, 'secret');
  const fromFile = readSecretFile(file);
  let secret = await getSetting(db, KEY);
  if (secret === null) {
    secret = await settleSetting(db, KEY, fromFile ?? randomBytes(32).toString('base64url'));
    if (fromFile !== null && secret === fromFile) log?.info({ file }, 'moved the secret from the data folder into the database');
  }
  if (fromFile !== null && fromFile !== secret) {
    log?.warn({ file }, 'the data folder holds a secret other than the database one; the database one signs (delete the file)');
  }
  config.secret = secret;
  return secret;
}

function readSecretFile(file: string): string | null {
  try {
    const s = readFileSync(file, 'utf8').trim();
    return s === '' ? null : s;
  } catch {
    return null;
  }
}
