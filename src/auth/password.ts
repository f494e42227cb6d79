// Password hashing with argon2id at OWASP's recommended parameters (Password Storage Cheat Sheet:
// "argon2id with a minimum configuration of 19 MiB of memory, an iteration count of 2, and 1
// degree of parallelism"). The PHC string keeps the parameters, so raising them later still
// verifies old hashes, and needsRehash() tells when to upgrade one at the next log-in.
// Node 20 has no argon2 in node:crypto (scrypt at OWASP's N=2^17 takes over a second on this
// kind of machine), hence @node-rs/argon2 (docs/decisions/0014).
import { hash, verify } from '@node-rs/argon2';

const PARAMS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** NIST SP 800-63B 5.1.1.2: at least 8 characters; allow long passphrases, but bound the work. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `Passwords need at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Passwords can have at most ${PASSWORD_MAX} characters.`;
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false; // a malformed stored hash never matches
  }
}

export function needsRehash(stored: string): boolean {
  return !stored.startsWith(`$argon2id$v=19$m=${PARAMS.memoryCost},t=${PARAMS.timeCost},p=${PARAMS.parallelism}$`);
}

// Log-in for an unknown name still verifies against this hash, so that the response time does not
// tell which names exist (OWASP Authentication Cheat Sheet, "Authentication Responses").
let dummy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('not-a-real-password-only-for-timing');
  await verifyPassword(await dummy, password);
}
