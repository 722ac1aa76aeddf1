/**
 * The dev server's schema tables checked against HoneyHive's OpenAPI document
 * itself, when `../shared/reference/` (beside the checkout, or beside the main
 * worktree of a git worktree) holds it: every route the dev server serves is in
 * the document, and each schema's fields, their types, what is required and
 * whether other fields are refused match the tables in validation.ts. Skips
 * visibly without the document.
 *
 * The document is read with a small line scan of `components.schemas` (the
 * file's two-space YAML), not a YAML parser: the project has none, and these
 * few shapes are all the check needs.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Schemas } from '../../src/dev-server/validation';

const SPEC_FILE = 'honeyhive-dataplane-api-1.2.1.yaml';

function findSpec(): string | undefined {
  const root = path.resolve(__dirname, '../..');
  const candidates = [path.resolve(root, '../shared/reference', SPEC_FILE)];
  try {
    const commonDir = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    candidates.push(path.resolve(path.dirname(commonDir), '../shared/reference', SPEC_FILE));
  } catch {
    // Not a git checkout: only the sibling of the checkout counts.
  }
  return candidates.find((candidate) => existsSync(candidate));
}

interface SpecSchema {
  /** Property name → its type as written (`string`, `array`, `string|null`), or `$ref`. */
  properties: Map<string, string>;
  required: string[];
  refusesOthers: boolean;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** One schema of `components.schemas`, from the document's lines. */
function specSchema(lines: readonly string[], name: string): SpecSchema {
  const schemasAt = lines.indexOf('  schemas:');
  const start = lines.indexOf(`    ${name}:`, schemasAt);
  assert.ok(schemasAt >= 0 && start > schemasAt, `schema ${name} is in the document`);
  const schema: SpecSchema = { properties: new Map(), required: [], refusesOthers: false };
  let section: string | undefined;
  let property: string | undefined;
  let inTypeList = false;
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index]!;
    const text = line.trim();
    const indent = indentOf(line);
    if (text !== '' && indent <= 4) break;
    if (indent === 6) {
      section = text;
      if (text === 'additionalProperties: false') schema.refusesOthers = true;
    } else if (section === 'required:' && indent === 8) {
      schema.required.push(text.replace(/^- /, ''));
    } else if (section === 'properties:' && indent === 8) {
      property = text.replace(/:$/, '');
      schema.properties.set(property, '');
    } else if (section === 'properties:' && property !== undefined && indent === 10) {
      inTypeList = text === 'type:';
      if (text.startsWith('$ref:')) schema.properties.set(property, '$ref');
      else if (text.startsWith('type: ')) schema.properties.set(property, text.slice('type: '.length));
    } else if (section === 'properties:' && property !== undefined && indent === 12 && inTypeList) {
      const type = text.replace(/^- /, '').replace(/'/g, '');
      const current = schema.properties.get(property)!;
      schema.properties.set(property, current === '' ? type : `${current}|${type}`);
    }
  }
  return schema;
}

/** The dev server's field kinds as the document writes the type. */
const SPEC_TYPE_OF_KIND: Record<string, string> = {
  string: 'string',
  event_type: 'string',
  'string[]': 'array',
  object: 'object',
  'object|null': 'object|null',
  number: 'number',
  boolean: 'boolean',
  'string|null': 'string|null',
};

/** The routes the dev server serves, as the document's path keys and methods. */
const SERVED_ROUTES: Array<[string, string]> = [
  ['/session/start', 'post'],
  ['/session/{session_id}/traces', 'post'],
  ['/v1/sessions', 'post'],
  ['/v1/sessions/{session_id}/events/batch', 'post'],
  ['/v1/events/batch', 'post'],
  ['/v1/events/{event_id}', 'put'],
  ['/events', 'put'],
];

/** The request wrappers validation.ts checks inline: their fields and whether they refuse others. */
const WRAPPERS: Array<[string, string[], boolean]> = [
  ['LegacyStartSessionRequest', ['session'], false],
  ['AddSessionTracesRequest', ['logs', 'events'], false],
  ['SessionEventBatchRequest', ['events'], true],
  ['PostEventBatchRequest', ['events', 'single_session', 'session_properties'], true],
];

describe("dev server: its schema tables against HoneyHive's OpenAPI document (pending where ../shared/reference/ is absent)", function () {
  const specPath = findSpec();
  let lines: string[] = [];

  before(function () {
    // Without the document (a clone without ../shared/reference/) every check here is reported pending.
    if (specPath === undefined) this.skip();
    lines = readFileSync(specPath, 'utf8').split('\n');
  });

  it('every route the dev server serves is in the document, with its method', () => {
    for (const [route, method] of SERVED_ROUTES) {
      const at = lines.indexOf(`  ${route}:`);
      assert.ok(at >= 0, `${route} is a path of the document`);
      const block = lines.slice(
        at + 1,
        lines.findIndex((line, index) => index > at && /^ {2}\S/.test(line)),
      );
      assert.ok(block.includes(`    ${method}:`), `${method.toUpperCase()} ${route}`);
    }
  });

  for (const [key, schema] of Object.entries(Schemas)) {
    it(`${schema.name} (${key}): the same fields, types, required fields, and refusal of others`, () => {
      const spec = specSchema(lines, schema.name);
      assert.deepEqual(Object.keys(schema.fields).sort(), [...spec.properties.keys()].sort(), 'the same fields');
      for (const [field, kind] of Object.entries(schema.fields)) {
        assert.equal(SPEC_TYPE_OF_KIND[kind], spec.properties.get(field), `${schema.name}.${field}`);
      }
      assert.deepEqual([...('required' in schema ? schema.required : [])].sort(), spec.required.sort());
      assert.equal(schema.others === 'refuse', spec.refusesOthers, 'additionalProperties: false');
    });
  }

  for (const [name, fields, refusesOthers] of WRAPPERS) {
    it(`${name}: the request wrapper's fields and refusal of others`, () => {
      const spec = specSchema(lines, name);
      assert.deepEqual(fields.sort(), [...spec.properties.keys()].sort());
      assert.equal(spec.refusesOthers, refusesOthers);
    });
  }
});
