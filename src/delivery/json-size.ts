/**
 * Sizes of values as the JSON HoneyHive receives (UTF-8), and cutting a
 * string to fit a size without splitting a character.
 */

/** Bytes of `JSON.stringify(value)` in UTF-8. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** Bytes one UTF-16 code unit (or a surrogate pair, as 2 units) takes in a JSON string; returns [bytes, units]. */
function jsonCharCost(text: string, index: number): [number, number] {
  const code = text.charCodeAt(index);
  if (code === 0x22 || code === 0x5c) return [2, 1];
  if (code < 0x20)
    return [code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6, 1];
  if (code < 0x80) return [1, 1];
  if (code < 0x800) return [2, 1];
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    // A pair is one 4-byte character; a lone surrogate is escaped as \udxxx.
    return next >= 0xdc00 && next <= 0xdfff ? [4, 2] : [6, 1];
  }
  if (code >= 0xdc00 && code <= 0xdfff) return [6, 1];
  return [3, 1];
}

/** The longest prefix of `text` whose JSON form (quotes included) takes at most `maxBytes`; never ends inside a surrogate pair. */
export function jsonPrefix(text: string, maxBytes: number): string {
  let bytes = 2;
  let index = 0;
  while (index < text.length) {
    const [cost, units] = jsonCharCost(text, index);
    if (bytes + cost > maxBytes) break;
    bytes += cost;
    index += units;
  }
  return text.slice(0, index);
}

/** The marker that ends a truncated string, saying how much was cut. */
export function truncationMarker(removedBytes: number): string {
  return `…[truncated ${removedBytes} bytes]`;
}

/**
 * `text` cut so its JSON form takes at most `maxBytes`, ending with a visible
 * marker; unchanged when it already fits.
 */
export function truncateString(text: string, maxBytes: number): string {
  // No UTF-16 unit takes more than 6 bytes in JSON (\uXXXX): most strings are known to fit without measuring.
  if (text.length * 6 + 2 <= maxBytes) return text;
  const bytes = jsonBytes(text);
  if (bytes <= maxBytes) return text;
  // The marker's own size depends on the number in it; the full size bounds it.
  const markerBytes = Buffer.byteLength(truncationMarker(bytes), 'utf8');
  const prefix = jsonPrefix(text, Math.max(2, maxBytes - markerBytes));
  return prefix + truncationMarker(bytes - jsonBytes(prefix));
}
