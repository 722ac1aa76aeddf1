import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import sinon from 'sinon';
import {
  LLM_INSTRUMENTATIONS,
  startLlmInstrumentations,
  type LlmInstrumentationEntry,
  type Loader,
} from '../../src/register/instrumentations';

const entries: LlmInstrumentationEntry[] = [
  { library: 'openai', package: 'oi-openai', className: 'OpenAIInstrumentation', esm: true },
  { library: 'openai', package: 'll-openai', className: 'OpenAIInstrumentation', esm: true },
  { library: 'cohere-ai', package: 'll-cohere', className: 'CohereInstrumentation', esm: true },
];

/** A loader over fake packages: each maps to its exports, or to the error loading it throws. */
function fakeLoader(packages: Record<string, Record<string, unknown> | Error>): Loader & { loaded: string[] } {
  const loaded: string[] = [];
  return {
    loaded,
    isInstalled: (name) => name in packages,
    load: (name) => {
      loaded.push(name);
      const found = packages[name];
      if (found instanceof Error) throw found;
      return found;
    },
  };
}

function instrumentationClass(name: string) {
  return class {
    readonly name = name;
  };
}

describe('register: the LLM instrumentations started', () => {
  let warn: sinon.SinonSpy;

  beforeEach(() => {
    warn = sinon.spy();
    const logger: DiagLogger = { error: sinon.spy(), warn, info: () => {}, debug: () => {}, verbose: () => {} };
    diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  });

  afterEach(() => diag.disable());

  it('the first installed for each library, OpenInference before OpenLLMetry; a missing one skipped silently', () => {
    const loader = fakeLoader({
      'oi-openai': { OpenAIInstrumentation: instrumentationClass('oi') },
      'll-openai': { OpenAIInstrumentation: instrumentationClass('ll') },
      'll-cohere': { CohereInstrumentation: instrumentationClass('cohere') },
    });
    const started = startLlmInstrumentations(loader, entries);
    assert.deepEqual(
      started.map(({ entry, instance }) => [entry.package, (instance as { name: string }).name]),
      [
        ['oi-openai', 'oi'],
        ['ll-cohere', 'cohere'],
      ],
    );
    assert.deepEqual(loader.loaded, ['oi-openai', 'll-cohere'], 'the second openai instrumentation is never loaded');
    assert.equal(startLlmInstrumentations(fakeLoader({}), entries).length, 0);
    sinon.assert.notCalled(warn);
  });

  for (const [broken, exports] of [
    ['fails to load', new Error('Cannot find module "@opentelemetry/instrumentation"')],
    ['lacks its class', { SomethingElse: instrumentationClass('x') }],
    [
      'throws when made',
      {
        OpenAIInstrumentation: class {
          constructor() {
            throw new Error('no tracer');
          }
        },
      },
    ],
  ] as const) {
    it(`one that ${broken} is warned about once and the next for its library is tried`, () => {
      const loader = fakeLoader({
        'oi-openai': exports,
        'll-openai': { OpenAIInstrumentation: instrumentationClass('ll') },
      });
      const started = startLlmInstrumentations(loader, entries);
      assert.deepEqual(
        started.map(({ entry }) => entry.package),
        ['ll-openai'],
      );
      sinon.assert.calledOnce(warn);
      assert.match(
        String(warn.firstCall.args.join(' ')),
        /oi-openai is installed but could not be started, so it is skipped: /,
      );
    });
  }

  it("is the list docs/register.md documents: each library's instrumentations in order, and which instrument ES modules", () => {
    const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'register.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([^`]+)` \| (.+?) \| (.+?) \|$/gm)].map(([, library, packages, esm]) => ({
      library: library!,
      packages: [...packages!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!),
      esm: !esm!.startsWith('no'),
    }));
    const libraries = [...new Set(LLM_INSTRUMENTATIONS.map((entry) => entry.library))];
    assert.deepEqual(
      rows,
      libraries.map((library) => {
        const entries = LLM_INSTRUMENTATIONS.filter((entry) => entry.library === library);
        return { library, packages: entries.map((entry) => entry.package), esm: entries[0]!.esm };
      }),
    );
  });
});
