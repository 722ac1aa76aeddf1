/** JSON shown as indented text, each token in its own coloured span (text nodes only). */
import type { JsonValue } from '../../../honeyhive-types';
import { h } from './dom.js';
import { plural } from './format.js';

export function appendJson(parent: HTMLElement, value: unknown, depth = 0): void {
  const indent = '  '.repeat(depth);
  if (value === null || typeof value === 'boolean') {
    parent.append(h('span', { class: 'j-lit', text: String(value) }));
  } else if (typeof value === 'number') {
    parent.append(h('span', { class: 'j-num', text: String(value) }));
  } else if (typeof value === 'string') {
    parent.append(h('span', { class: 'j-str', text: JSON.stringify(value) }));
  } else if (Array.isArray(value)) {
    if (value.length === 0) return parent.append('[]');
    parent.append('[\n');
    value.forEach((item: unknown, index) => {
      parent.append(`${indent}  `);
      appendJson(parent, item, depth + 1);
      parent.append(index < value.length - 1 ? ',\n' : '\n');
    });
    parent.append(`${indent}]`);
  } else if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return parent.append('{}');
    parent.append('{\n');
    entries.forEach(([key, item], index) => {
      parent.append(`${indent}  `, h('span', { class: 'j-key', text: JSON.stringify(key) }), ': ');
      appendJson(parent, item, depth + 1);
      parent.append(index < entries.length - 1 ? ',\n' : '\n');
    });
    parent.append(`${indent}}`);
  } else {
    parent.append(String(value));
  }
}

/** A `<pre>` holding `value` as JSON. */
export function jsonBlock(value: unknown, className = 'json'): HTMLElement {
  const block = h('pre', { class: className });
  appendJson(block, value);
  return block;
}

export const isJsonObject = (value: unknown): value is Record<string, JsonValue> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}

export function sizeOf(value: unknown): string {
  if (Array.isArray(value)) return plural(value.length, 'item');
  if (isJsonObject(value)) return plural(Object.keys(value).length, 'key');
  return typeof value;
}
