import { describe, expect, it } from 'vitest';
import { isAllowedByRobots, parseRobots } from '../../src/scraping/robots.js';

const TOKEN = 'coproduction-tracker';
const allowed = (robots: string, path: string) => isAllowedByRobots(parseRobots(robots, TOKEN), path);

describe('robots.txt matching (RFC 9309)', () => {
  const robots = [
    'User-agent: *',
    'Disallow: /private/',
    'Allow: /private/public-bit',
    'Disallow: /*.pdf$',
    'Disallow: /search*results',
    '',
    'User-agent: SomeOtherBot',
    'Disallow: /',
  ].join('\n');

  it.each([
    ['/', true],
    ['/private/x', false],
    ['/private/public-bit/1', true],
    ['/doc.pdf', false],
    ['/doc.pdf?x=1', true],
    ['/search/all/results', false],
    ['/searching', true],
    ['/robots.txt', true],
  ])('* group: %s → %s', (path, expected) => expect(allowed(robots, path)).toBe(expected));

  it('prefers our own group over *, merging groups that name us, case-insensitively', () => {
    const text = [
      'User-agent: *',
      'Disallow: /',
      'User-agent: Coproduction-Tracker',
      'Disallow: /a',
      'User-agent: other',
      'User-agent: coproduction-tracker/0.1',
      'Disallow: /b',
    ].join('\n');
    expect(allowed(text, '/c')).toBe(true);
    expect(allowed(text, '/a')).toBe(false);
    expect(allowed(text, '/b')).toBe(false);
  });

  it('longest match wins; an equally long Allow beats Disallow', () => {
    const text = 'User-agent: *\nDisallow: /page\nAllow: /page\nDisallow: /folder/\nAllow: /folder';
    expect(allowed(text, '/page')).toBe(true);
    expect(allowed(text, '/folder/x')).toBe(false);
  });

  it('an empty Disallow allows everything; comments and unknown lines are ignored', () => {
    expect(allowed('User-agent: * # all\nCrawl-delay: 5\nDisallow:\nSitemap: /s.xml', '/anything')).toBe(true);
  });

  it('matches percent-encoded paths against raw UTF-8 patterns', () => {
    expect(allowed('User-agent: *\nDisallow: /café', '/caf%C3%A9/menu')).toBe(false);
    expect(allowed('User-agent: *\nDisallow: /a%3cd', '/a%3Cd')).toBe(false);
  });

  it('no group for us and no * group → allow all', () => {
    expect(allowed('User-agent: googlebot\nDisallow: /', '/x')).toBe(true);
  });
});
