/** A HoneyHive API whose answers a delivery test decides, recording what it was asked. */
import {
  HoneyHiveRequestError,
  type ApiCall,
  type ApiOutcome,
  type HoneyHiveApi,
} from '../../src/transport/honeyhive-api';
import type { HttpFailure } from '../../src/transport/http-transport';

/** A failed request, as the API reports it. */
export function apiFailure(kind: HttpFailure['kind'], status?: number): ApiOutcome {
  return { ok: false, error: new HoneyHiveRequestError(`failed ${kind} ${status ?? ''}`, { kind, status }) };
}

/** Answers every event request with `answer`, every update with success; `requests` holds each request's event JSON. */
export function fakeApi(
  answer: (jsons: readonly string[], call: ApiCall) => ApiOutcome | Promise<ApiOutcome> = () => ({ ok: true }),
) {
  const requests: string[][] = [];
  const api: HoneyHiveApi = {
    updateEvent: () => Promise.resolve({ ok: true }),
    async addEvents(_sessionId, events, call) {
      const jsons = events.map((event) => event.json);
      requests.push(jsons);
      return answer(jsons, call);
    },
  };
  return { api, requests };
}
