/**
 * The app: plans a trip by calling a weather API over HTTP. Nothing here knows
 * about tracing except the one span around the work; the HTTP client call and
 * the API's server side are traced by the HTTP auto-instrumentation.
 */
import { trace } from '@opentelemetry/api';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

const tracer = trace.getTracer('trip-planner', '1.0.0');

/** A stand-in for a third-party weather API, on loopback. */
export async function startWeatherApi(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const city = new URL(request.url ?? '/', 'http://weather').searchParams.get('city') ?? 'unknown';
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ city, temperatureC: 18, condition: 'sunny' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function getJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}

export async function planTrip(weatherApiUrl: string, city: string): Promise<string> {
  return tracer.startActiveSpan('plan-trip', async (span) => {
    try {
      const weather = (await getJson(`${weatherApiUrl}/weather?city=${encodeURIComponent(city)}`)) as {
        temperatureC: number;
        condition: string;
      };
      return `${city}: ${weather.condition}, ${weather.temperatureC}°C. Pack sunglasses.`;
    } finally {
      span.end();
    }
  });
}
