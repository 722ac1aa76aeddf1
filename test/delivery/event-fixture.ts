/** A plain HoneyHive event for the delivery tests, with fields to override. */
import type { HoneyHiveEvent } from '../../src/honeyhive-types';

export const SESSION_ID = '6a1f2c9e-7b3d-4c2a-9e11-0d5b8c7a6f10';

export function sampleEvent(overrides: Partial<HoneyHiveEvent> = {}, index = 0): HoneyHiveEvent {
  return {
    source: 'dev',
    event_name: 'chat',
    event_type: 'model',
    event_id: `${index.toString(16).padStart(8, '0')}-1111-4111-8111-111111111111`,
    session_id: SESSION_ID,
    parent_id: SESSION_ID,
    config: {
      model: 'gpt-4o',
      provider: 'openai',
      hyperparameters: { temperature: 0.2 },
      template: 'You are {{role}}',
    },
    inputs: { chat_history: [{ role: 'user', content: 'my secret question' }] },
    outputs: { role: 'assistant', content: 'the private answer' },
    start_time: 1_700_000_000_000,
    end_time: 1_700_000_000_250,
    duration: 250.5,
    metadata: {
      trace_id: 'ab'.repeat(16),
      span_id: 'cd'.repeat(8),
      prompt_tokens: 12,
      completion_tokens: 7,
      'gen_ai.request.model': 'gpt-4o',
      note: 'free text',
    },
    user_properties: { user_id: 'alice@example.com' },
    ...overrides,
  };
}
