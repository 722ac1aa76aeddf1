/** A transport that reports each attempt's result (for the exporter's counters) and passes it on unchanged. */
import type { HttpRequest, HttpResult, HttpTransport } from './http-transport';

export function createObservedTransport(inner: HttpTransport, observe: (result: HttpResult) => void): HttpTransport {
  return {
    async post(request: HttpRequest): Promise<HttpResult> {
      const result = await inner.post(request);
      observe(result);
      return result;
    },
    shutdown(): void {
      inner.shutdown();
    },
  };
}
