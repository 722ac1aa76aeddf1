/**
 * A model call's `config`: which model, which provider, with which settings.
 * Every family writes these the same way, so the events of one session read
 * alike whichever instrumentation made them.
 */
import type { JsonObject, JsonValue } from '../../honeyhive-types';
import type { SpanAttributes } from '../span-attributes';
import { objectField, offerFrom, stringValue } from './placement';

/**
 * `config.model` is the model that answered (the response model), else the
 * one asked for; when both are known and differ, the one asked for is
 * `config.request_model`.
 */
export function placeModelName(
  attributes: SpanAttributes,
  config: JsonObject,
  responseKeys: readonly string[],
  requestKeys: readonly string[],
): void {
  const response = attributes.peekFirstString(responseKeys);
  const request = attributes.peekFirstString(requestKeys);
  const chosen = response ?? request;
  if (!chosen) return;
  offerFrom(attributes, [chosen[0]], config, 'model', chosen[1]);
  if (!response || !request) return;
  if (request[1] === response[1]) offerFrom(attributes, [request[0]], config, 'model', request[1]);
  else offerFrom(attributes, [request[0]], config, 'request_model', request[1]);
}

/** Offers `config.provider` from each of `keys` in turn: the first present sets it, the others confirm it (or stay in metadata). */
export function placeProvider(attributes: SpanAttributes, config: JsonObject, keys: readonly string[]): void {
  for (let keyIndex = 0, keyList = keys; keyIndex < keyList.length; keyIndex++) {
    const key = keyList[keyIndex]!;
    const provider = stringValue(attributes.peekJson(key));
    if (provider !== undefined) offerFrom(attributes, [key], config, 'provider', provider);
  }
}

/** Offers settings read one attribute each (`[attribute key, hyperparameter name, value]`) as `config.hyperparameters`. */
export function placeHyperparameters(
  attributes: SpanAttributes,
  config: JsonObject,
  settings: ReadonlyArray<readonly [key: string, name: string, value: JsonValue]>,
): void {
  if (settings.length === 0) return;
  const hyperparameters = objectField(config, 'hyperparameters');
  if (!hyperparameters) return;
  for (let keyIndex = 0, keyList = settings; keyIndex < keyList.length; keyIndex++) {
    const keyItem = keyList[keyIndex]!;
    const key = keyItem[0];
    const name = keyItem[1];
    const value = keyItem[2];
    offerFrom(attributes, [key], hyperparameters, name, value);
  }
}

/** Settings whose names differ between families, by the name HoneyHive's other events use. */
const HYPERPARAMETER_NAMES: Readonly<Record<string, string>> = {
  maxTokens: 'max_tokens',
  maxOutputTokens: 'max_tokens',
  max_output_tokens: 'max_tokens',
};

/** A camelCase or dotted setting name (`maxOutputTokens`, `topK`, `provider.x`) as a hyperparameter name. */
export function hyperparameterName(name: string): string {
  return HYPERPARAMETER_NAMES[name] ?? snakeCase(name).replaceAll('.', '_');
}

/** `maxOutputTokens` -> `max_output_tokens`, without a regular expression per key. */
function snakeCase(name: string): string {
  let result = '';
  for (const char of name) {
    const lower = char.toLowerCase();
    result += char !== lower && result !== '' ? `_${lower}` : lower;
  }
  return result;
}
