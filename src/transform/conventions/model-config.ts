/**
 * A model call's `config`: which model, which provider, with which settings.
 * Every family writes these the same way, so the events of one session read
 * alike whichever instrumentation made them.
 */
import type { JsonObject, JsonValue } from '../../honeyhive-types';
import type { SpanAttributes } from '../span-attributes';
import { objectField, offer } from './placement';
import { KeyMemo } from '../key-memo';

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
  const response = attributes.firstStringKey(responseKeys);
  const request = attributes.firstStringKey(requestKeys);
  const chosen = response ?? request;
  if (chosen === undefined) return;
  const model = attributes.peek(chosen) as string;
  // offer, then take: what offerFrom does, without a list of one key per call.
  if (offer(config, 'model', model)) attributes.take(chosen);
  if (response === undefined || request === undefined) return;
  const requested = attributes.peek(request) as string;
  if (offer(config, requested === model ? 'model' : 'request_model', requested)) attributes.take(request);
}

/** Offers `config.provider` from each of `keys` in turn: the first present sets it, the others confirm it (or stay in metadata). */
export function placeProvider(attributes: SpanAttributes, config: JsonObject, keys: readonly string[]): void {
  for (let keyIndex = 0, keyList = keys; keyIndex < keyList.length; keyIndex++) {
    const key = keyList[keyIndex]!;
    const provider = attributes.peek(key);
    if (typeof provider === 'string' && provider !== '' && offer(config, 'provider', provider)) attributes.take(key);
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
    const setting = keyList[keyIndex]!;
    if (offer(hyperparameters, setting[1], setting[2])) attributes.take(setting[0]);
  }
}

/** Settings whose names differ between families, by the name HoneyHive's other events use. */
const HYPERPARAMETER_NAMES: ReadonlyMap<string, string> = new Map([
  ['maxTokens', 'max_tokens'],
  ['maxOutputTokens', 'max_tokens'],
  ['max_output_tokens', 'max_tokens'],
]);

/**
 * Hyperparameter names already worked out: the same few settings come on
 * every span. Bounded, since setting names come from data.
 */
const hyperparameterNames = new KeyMemo(
  256,
  (name) => HYPERPARAMETER_NAMES.get(name) ?? snakeCase(name).replaceAll('.', '_'),
);

/** A camelCase or dotted setting name (`maxOutputTokens`, `topK`, `provider.x`) as a hyperparameter name. */
export function hyperparameterName(name: string): string {
  return hyperparameterNames.get(name);
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
