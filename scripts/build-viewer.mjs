// Compiles the session viewer's browser modules (tsconfig.viewer.json: DOM
// library, ES2020 modules) into dist/dev-server/viewer/client, where the dev
// server reads them. Only the viewer's own files are emitted: the server types
// they import are type-only, and their output belongs to the main build.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const clientDir = path.join(root, 'src', 'dev-server', 'viewer', 'client') + path.sep;

function fail(diagnostics) {
  const host = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.exit(1);
}

const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.viewer.json'), undefined, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (diagnostic) => fail([diagnostic]),
});
if (config.errors.length > 0) fail(config.errors);
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const diagnostics = [...ts.getPreEmitDiagnostics(program)];
for (const file of program.getSourceFiles()) {
  if (file.fileName.startsWith(clientDir.split(path.sep).join('/')))
    diagnostics.push(...program.emit(file).diagnostics);
}
if (diagnostics.length > 0) fail(diagnostics);
