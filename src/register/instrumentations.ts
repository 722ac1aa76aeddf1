/**
 * The LLM instrumentations `honeyhive-otel-exporter/register` starts when the
 * app has them installed: one per library, the first installed in this order
 * (OpenInference before OpenLLMetry), so a library is never traced twice.
 */
import { diag } from '@opentelemetry/api';
import { errorMessage } from '../error-message';
import { PACKAGE_NAME } from '../version';

export interface LlmInstrumentationEntry {
  /** The package it traces (and, in an ES module app, the import it instruments). */
  library: string;
  /** The instrumentation package. */
  package: string;
  /** Its instrumentation class. */
  className: string;
  /**
   * Whether `manuallyInstrument(namespace)` of the library's ES module instruments it. Only where the
   * instrumentation takes the library's main module (LangChain's take a submodule, loaded by relative imports).
   */
  esm: boolean;
}

export const LLM_INSTRUMENTATIONS: readonly LlmInstrumentationEntry[] = [
  entry('openai', '@arizeai/openinference-instrumentation-openai', 'OpenAIInstrumentation'),
  entry('openai', '@traceloop/instrumentation-openai', 'OpenAIInstrumentation'),
  entry('@anthropic-ai/sdk', '@arizeai/openinference-instrumentation-anthropic', 'AnthropicInstrumentation'),
  entry('@anthropic-ai/sdk', '@traceloop/instrumentation-anthropic', 'AnthropicInstrumentation'),
  entry('@langchain/core', '@arizeai/openinference-instrumentation-langchain', 'LangChainInstrumentation', false),
  entry('@langchain/core', '@traceloop/instrumentation-langchain', 'LangChainInstrumentation', false),
  entry('@aws-sdk/client-bedrock-runtime', '@arizeai/openinference-instrumentation-bedrock', 'BedrockInstrumentation'),
  entry('@aws-sdk/client-bedrock-runtime', '@traceloop/instrumentation-bedrock', 'BedrockInstrumentation'),
  entry('cohere-ai', '@traceloop/instrumentation-cohere', 'CohereInstrumentation'),
];

function entry(library: string, pkg: string, className: string, esm = true): LlmInstrumentationEntry {
  return { library, package: pkg, className, esm };
}

/** What this module needs of an instrumentation (any `@opentelemetry/instrumentation` version). */
export interface StartedInstrumentation {
  manuallyInstrument?: (moduleExports: unknown) => void;
}

export interface Loader {
  /** Whether the package resolves from the app. */
  isInstalled(name: string): boolean;
  /** Loads it; throws when it is installed but broken. */
  load(name: string): unknown;
}

export interface StartedLlmInstrumentation {
  entry: LlmInstrumentationEntry;
  instance: StartedInstrumentation;
}

/**
 * Starts the first installed instrumentation of each library (constructing one enables it). A package
 * that is not installed is skipped silently; one that fails to load or start is warned about once and skipped.
 */
export function startLlmInstrumentations(
  loader: Loader,
  entries: readonly LlmInstrumentationEntry[] = LLM_INSTRUMENTATIONS,
): StartedLlmInstrumentation[] {
  const log = diag.createComponentLogger({ namespace: `${PACKAGE_NAME}/register` });
  const started: StartedLlmInstrumentation[] = [];
  const tracedLibraries = new Set<string>();
  for (const candidate of entries) {
    if (tracedLibraries.has(candidate.library) || !loader.isInstalled(candidate.package)) continue;
    try {
      const exported = (loader.load(candidate.package) as Record<string, unknown>)[candidate.className];
      if (typeof exported !== 'function') throw new Error(`it exports no ${candidate.className}`);
      const instance = new (exported as new () => StartedInstrumentation)();
      started.push({ entry: candidate, instance });
      tracedLibraries.add(candidate.library);
    } catch (error) {
      log.warn(`${candidate.package} is installed but could not be started, so it is skipped: ${errorMessage(error)}`);
    }
  }
  return started;
}
