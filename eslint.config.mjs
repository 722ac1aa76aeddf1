// ESLint flat config: typescript-eslint's recommended rules over sources, tests and examples.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'api-docs/', 'node_modules/', 'coverage/', '.bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        require: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        document: 'readonly',
        window: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error'],
    },
  },
  {
    // The package runs on any OpenTelemetry SDK major: src/ takes the SDK's shapes from src/otel-sdk.ts.
    files: ['src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@opentelemetry/*', '!@opentelemetry/api'],
              message: 'Only @opentelemetry/api (a peer) is installed with this package; see src/otel-sdk.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The viewer's browser modules show untrusted event content: text nodes only, never markup.
    files: ['src/dev-server/viewer/client/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'write', 'writeln'].map((property) => ({
          property,
          message: 'Event content is untrusted: build nodes with h() and textContent.',
        })),
      ],
    },
  },
  {
    // Examples, tests and the dev server's command line talk to a person on the terminal.
    files: ['examples/**', 'test/**', 'src/dev-server/cli.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
