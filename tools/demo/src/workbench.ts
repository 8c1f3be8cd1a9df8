import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './api-process.js';

/**
 * The browser workbench for the demo: built once (apps/web/dist is not committed), then
 * served by its own small server in front of the API, as a deployment would.
 */
export async function startWorkbench(apiUrl: string, port: number): Promise<{ url: string; process: ChildProcess }> {
  if (!existsSync(path.join(ROOT, 'apps/web/dist/index.html'))) {
    process.stderr.write('building the workbench (first run only) ...\n');
    const build = spawnSync('npm', ['run', 'web:build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('the workbench did not build: run `npm run web:build` to see why');
  }
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/web/serve.ts'), '--api', apiUrl, '--port', String(port)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the workbench server exited (${code})`)));
    lines.on('line', (line) => {
      const found = /on (http:\/\/\S+)/u.exec(line);
      if (found?.[1] !== undefined) resolve(found[1]);
    });
  });
  return { url, process: child };
}
