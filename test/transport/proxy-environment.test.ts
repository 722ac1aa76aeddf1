import assert from 'node:assert/strict';
import https from 'node:https';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { createConnectionAgents } from '../../src/transport/connection-agents';
import {
  describeProxy,
  isExcludedByNoProxy,
  proxyFromEnvironment,
  redactProxyUrl,
} from '../../src/transport/proxy-environment';

describe('proxy from the environment', () => {
  const cases: Array<[string, string, boolean]> = [
    ['https://api.honeyhive.ai', '*', true],
    ['https://api.honeyhive.ai', 'honeyhive.ai', true],
    ['https://api.honeyhive.ai', '.honeyhive.ai', true],
    ['https://api.honeyhive.ai', '*.honeyhive.ai', true],
    ['https://api.honeyhive.ai', 'API.HoneyHive.AI', true],
    ['https://api.honeyhive.ai', 'other.example, api.honeyhive.ai', true],
    ['https://api.honeyhive.ai', 'other.example api.honeyhive.ai', true],
    ['https://api.honeyhive.ai', 'api.honeyhive.ai:443', true],
    ['https://api.honeyhive.ai', 'api.honeyhive.ai:8443', false],
    ['https://api.honeyhive.ai:8443', 'api.honeyhive.ai:8443', true],
    ['https://api.honeyhive.ai', 'honeyhive.ai.evil', false],
    ['https://api.honeyhive.ai', 'i.honeyhive.ai', false],
    ['https://evilhoneyhive.ai', 'honeyhive.ai', false],
    ['https://api.honeyhive.ai', '', false],
    ['https://api.honeyhive.ai', ',,', false],
    ['http://10.1.2.3:8080', '10.0.0.0/8', true],
    ['http://10.1.2.3:8080', '10.0.0.0/8:8080', true],
    ['http://10.1.2.3:8080', '192.168.0.0/16', false],
    ['http://10.1.2.3:8080', '10.1.2.3', true],
    ['http://10.1.2.3:8080', '10.0.0.0/99', false],
    ['http://[fd00::2]:8080', 'fd00::/8', true],
    ['http://[fd00::2]:8080', 'fd00::2', true],
    ['http://[fd00::2]:8080', '[fd00::2]:8080', true],
    ['http://[fd00::2]:8080', '[fd00::2]:9090', false],
    ['http://api.example', '10.0.0.0/8', false],
  ];
  for (const [server, noProxy, excluded] of cases) {
    it(`NO_PROXY ${JSON.stringify(noProxy)} ${excluded ? 'covers' : 'does not cover'} ${server}`, () => {
      assert.equal(isExcludedByNoProxy(new URL(server), noProxy), excluded);
    });
  }

  it('never proxies this machine, whatever the variables say', () => {
    for (const server of ['http://localhost:1', 'http://127.0.0.1:1', 'http://[::1]:1', 'https://app.localhost']) {
      assert.equal(
        proxyFromEnvironment(new URL(server), { HTTP_PROXY: 'http://p:1', HTTPS_PROXY: 'http://p:1' }),
        undefined,
      );
    }
  });

  it('shows a proxy URL without its user name or password', () => {
    assert.equal(redactProxyUrl('http://alice:s3cret@proxy:3128/'), 'http://[REDACTED]@proxy:3128/');
    assert.equal(redactProxyUrl('http://alice@proxy:3128'), 'http://[REDACTED]@proxy:3128');
    assert.equal(redactProxyUrl('http://proxy:3128'), 'http://proxy:3128');
    assert.equal(redactProxyUrl('alice:s3cret@proxy:3128'), '[REDACTED]@proxy:3128');
    assert.equal(redactProxyUrl('http://al@ce:s3/cr@t@proxy:3128'), 'http://[REDACTED]@proxy:3128');
    assert.equal(redactProxyUrl('HTTP://a:b\n@proxy'), 'HTTP://[REDACTED]@proxy');
    assert.equal(
      describeProxy({ url: 'https://a:b@proxy.corp/', from: 'HTTPS_PROXY' }),
      'the proxy https://[REDACTED]@proxy.corp/ (from HTTPS_PROXY)',
    );
  });
});

describe('connection agents', () => {
  it('connects directly with kept-alive agents, and tells axios to use no proxy of its own', () => {
    const agents = createConnectionAgents('https://api.honeyhive.ai', undefined);
    assert.equal(agents.proxy, false);
    assert.ok(agents.httpsAgent instanceof https.Agent);
    assert.equal((agents.httpsAgent as unknown as { keepAlive: boolean }).keepAlive, true);
    assert.equal((agents.httpAgent as unknown as { keepAlive: boolean }).keepAlive, true);
  });

  it('tunnels to an https server with CONNECT, kept alive, credentials only in Proxy-Authorization', () => {
    const agents = createConnectionAgents('https://api.honeyhive.ai', 'http://alice:s%40cret@proxy.corp:3128/');
    assert.equal(agents.proxy, false, 'axios must not forward-proxy an https request');
    const agent = agents.httpsAgent;
    assert.ok(agent instanceof HttpsProxyAgent);
    assert.equal(agent.proxy.href, 'http://proxy.corp:3128/', 'no credentials in the URL the agent logs');
    assert.equal(agent.keepAlive, true);
    const headers = (agent as unknown as { proxyHeaders: Record<string, string> }).proxyHeaders;
    assert.deepEqual(headers, { 'Proxy-Authorization': `Basic ${Buffer.from('alice:s@cret').toString('base64')}` });
  });

  it('forwards a plain http request to the proxy through axios, with decoded credentials', () => {
    const agents = createConnectionAgents('http://collector.internal:8080', 'http://alice:s%40cret@[fd00::9]:3128/');
    assert.deepEqual(agents.proxy, {
      protocol: 'http',
      host: 'fd00::9',
      port: 3128,
      auth: { username: 'alice', password: 's@cret' },
    });
    assert.ok(!(agents.httpsAgent instanceof HttpsProxyAgent));
  });
});
