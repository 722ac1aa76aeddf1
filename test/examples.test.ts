/**
 * Every example, run offline as `npm run example:<name>` does (tsx, through the
 * built package), on this machine's Node and on Node 22 and 24 (binaries from
 * the npm registry, shared with test/sdk3.test.ts), so a break on any of them
 * fails the suite.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { nodeBinary, OTHER_NODE_MAJORS } from './helpers/npm';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..');

/** The environment of an offline run: no HoneyHive key, no model key, no OpenTelemetry or LangSmith settings. */
function offlineEnv(): NodeJS.ProcessEnv {
  // Node 22 and later keep compiled modules here between runs (about 15% less CPU per example).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_COMPILE_CACHE: path.join(root, 'node_modules', '.cache', 'honeyhive-node', 'compile'),
  };
  for (const name of Object.keys(env)) {
    if (/^(HH_|OPENAI_|OTEL_|LANGCHAIN_|LANGSMITH_)/.test(name)) delete env[name];
  }
  return env;
}

interface ExampleRun {
  stdout: string;
  stderr: string;
  error?: Error;
}

/** Runs an example with the given Node as `npm run example:<name>` does; never rejects. */
async function runExample(node: string, name: string): Promise<ExampleRun> {
  try {
    const { stdout, stderr } = await run(node, ['--import', 'tsx', `examples/${name}/index.ts`], {
      cwd: root,
      env: offlineEnv(),
      timeout: 60_000,
    });
    return { stdout, stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { stdout, stderr, error: error as Error };
  }
}

/** Starts every run at once but keeps at most `limit` processes alive. */
function runAll<Key>(
  keys: readonly Key[],
  limit: number,
  runOne: (key: Key) => Promise<ExampleRun>,
): Map<Key, Promise<ExampleRun>> {
  const queue = [...keys];
  const results = new Map<Key, Promise<ExampleRun>>();
  const resolvers = new Map<Key, (result: ExampleRun) => void>();
  for (const key of keys) results.set(key, new Promise((resolve) => resolvers.set(key, resolve)));
  const worker = async (): Promise<void> => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) resolvers.get(key)!(await runOne(key));
  };
  for (let i = 0; i < limit; i++) void worker();
  return results;
}

interface PrintedSession {
  name: string;
  eventCount: number;
  /** Tree lines without durations, tokens and errors: `├─ model  chat gpt-4o-mini`. */
  tree: string[];
  /** Lines of the printed tree that carry token counts. */
  tokenLines: number;
  warnings: string[];
}

/** The session trees an example printed (formatSessionTree's format). */
function printedSessions(stdout: string): PrintedSession[] {
  return stdout
    .split('\n\n')
    .filter((block) => block.startsWith('session  '))
    .map((block) => {
      const [header = '', ...lines] = block.trimEnd().split('\n');
      // The session ends with its root, so its duration follows its events.
      const match =
        /^session {2}(.+?) {2}[0-9a-f-]{36} {2}project \S+, source dev, (\d+) events?(?:, [\d.]+ ms)?$/.exec(header);
      assert.ok(match, `unexpected session header: ${header}`);
      const treeLines = lines.filter((line) => !line.startsWith('! '));
      return {
        name: match[1]!,
        eventCount: Number(match[2]),
        tree: treeLines.map((line) => line.replace(/ {2}\d+\.\d ms.*$/, '')),
        tokenLines: treeLines.filter((line) => / {2}tokens \d+\/\d+/.test(line)).length,
        warnings: lines.filter((line) => line.startsWith('! ')),
      };
    });
}

/**
 * Each tree line starts with the expected one, or matches the expected pattern:
 * the event type and name are asserted, while a model name the mapping may
 * append (`chat gpt-4o-mini`) is not.
 */
type ExpectedLine = string | RegExp;

function assertTree(actual: readonly string[], expected: readonly ExpectedLine[]): void {
  const matches = (line: string, want: ExpectedLine | undefined) =>
    want !== undefined && (typeof want === 'string' ? line.startsWith(want) : want.test(line));
  assert.deepEqual(
    actual.map((line, index) => (matches(line, expected[index]) ? expected[index] : line)),
    expected,
  );
}

/** A tool event: named after its span, or (once the conventions map it) after the tool it ran. */
function toolLine(prefix: string, spanName: string, toolName: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escape(prefix)}tool {2}(${escape(spanName)}|${escape(toolName)})$`);
}

function assertOneSession(stdout: string, name: string, tree: readonly ExpectedLine[]): PrintedSession {
  const sessions = printedSessions(stdout);
  assert.deepEqual(
    sessions.map((session) => session.name),
    [name],
  );
  const [session] = sessions as [PrintedSession];
  assertTree(session.tree, tree);
  assert.equal(session.eventCount, tree.length);
  assert.deepEqual(session.warnings, []);
  return session;
}

const EXAMPLES = [
  'quickstart',
  'nodesdk-auto',
  'openai-openinference',
  'openai-openllmetry',
  'vercel-ai-agent',
  'langchain',
  'serverless',
  'manual-sessions',
] as const;

type ExampleName = (typeof EXAMPLES)[number];

const MACHINE_MAJOR = Number(process.versions.node.split('.')[0]);

/** This machine's Node first, then the other tested majors. */
const RUNTIMES = [
  { label: `this machine's Node ${process.versions.node}`, major: MACHINE_MAJOR },
  ...OTHER_NODE_MAJORS.filter((major) => major !== MACHINE_MAJOR).map((major) => ({ label: `Node ${major}`, major })),
];

describe('examples', function () {
  this.timeout(300_000);
  const runs = new Map<string, Promise<ExampleRun>>();
  const binaries = new Map<number, string>();

  before(async () => {
    for (const { major } of RUNTIMES)
      binaries.set(major, major === MACHINE_MAJOR ? process.execPath : await nodeBinary(major));
    const keys = RUNTIMES.flatMap(({ major }) => EXAMPLES.map((name) => ({ major, name })));
    // Three at a time: each is a Node process of its own, CI has two cores, and each run also waits on loopback.
    const started = runAll(keys, 3, ({ major, name }) => runExample(binaries.get(major)!, name));
    for (const [{ major, name }, result] of started) runs.set(`${major} ${name}`, result);
  });

  it("are on the Node versions the README's compatibility table names", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const row = /^\| Node\.js \|.*\| (.+) \|$/m.exec(readme)?.[1] ?? '';
    const [machineMinor] = /^\d+\.\d+/.exec(process.versions.node)!;
    assert.match(row, new RegExp(`^${machineMinor.replace('.', '\\.')} \\(the suite\\), `));
    assert.match(row, new RegExp(`${OTHER_NODE_MAJORS.join(' and ')} \\(the SDK 3 tests and the examples\\)`));
  });

  for (const { label, major } of RUNTIMES) describe(`on ${label}`, () => examplesOn(major));

  function examplesOn(major: number): void {
    it(`runs Node ${major}`, async () => {
      const { stdout } = await run(binaries.get(major)!, ['--version']);
      assert.match(stdout, new RegExp(`^v${major}\\.`));
    });

    async function output(name: ExampleName): Promise<string> {
      const result = await runs.get(`${major} ${name}`)!;
      assert.equal(result.error, undefined, `example ${name} failed: ${result.error?.message}\n${result.stderr}`);
      assert.doesNotMatch(result.stdout, /Sent to HoneyHive/);
      return result.stdout;
    }

    it('quickstart runs offline against the embedded local server and prints both session trees', async () => {
      const stdout = await output('quickstart');
      assert.match(
        stdout,
        /session {2}Quickstart: a good run {2}[0-9a-f-]{36} {2}project quickstart, source dev, 3 events/,
      );
      assert.match(
        stdout,
        /chain {2}answer_question .*\n├─ tool {2}retrieve_documents .*\n└─ model {2}chat gpt-4o-mini/,
      );
      assert.match(stdout, /ERROR: model timed out after 20 ms/);
      assert.match(stdout, /^Good run, the answer: /m);
      assert.match(stdout, /^Failing run \(its model call fails on purpose\), the app's fallback answer: Sorry/m);
      assert.match(stdout, /Sent to the local server at http:\/\/127\.0\.0\.1:\d+ \(no HH_API_KEY set\)/);
    });

    describe('each example runs offline against the local server and the fake model server', () => {
      it('nodesdk-auto: the app call is traced across HTTP, the exporter requests to HoneyHive never are', async () => {
        const stdout = await output('nodesdk-auto');
        assertOneSession(stdout, 'plan-trip', ['chain  plan-trip', '└─ chain  GET', '   └─ tool  GET']);
        assert.match(stdout, /^events of the app's calls to the weather API \(http:\/\/127\.0\.0\.1:\d+\): GET$/m);
        assert.match(stdout, /^events of the exporter's requests to HoneyHive \(http:\/\/127\.0\.0\.1:\d+\): 0$/m);
      });

      for (const [name, sessionName, modelSpan] of [
        ['openai-openinference', 'OpenAI chat (OpenInference)', 'OpenAI Chat Completions'],
        ['openai-openllmetry', 'OpenAI chat (OpenLLMetry)', 'chat gpt-4o-mini'],
      ] as const) {
        it(`${name}: a chat and a tool-calling round trip, one session`, async () => {
          const stdout = await output(name);
          assert.match(stdout, /^agent: Based on the tool result .*Paris/m);
          assertOneSession(stdout, sessionName, [
            `model  ${modelSpan}`,
            'chain  weather-agent',
            `├─ model  ${modelSpan}`,
            toolLine('├─ ', 'execute_tool get_weather', 'get_weather'),
            `└─ model  ${modelSpan}`,
          ]);
        });
      }

      it('vercel-ai-agent: the agent and its follow-up (two traces) share the session named in telemetry metadata', async () => {
        const stdout = await output('vercel-ai-agent');
        assert.match(stdout, /^agent \(2 steps\): Based on the tool result/m);
        assertOneSession(stdout, 'ai.generateText', [
          'chain  ai.generateText',
          '├─ model  ai.generateText.doGenerate',
          toolLine('├─ ', 'ai.toolCall', 'get_weather'),
          '└─ model  ai.generateText.doGenerate',
          'chain  ai.generateText',
          '└─ model  ai.generateText.doGenerate',
        ]);
      });

      it('langchain: a chain and a tool-calling runnable, one session', async () => {
        const stdout = await output('langchain');
        assert.match(stdout, /^agent: Based on the tool result/m);
        assertOneSession(stdout, 'LangChain chat', [
          'chain  RunnableSequence',
          '├─ chain  ChatPromptTemplate',
          '├─ model  ChatOpenAI',
          '└─ chain  StrOutputParser',
          'chain  weather-agent',
          '├─ model  ChatOpenAI',
          '├─ tool  get_weather',
          '└─ model  ChatOpenAI',
        ]);
      });

      it('serverless: every invocation is at HoneyHive before it returns; invocations group by conversation', async () => {
        const stdout = await output('serverless');
        const receivedSoFar = [...stdout.matchAll(/^invocation \d .*\[events received so far: (\d+)\]$/gm)].map(
          (match) => Number(match[1]),
        );
        assert.deepEqual(receivedSoFar, [2, 4, 6]);
        const sessions = printedSessions(stdout);
        const invocation = ['chain  chat-function invoke', '└─ model  '];
        assert.deepEqual(
          sessions.map((session) => [session.name, session.eventCount, session.warnings.length]),
          [
            ['Conversation conversation-a', 4, 0],
            ['Conversation conversation-b', 2, 0],
          ],
        );
        assertTree(sessions[0]!.tree, [...invocation, ...invocation]);
        assertTree(sessions[1]!.tree, invocation);
      });

      it('manual-sessions: three requests in one session, honeyhive_* attributes as event fields', async () => {
        const stdout = await output('manual-sessions');
        const request = (withOrder: boolean) => [
          'chain  handle_message',
          ...(withOrder ? ['├─ tool  look_up_order'] : []),
          '└─ model  chat_completion',
        ];
        const session = assertOneSession(stdout, 'Support chat #1042', [
          ...request(true),
          ...request(true),
          ...request(false),
        ]);
        assert.equal(session.tokenLines, 3, 'token counts from honeyhive_metadata.*');
        const fullEvent = /The first model event, as HoneyHive received it:\n(\{[\s\S]*?\n\})\n/.exec(stdout);
        assert.ok(fullEvent, 'the model event is printed in full');
        const { inputs, config } = JSON.parse(fullEvent[1]!) as {
          inputs: { chat_history: Array<{ role: string; content: string }> };
          config: unknown;
        };
        assert.deepEqual(inputs.chat_history[1], { role: 'user', content: 'Hi, where is my order A1042?' });
        assert.deepEqual(config, { model: 'gpt-4o-mini', temperature: 0.2 });
        assert.match(stdout, /rating added to the session/);
        assert.match(stdout, /The session's feedback: \{"rating":5,"resolved":true\}/);
      });
    });
  }
});
