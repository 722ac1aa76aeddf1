// Empties dist/ before a build: tsc never deletes the output of a source that
// was removed, and whatever is left in dist/ would ship in the tarball.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

rmSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist'), { recursive: true, force: true });
