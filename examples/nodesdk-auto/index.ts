/**
 * NodeSDK with auto-instrumentations (HTTP included) and the HoneyHive
 * exporter. The app's HTTP call is traced; the exporter's own requests to
 * HoneyHive are not (it sends them with tracing suppressed), so exporting
 * never produces more spans to export. Printed, and checked, at the end.
 *
 *   npm run example:nodesdk-auto                                  # offline
 *   HH_API_KEY=... npm run example:nodesdk-auto
 */
import { runExample } from '../shared/run-example';
import { startTelemetry } from './telemetry';

runExample('nodesdk-auto', async ({ honeyhive, receivedSessions }) => {
  const sdk = startTelemetry(honeyhive);
  // Loaded only now, so `node:http` is first required with the instrumentation in place.
  const { planTrip, startWeatherApi } = await import('./app.js');

  const weatherApi = await startWeatherApi();
  console.log(await planTrip(weatherApi.url, 'Paris'));
  await weatherApi.close();
  await sdk.shutdown(); // flushes every span to HoneyHive

  const sessions = await receivedSessions();
  if (sessions === undefined || honeyhive.serverUrl === undefined) return;
  // Every traced request names its address in the event; look for both servers'.
  const events = sessions.flatMap((session) => session.events);
  const mentioning = (url: string) => events.filter((event) => JSON.stringify(event).includes(new URL(url).host));
  console.log(
    `\nevents of the app's calls to the weather API (${weatherApi.url}): ${mentioning(weatherApi.url)
      .map((event) => event.event_name)
      .join(', ')}`,
  );
  console.log(
    `events of the exporter's requests to HoneyHive (${honeyhive.serverUrl}): ${mentioning(honeyhive.serverUrl).length}`,
  );
});
