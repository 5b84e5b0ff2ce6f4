/**
 * Every relative link of the README and of docs/ leads somewhere: to a file of the repository,
 * and with a `#fragment` to a heading of that file (GitHub's anchors). A made-up broken link is
 * found too, so the check can fail.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../../tools/project.ts';

const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** GitHub's anchor of a heading: lower case, punctuation gone, spaces to hyphens. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function brokenLinks(page: string, text: string): string[] {
  const broken: string[] = [];
  // Code blocks hold no links.
  const prose = text.replace(/```[\s\S]*?```/g, '');
  for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target!)) continue; // https:, mailto:
    const [path, fragment] = target!.split('#') as [string, string | undefined];
    const file = path ? join(dirname(join(root, page)), path) : join(root, page);
    if (!existsSync(file)) {
      broken.push(`${page}: ${target} (no ${relative(root, file)})`);
      continue;
    }
    if (fragment && file.endsWith('.md')) {
      const headings = [...readFileSync(file, 'utf8').matchAll(/^#{1,6} (.*)$/gm)].map(([, heading]) => anchor(heading!));
      if (!headings.includes(fragment)) broken.push(`${page}: ${target} (no heading #${fragment})`);
    }
  }
  return broken;
}

describe('relative links', () => {
  it.each(pages)('%s has none that is broken', (page) => {
    expect(brokenLinks(page, readFileSync(join(root, page), 'utf8'))).toEqual([]);
  });

  it('finds a broken one: a missing file, and a missing heading', () => {
    expect(
      brokenLinks('README.md', 'see [a](docs/none.md) and [b](docs/mock.md#no-such-heading) and [c](docs/mock.md#steering-the-mock)'),
    ).toEqual(['README.md: docs/none.md (no docs/none.md)', 'README.md: docs/mock.md#no-such-heading (no heading #no-such-heading)']);
  });
});
