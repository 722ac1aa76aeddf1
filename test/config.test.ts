import assert from 'node:assert/strict';
import { DEFAULT_SERVER_URL, HoneyHiveConfigError, resolveConfig } from '../src/config';
import { TEST_API_KEY } from './helpers/export';

describe('resolveConfig', () => {
  it('applies documented defaults', () => {
    assert.deepEqual(resolveConfig({ apiKey: 'k' }, {}), {
      apiKey: 'k',
      serverUrl: DEFAULT_SERVER_URL,
      project: undefined,
      source: 'dev',
      sessionId: undefined,
      sessionName: undefined,
      timeoutMillis: 10_000,
      headers: {},
      createSessions: true,
    });
  });

  it('falls back to HH_ environment variables, and options win over them', () => {
    const env = {
      HH_API_KEY: 'env-key',
      HH_API_URL: 'http://127.0.0.1:8787/',
      HH_PROJECT: 'env-project',
      HH_SOURCE: 'prod',
      HH_SESSION_ID: 'nightly',
      HH_SESSION_NAME: 'Nightly run',
      HH_TIMEOUT_MS: '2500',
      HH_HEADERS: 'x-team=llm, x-trace-id=a%3Db',
      HH_CREATE_SESSIONS: 'false',
    };
    assert.deepEqual(resolveConfig({}, env), {
      apiKey: 'env-key',
      serverUrl: 'http://127.0.0.1:8787',
      project: 'env-project',
      source: 'prod',
      sessionId: 'nightly',
      sessionName: 'Nightly run',
      timeoutMillis: 2500,
      headers: { 'x-team': 'llm', 'x-trace-id': 'a=b' },
      createSessions: false,
    } as never);
  });

  it('fails when the header list has an invalid name', () => {
    assert.throws(() => resolveConfig({}, { HH_API_KEY: 'k', HH_HEADERS: 'bad name=1' }), /HH_HEADERS must have valid HTTP header names/);
  });

  it('says how to provide a missing API key', () => {
    assert.throws(() => resolveConfig({}, {}), (error: unknown) => {
      assert.ok(error instanceof HoneyHiveConfigError);
      assert.match(error.message, /no API key.*apiKey.*HH_API_KEY/);
      return true;
    });
  });

  const badOptions: Array<[string, Record<string, unknown>, RegExp]> = [
    ['an empty key', { apiKey: ' ' }, /option "apiKey" must be a non-empty string/],
    ['a key with a line break', { apiKey: 'abc\r\nX-Evil: 1' }, /option "apiKey" must not contain spaces, line breaks/],
    ['a relative URL', { serverUrl: 'api.honeyhive.ai' }, /option "serverUrl" must be an http\(s\) URL.*got "api.honeyhive.ai"/],
    ['an ftp URL', { serverUrl: 'ftp://x' }, /option "serverUrl" must be an http\(s\) URL/],
    ['a URL with credentials', { serverUrl: 'https://user:pw@x' }, /option "serverUrl" must be an http\(s\) URL/],
    ['a negative timeout', { timeoutMillis: -5 }, /option "timeoutMillis" must be a whole number of milliseconds from 1 to 600000; got -5/],
    ['a fractional timeout', { timeoutMillis: 1.5 }, /option "timeoutMillis"/],
    ['an empty project', { project: '' }, /option "project" must be a non-empty string/],
    ['a non-string source', { source: 42 }, /option "source" must be a non-empty string; got "42"/],
    ['a header overriding Authorization', { headers: { Authorization: 'Bearer x' } }, /must not set Authorization/],
    ['a header value with a line break', { headers: { 'x-a': 'b\nc' } }, /without line breaks for header x-a/],
    ['a non-boolean createSessions', { createSessions: 'no' }, /option "createSessions" must be a boolean/],
  ];
  for (const [what, options, message] of badOptions) {
    it(`rejects ${what} with a message naming the option`, () => {
      assert.throws(() => resolveConfig({ apiKey: 'k', ...options } as never, {}), message);
    });
  }

  it('names the environment variable when the bad value came from there', () => {
    assert.throws(() => resolveConfig({ apiKey: 'k' }, { HH_TIMEOUT_MS: 'soon' }), /environment variable HH_TIMEOUT_MS .*got "soon"/);
    assert.throws(() => resolveConfig({ apiKey: 'k' }, { HH_CREATE_SESSIONS: 'maybe' }), /HH_CREATE_SESSIONS must be true, false, 1 or 0/);
  });

  it('never repeats the API key in an error', () => {
    const badKey = `${TEST_API_KEY} with space`;
    assert.throws(() => resolveConfig({ apiKey: badKey }, {}), (error: unknown) => {
      assert.ok(!(error as Error).message.includes(TEST_API_KEY));
      return true;
    });
  });
});
