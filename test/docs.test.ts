import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsIn(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1]!)));
}

function linksIn(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
}

const markdownFiles = [
  'README.md',
  'CONTRIBUTING.md',
  'CHANGELOG.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('the README and docs/', () => {
  it('keep the README a newcomer reads short (at most 15,000 bytes)', () => {
    const bytes = readFileSync(path.join(root, 'README.md')).length;
    assert.ok(
      bytes <= 15_000,
      `README.md is ${bytes} bytes, over 15,000: move detail to the docs/*.md page it belongs to and link it`,
    );
  });

  for (const file of markdownFiles) {
    it(`${file}: every local link points to a file and heading that exist`, () => {
      const text = readFileSync(path.join(root, file), 'utf8');
      const broken: string[] = [];
      for (const link of linksIn(text)) {
        if (/^[a-z]+:/i.test(link)) continue;
        const [target, anchor] = link.split('#') as [string, string | undefined];
        const targetPath =
          target === '' ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), target);
        if (!existsSync(targetPath)) {
          broken.push(link);
          continue;
        }
        if (anchor !== undefined && targetPath.endsWith('.md')) {
          if (!anchorsIn(readFileSync(targetPath, 'utf8')).has(anchor)) broken.push(link);
        }
      }
      assert.deepEqual(broken, []);
    });
  }
});
