/**
 * Text a server wrote (an error body, a proxy's page), made safe to put in an
 * error message or a log line: terminal escapes and control characters
 * removed (so a hostile server cannot forge log lines or recolour a
 * terminal), whitespace folded to single spaces, and the length bounded.
 */
/* eslint-disable no-control-regex -- removing control characters is the point */

/** Longest piece of server text quoted, in characters. */
export const MAX_SERVER_TEXT_CHARS = 500;

/** ANSI/VT escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and two-character escapes. */
const ESCAPE_SEQUENCES =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?|\u009b[0-?]*[ -/]*[@-~]/g;
/** C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional overrides that reorder what a terminal shows. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

export function sanitizeServerText(text: string, maxChars = MAX_SERVER_TEXT_CHARS): string {
  // Bounded before the regular expressions run, with room for what they remove.
  const bounded = text.length > maxChars * 8 ? text.slice(0, maxChars * 8) : text;
  const clean = bounded.replace(ESCAPE_SEQUENCES, '').replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  if (clean.length <= maxChars && bounded.length === text.length) return clean;
  return `${clean.slice(0, maxChars).trimEnd()}…`;
}
