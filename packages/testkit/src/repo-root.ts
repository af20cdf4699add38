import { join } from 'node:path';

/** The repository's root directory (this file is packages/testkit/src/repo-root.ts). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
