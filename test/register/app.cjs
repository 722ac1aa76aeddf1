// The CommonJS twin of app.mjs: an app with no tracing code.
const { createServer, get } = require('node:http');
const { OpenAI } = require('openai');

// The shared handler is an ES module; it only receives what this file required.
void import('./serve.mjs').then(({ serve }) => serve({ createServer, get, OpenAI }));
