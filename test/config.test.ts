import assert from 'node:assert/strict';
import path from 'node:path';
import { diag } from '@opentelemetry/api';
import sinon from 'sinon';
import { readFile } from 'node:fs/promises';
import ts from 'typescript';
import { DEFAULT_SERVER_URL, HoneyHiveConfigError, OPTIONS, resolveConfig } from '../src/config';
import { TEST_API_KEY } from './helpers/export';

describe('resolveConfig', () => {
  it('applies documented defaults', () => {
    assert.deepEqual(resolveConfig({ apiKey: 'k' }, {}), {
      apiKey: 'k',
      serverUrl: DEFAULT_SERVER_URL,
      apiVersion: 'legacy',
      proxyUrl: undefined,
      project: undefined,
      source: 'dev',
      sessionId: undefined,
      sessionName: undefined,
      traceSelection: 'application',
      timeoutMillis: 10_000,
      compression: 'none',
      headers: {},
      createSessions: true,
      exportTimeoutMillis: 20_000,
      maxRetries: 5,
      retryDelayMillis: 1000,
      maxBatchEvents: 500,
      maxBatchBytes: 4 * 1024 * 1024,
      maxValueBytes: 1024 * 1024,
      maxConcurrentRequests: 8,
      maxPendingBytes: 64 * 1024 * 1024,
      flushTimeoutMillis: 21_000,
      spoolDir: undefined,
      spoolMaxBytes: 50 * 1024 * 1024,
      spoolMaxAgeMillis: 2 * 24 * 3_600_000,
      spoolIntervalMillis: 60_000,
      allowInsecureHttp: false,
      sendContent: true,
      mask: undefined,
    });
  });

  it('falls back to HH_ environment variables, and options win over them', () => {
    const env = {
      HH_API_KEY: 'env-key',
      HH_API_URL: 'http://127.0.0.1:8787/',
      HH_API_VERSION: 'V1',
      HH_PROJECT: 'env-project',
      HH_SOURCE: 'prod',
      HH_SESSION_ID: 'nightly',
      HH_SESSION_NAME: 'Nightly run',
      HH_TIMEOUT_MS: '2500',
      HH_TRACE_SELECTION: 'ALL',
      HH_COMPRESSION: 'GZIP',
      HH_HEADERS: 'x-team=llm, x-trace-id=a%3Db',
      HH_CREATE_SESSIONS: 'false',
      HH_EXPORT_TIMEOUT_MS: '15000',
      HH_MAX_RETRIES: '0',
      HH_RETRY_DELAY_MS: '250',
      HH_MAX_BATCH_EVENTS: '50',
      HH_MAX_BATCH_BYTES: '100000',
      HH_MAX_VALUE_BYTES: '2048',
      HH_MAX_CONCURRENT_REQUESTS: '2',
      HH_MAX_PENDING_BYTES: '1000000',
      HH_FLUSH_TIMEOUT_MS: '3000',
      HH_SPOOL_DIR: 'relative/spool',
      HH_SPOOL_MAX_BYTES: '200000',
      HH_SPOOL_MAX_AGE_MS: '60000',
      HH_SPOOL_INTERVAL_MS: '500',
      HH_ALLOW_INSECURE_HTTP: '1',
      HH_SEND_CONTENT: 'false',
    };
    assert.deepEqual(resolveConfig({}, env), {
      apiKey: 'env-key',
      serverUrl: 'http://127.0.0.1:8787',
      apiVersion: 'v1',
      proxyUrl: undefined,
      project: 'env-project',
      source: 'prod',
      sessionId: 'nightly',
      sessionName: 'Nightly run',
      traceSelection: 'all',
      timeoutMillis: 2500,
      compression: 'gzip',
      headers: { 'x-team': 'llm', 'x-trace-id': 'a=b' },
      createSessions: false,
      exportTimeoutMillis: 15_000,
      maxRetries: 0,
      retryDelayMillis: 250,
      maxBatchEvents: 50,
      maxBatchBytes: 100_000,
      maxValueBytes: 2048,
      maxConcurrentRequests: 2,
      maxPendingBytes: 1_000_000,
      flushTimeoutMillis: 3000,
      spoolDir: path.resolve('relative/spool'),
      spoolMaxBytes: 200_000,
      spoolMaxAgeMillis: 60_000,
      spoolIntervalMillis: 500,
      allowInsecureHttp: true,
      sendContent: false,
      mask: undefined,
    } as never);
  });

  it('defaults the flush timeout to the export deadline plus a second', () => {
    assert.equal(resolveConfig({ apiKey: 'k', exportTimeoutMillis: 5000 }, {}).flushTimeoutMillis, 6000);
  });

  it('says how to provide a missing API key, whichever way tracing was set up', () => {
    assert.throws(
      () => resolveConfig({}, {}),
      (error: unknown) => {
        assert.ok(error instanceof HoneyHiveConfigError);
        assert.match(
          error.message,
          /no API key\. Set HH_API_KEY, or pass \{ apiKey \} to HoneyHiveSpanProcessor or HoneyHiveSpanExporter .*npx honeyhive-otel-dev/,
        );
        return true;
      },
    );
  });

  const badOptions: Array<[string, Record<string, unknown>, RegExp]> = [
    ['an empty key', { apiKey: ' ' }, /option "apiKey" must be a non-empty string/],
    ['a key with a line break', { apiKey: 'abc\r\nX-Evil: 1' }, /option "apiKey" must not contain spaces, line breaks/],
    [
      'a relative URL',
      { serverUrl: 'api.honeyhive.ai' },
      /option "serverUrl" must be an http\(s\) URL.*got "api.honeyhive.ai"/,
    ],
    ['an ftp URL', { serverUrl: 'ftp://x' }, /option "serverUrl" must be an http\(s\) URL/],
    ['a URL with credentials', { serverUrl: 'https://user:pw@x' }, /option "serverUrl" must be an http\(s\) URL/],
    [
      'a negative timeout',
      { timeoutMillis: -5 },
      /option "timeoutMillis" must be a whole number of milliseconds from 1 to 600000; got -5/,
    ],
    ['a fractional timeout', { timeoutMillis: 1.5 }, /option "timeoutMillis"/],
    ['an empty project', { project: '' }, /option "project" must be a non-empty string/],
    ['a non-string source', { source: 42 }, /option "source" must be a non-empty string; got "42"/],
    ['a header overriding Authorization', { headers: { Authorization: 'Bearer x' } }, /must not set Authorization/],
    ['a header value with a line break', { headers: { 'x-a': 'b\nc' } }, /without line breaks .*for header x-a/],
    [
      'a header value with a control character',
      { headers: { 'x-a': 'b\u0001c' } },
      /control characters for header x-a/,
    ],
    ['a key with a DEL character', { apiKey: 'abc\u007f' }, /option "apiKey" must not contain .*control characters/],
    ['an unknown API version', { apiVersion: 'v2' }, /option "apiVersion" must be "legacy" or "v1"; got "v2"/],
    ['an API version in capitals', { apiVersion: 'V1' }, /option "apiVersion" must be "legacy" or "v1"; got "V1"/],
    [
      'an unknown compression',
      { compression: 'brotli' as never },
      /option "compression" must be "none" or "gzip"; got "brotli"/,
    ],
    [
      'a SOCKS proxy',
      { proxyUrl: 'socks5://proxy:1080' },
      /option "proxyUrl" must be an http:\/\/ or https:\/\/ proxy URL .*SOCKS proxies are not supported/,
    ],
    [
      'an empty proxy URL',
      { proxyUrl: '' },
      /option "proxyUrl" must be .*or false to ignore the proxy environment variables/,
    ],
    [
      'a proxy URL with a path',
      { proxyUrl: 'http://proxy:3128/x' },
      /option "proxyUrl" must be an http:\/\/ or https:\/\/ proxy URL/,
    ],
    ['a proxy set to true', { proxyUrl: true }, /option "proxyUrl" must be .*got "true"/],
    ['a non-boolean createSessions', { createSessions: 'no' }, /option "createSessions" must be a boolean/],
    [
      'a zero export deadline',
      { exportTimeoutMillis: 0 },
      /option "exportTimeoutMillis" must be a whole number of milliseconds from 1 to 600000; got 0/,
    ],
    [
      'negative retries',
      { maxRetries: -1 },
      /option "maxRetries" must be a whole number of retries from 0 to 100; got -1/,
    ],
    ['a tiny request size', { maxBatchBytes: 100 }, /option "maxBatchBytes" must be a whole number of bytes from 4096/],
    [
      'zero events per request',
      { maxBatchEvents: 0 },
      /option "maxBatchEvents" must be a whole number of events from 1/,
    ],
    ['a tiny value cap', { maxValueBytes: 10 }, /option "maxValueBytes" must be a whole number of bytes from 64/],
    [
      'zero concurrent requests',
      { maxConcurrentRequests: 0 },
      /option "maxConcurrentRequests" must be a whole number of requests from 1 to 1024/,
    ],
    ['an empty spool directory', { spoolDir: ' ' }, /option "spoolDir" must be a non-empty string/],
    ['a mask that is not a function', { mask: 'redact' }, /option "mask" must be a function/],
    ['a non-boolean sendContent', { sendContent: 'no' }, /option "sendContent" must be a boolean/],
  ];
  for (const [what, options, message] of badOptions) {
    it(`rejects ${what} with a message naming the option`, () => {
      assert.throws(() => resolveConfig({ apiKey: 'k', ...options } as never, {}), message);
    });
  }

  it('refuses plain http to a host that is not loopback, saying how to allow it', () => {
    assert.throws(
      () => resolveConfig({ apiKey: 'k', serverUrl: 'http://api.honeyhive.ai' }, {}),
      /option "serverUrl" uses plain http:\/\/ to api.honeyhive.ai, .*unencrypted.*https:\/\/.*allowInsecureHttp: true \(HH_ALLOW_INSECURE_HTTP=true\)/,
    );
    assert.throws(
      () => resolveConfig({ apiKey: 'k' }, { HH_API_URL: 'http://10.0.0.5:8787' }),
      /environment variable HH_API_URL uses plain http:\/\/ to 10.0.0.5/,
    );
  });

  it('accepts plain http to loopback, and to any host when explicitly allowed', () => {
    for (const url of [
      'http://localhost:8787',
      'http://127.0.0.1:1',
      'http://127.10.0.3',
      'http://[::1]:8787',
      'http://app.localhost',
    ]) {
      assert.equal(resolveConfig({ apiKey: 'k', serverUrl: url }, {}).serverUrl, url.replace(/\/$/, ''));
    }
    assert.equal(
      resolveConfig({ apiKey: 'k', serverUrl: 'http://collector.internal', allowInsecureHttp: true }, {}).serverUrl,
      'http://collector.internal',
    );
    assert.equal(
      resolveConfig({ apiKey: 'k' }, { HH_API_URL: 'http://collector.internal', HH_ALLOW_INSECURE_HTTP: 'true' })
        .serverUrl,
      'http://collector.internal',
    );
  });

  describe('a bad environment value', () => {
    let warn: sinon.SinonSpy;
    beforeEach(() => {
      warn = sinon.spy(diag, 'warn');
    });
    afterEach(() => warn.restore());
    const warnings = (): string[] => warn.getCalls().map((call) => call.args.join(' '));

    it('warns once, naming the variable and what it expects, and uses the default', () => {
      const config = resolveConfig(
        { apiKey: 'k' },
        {
          HH_TIMEOUT_MS: 'soon',
          HH_CREATE_SESSIONS: 'maybe',
          HH_COMPRESSION: 'zstd',
          HH_HEADERS: 'bad name=1',
          HH_EXPORT_TIMEOUT_MS: '-1',
        },
      );
      assert.equal(config.timeoutMillis, 10_000);
      assert.equal(config.createSessions, true);
      assert.equal(config.compression, 'none');
      assert.deepEqual(config.headers, {});
      assert.equal(config.exportTimeoutMillis, 20_000);
      assert.equal(config.flushTimeoutMillis, 21_000);
      assert.deepEqual(warnings(), [
        'HoneyHive exporter: environment variable HH_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000; got "soon". Ignoring it and using the default, 10000.',
        'HoneyHive exporter: environment variable HH_COMPRESSION must be "none" or "gzip"; got "zstd". Ignoring it and using the default, none.',
        'HoneyHive exporter: environment variable HH_HEADERS must have valid HTTP header names; got "bad name". Ignoring it and using the default, none.',
        'HoneyHive exporter: environment variable HH_CREATE_SESSIONS must be true, false, 1 or 0; got "maybe". Ignoring it and using the default, true.',
        'HoneyHive exporter: environment variable HH_EXPORT_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000; got "-1". Ignoring it and using the default, 20000.',
      ]);
    });

    it('never shows a header value, even one that is not valid percent-encoding', () => {
      const config = resolveConfig({ apiKey: 'k' }, { HH_HEADERS: 'x-token=s3cret%zz' });
      assert.deepEqual(config.headers, {});
      assert.equal(warn.callCount, 1);
      assert.match(warnings()[0], /HH_HEADERS must be percent-encoded/);
      assert.ok(!warnings()[0].includes('s3cret'), warnings()[0]);
    });

    it('sends no content when HH_SEND_CONTENT is not understood, the safe side', () => {
      assert.equal(resolveConfig({ apiKey: 'k' }, { HH_SEND_CONTENT: 'no' }).sendContent, false);
      assert.match(warnings()[0], /HH_SEND_CONTENT must be true, false, 1 or 0; got "no"\. .*using false/);
    });

    it('still throws for HH_API_KEY and HH_API_URL, which have no safe default, never showing the key', () => {
      assert.throws(
        () => resolveConfig({}, { HH_API_KEY: `${TEST_API_KEY} x` }),
        (error: unknown) => {
          assert.ok(error instanceof HoneyHiveConfigError);
          assert.match(error.message, /environment variable HH_API_KEY must not contain spaces/);
          assert.ok(!error.message.includes(TEST_API_KEY));
          return true;
        },
      );
      assert.throws(
        () => resolveConfig({ apiKey: 'k' }, { HH_API_URL: 'api.honeyhive.ai' }),
        /environment variable HH_API_URL must be an http\(s\) URL/,
      );
      assert.equal(warn.callCount, 0);
    });

    it('does not change how a bad option in code is met: it throws', () => {
      assert.throws(
        () => resolveConfig({ apiKey: 'k', timeoutMillis: 0 }, { HH_TIMEOUT_MS: '5' }),
        /option "timeoutMillis"/,
      );
      assert.equal(warn.callCount, 0);
    });
  });

  it('never repeats the API key in an error', () => {
    const badKey = `${TEST_API_KEY} with space`;
    assert.throws(
      () => resolveConfig({ apiKey: badKey }, {}),
      (error: unknown) => {
        assert.ok(!(error as Error).message.includes(TEST_API_KEY));
        return true;
      },
    );
  });

  describe('proxy', () => {
    const https = { apiKey: 'k' };
    const http = { apiKey: 'k', serverUrl: 'http://collector.internal:8080', allowInsecureHttp: true };

    it('takes HTTPS_PROXY for an https server and HTTP_PROXY for an http one, lower case first', () => {
      const env = {
        HTTPS_PROXY: 'http://upper-s:1',
        https_proxy: 'http://lower-s:2',
        HTTP_PROXY: 'http://upper:3',
      };
      assert.deepEqual(resolveConfig(https, env).proxyUrl, { url: 'http://lower-s:2/', from: 'https_proxy' });
      assert.deepEqual(resolveConfig(https, { HTTPS_PROXY: 'http://upper-s:1' }).proxyUrl, {
        url: 'http://upper-s:1/',
        from: 'HTTPS_PROXY',
      });
      assert.deepEqual(resolveConfig(http, env).proxyUrl, { url: 'http://upper:3/', from: 'HTTP_PROXY' });
      assert.equal(resolveConfig(https, { HTTP_PROXY: 'http://upper:3' }).proxyUrl, undefined);
    });

    it('reads a proxy without a scheme as http, and keeps https:// proxies', () => {
      assert.equal(resolveConfig(https, { HTTPS_PROXY: 'proxy.corp:3128' }).proxyUrl?.url, 'http://proxy.corp:3128/');
      assert.equal(resolveConfig(https, { HTTPS_PROXY: 'https://proxy.corp' }).proxyUrl?.url, 'https://proxy.corp/');
    });

    it('honours NO_PROXY / no_proxy, and never sends loopback through an environment proxy', () => {
      assert.equal(resolveConfig(https, { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.honeyhive.ai' }).proxyUrl, undefined);
      assert.equal(
        resolveConfig(https, { HTTPS_PROXY: 'http://p:1', no_proxy: 'api.honeyhive.ai:443' }).proxyUrl,
        undefined,
      );
      assert.notEqual(resolveConfig(https, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'other.ai' }).proxyUrl, undefined);
      assert.equal(
        resolveConfig({ apiKey: 'k', serverUrl: 'http://127.0.0.1:8787' }, { HTTP_PROXY: 'http://p:1' }).proxyUrl,
        undefined,
      );
    });

    it('prefers the proxyUrl option, whatever the environment says; false ignores the environment', () => {
      const env = { HTTPS_PROXY: 'http://env:1', NO_PROXY: '*' };
      assert.deepEqual(resolveConfig({ ...https, proxyUrl: 'http://explicit:2' }, env).proxyUrl, {
        url: 'http://explicit:2/',
        from: 'proxyUrl',
      });
      assert.equal(resolveConfig({ ...https, proxyUrl: false }, { HTTPS_PROXY: 'http://env:1' }).proxyUrl, undefined);
    });

    it('ignores upper-case HTTP_PROXY under CGI, where a request header can set it (httpoxy)', () => {
      assert.equal(resolveConfig(http, { HTTP_PROXY: 'http://evil:1', REQUEST_METHOD: 'GET' }).proxyUrl, undefined);
      assert.equal(
        resolveConfig(http, { http_proxy: 'http://trusted:1', REQUEST_METHOD: 'GET' }).proxyUrl?.from,
        'http_proxy',
      );
    });

    it('warns about a bad proxy variable naming it, never showing its credentials, and connects directly', () => {
      const warn = sinon.spy(diag, 'warn');
      try {
        for (const [env, variable] of [
          [{ HTTPS_PROXY: 'socks5://alice:s3cret@proxy:1080' }, 'HTTPS_PROXY'],
          [{ https_proxy: 'http://alice:s3cret@proxy:3128/path' }, 'https_proxy'],
          [{ HTTPS_PROXY: 'http://alice:%zz@proxy:3128' }, 'HTTPS_PROXY'],
        ] as const) {
          warn.resetHistory();
          assert.equal(resolveConfig(https, env).proxyUrl, undefined);
          assert.equal(warn.callCount, 1);
          const message = String(warn.firstCall.args[0]);
          assert.match(
            message,
            new RegExp(`environment variable ${variable} .*\\[REDACTED\\]@proxy.*using the default, none`),
          );
          assert.ok(!message.includes('s3cret') && !message.includes('alice'), message);
        }
      } finally {
        warn.restore();
      }
    });
  });
});

describe('the options table', () => {
  const names = Object.keys(OPTIONS) as Array<keyof typeof OPTIONS>;
  const entry = (name: keyof typeof OPTIONS): (typeof OPTIONS)[keyof typeof OPTIONS] => OPTIONS[name];
  const envColumn = (name: keyof typeof OPTIONS): string => {
    const option = entry(name);
    return 'envDoc' in option && option.envDoc !== undefined ? option.envDoc : `\`${option.env}\``;
  };

  const row = (name: keyof typeof OPTIONS): string =>
    `| \`${name}\` | ${envColumn(name)} | ${entry(name).defaultDoc} | ${entry(name).doc} |`;

  /** The option rows of a Markdown file's section, from its heading to the next heading. */
  async function tableRows(file: string, heading: string): Promise<string[]> {
    const text = await readFile(path.join(__dirname, '..', file), 'utf8');
    const start = text.indexOf(`\n${heading}\n`);
    assert.ok(start >= 0, `${file} has no "${heading}"`);
    const section = text.slice(start + 1);
    return section
      .slice(0, section.indexOf('\n#', 1))
      .split('\n')
      .filter((line) => line.startsWith('| `'));
  }

  it("is docs/options.md's table of all options, row for row", async () => {
    assert.deepEqual(await tableRows('docs/options.md', '## All options'), names.map(row));
  });

  it("has its most used rows in the README's Options table, in order, links made relative to the README", async () => {
    // The doc strings link relative to docs/, where the full table lives.
    const fromReadme = (line: string): string =>
      line.replace(/\]\((?![a-z]+:)([^)]*)\)/g, (_, link: string) =>
        link.startsWith('#') ? `](docs/options.md${link})` : `](docs/${link})`,
      );
    const rows = await tableRows('README.md', '## Options');
    assert.ok(rows.length >= 5 && rows.length < names.length / 2, `${rows.length} rows`);
    const shown = names.filter((name) => rows.some((line) => line.startsWith(`| \`${name}\` |`)));
    assert.deepEqual(rows, shown.map(row).map(fromReadme));
    assert.ok(shown.includes('apiKey'));
  });

  it('is what the TypeDoc comments say: each names its variable and its default', async () => {
    const file = path.join(__dirname, '..', 'src', 'config.ts');
    const source = ts.createSourceFile(file, await readFile(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const options = source.statements.find(
      (node): node is ts.InterfaceDeclaration =>
        ts.isInterfaceDeclaration(node) && node.name.text === 'HoneyHiveExporterOptions',
    );
    assert.ok(options);
    const comments = new Map(
      options.members.map((member) => [
        member.name?.getText(source),
        ts
          .getJSDocCommentsAndTags(member)
          .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
          .join(' ')
          .replace(/\s+/g, ' '),
      ]),
    );
    assert.deepEqual([...comments.keys()], names);
    for (const name of names) {
      const option = entry(name);
      const comment = comments.get(name) ?? '';
      if ('env' in option && option.env !== undefined) assert.ok(comment.includes(`Env \`${option.env}\``), name);
      else assert.ok(!comment.includes('Env `'), name);
      const defaultText = option.defaultDoc === 'required' ? 'required' : `Default ${option.defaultDoc}`;
      assert.ok(comment.includes(defaultText), `${name}: "${comment}" should say "${defaultText}"`);
    }
  });
});
