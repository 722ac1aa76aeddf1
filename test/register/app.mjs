// An ES module app with no tracing code, as register's tests run it: openai and
// node:http imported statically, before anything could patch them by require.
import { createServer, get } from 'node:http';
import OpenAI from 'openai';
import { serve } from './serve.mjs';

serve({ createServer, get, OpenAI });
