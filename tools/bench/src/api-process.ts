import { startApiProcess, type ApiProcess } from '@qadaga/demo';

/**
 * The API as a separate process, as deployed: the load generator then does not share
 * its event loop, and its CPU time and profile are its own. It listens on a free port.
 */
export function startApi(env: Record<string, string>, options: { cpuProfileDir?: string } = {}): Promise<ApiProcess> {
  const nodeArgs = options.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`];
  return startApiProcess({ ...env, API_HOST: '127.0.0.1', API_PORT: '0' }, { nodeArgs });
}
