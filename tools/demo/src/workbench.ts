import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './api-process.js';

/**
 * The built workbench for the demo, built once (apps/web/dist is not committed). The API
 * serves it on its own origin (WEB_DIST_DIR), as a deployment does.
 */
export function builtWorkbench(): string {
  const dist = path.join(ROOT, 'apps/web/dist');
  if (!existsSync(path.join(dist, 'index.html'))) {
    process.stderr.write('building the workbench (first run only) ...\n');
    const build = spawnSync('npm', ['run', 'web:build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('the workbench did not build: run `npm run web:build` to see why');
  }
  return dist;
}
