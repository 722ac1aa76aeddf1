/** Replaces every occurrence of each secret in a text, so no message can carry the API key. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length > 0 && result.includes(secret)) result = result.split(secret).join('[REDACTED]');
  }
  return result;
}

/** A text scrubber holding the secrets in a closure, so an object keeping it cannot show them when inspected or serialised. */
export type Redactor = (text: string) => string;

export function createRedactor(secrets: readonly string[]): Redactor {
  const kept = [...secrets];
  return (text) => redactSecrets(text, kept);
}
