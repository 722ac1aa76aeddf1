/**
 * Redacting the API key out of anything that leaves the exporter: log lines,
 * error messages, and the request bodies themselves.
 */

/**
 * Secrets shorter than this are not searched for. Replacing a short string
 * would corrupt ordinary text (a key `k` would turn `"feedback"` into
 * `"feedbac[REDACTED]"` in every body sent); HoneyHive's keys are far longer,
 * and only the local server accepts a key this short.
 */
export const MIN_REDACTED_SECRET_LENGTH = 8;

/** Replaces every occurrence of each secret in a text, so no message can carry the API key. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_REDACTED_SECRET_LENGTH && result.includes(secret)) {
      result = result.split(secret).join('[REDACTED]');
    }
  }
  return result;
}

/** Redacts a text, holding the secrets in a closure so an object keeping it cannot show them when inspected or serialised. */
export type Redactor = (text: string) => string;

export function createRedactor(secrets: readonly string[]): Redactor {
  const kept = secrets.filter((secret) => secret.length >= MIN_REDACTED_SECRET_LENGTH);
  return (text) => redactSecrets(text, kept);
}

/**
 * Secrets for a {@link Redactor} that redacts JSON text as well as plain text: each secret, and also its
 * form inside a JSON string when JSON escapes it (a quote or backslash in it).
 */
export function withJsonForms(secrets: readonly string[]): string[] {
  const forms = new Set(secrets);
  for (const secret of secrets) forms.add(JSON.stringify(secret).slice(1, -1));
  return [...forms];
}
