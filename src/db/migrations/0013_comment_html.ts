// comments: rendered HTML stored when a comment is written or edited (issue 24).
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(_db: Kysely<any>, _dialect: Dialect): Promise<void> {}
