import { describe, expect, it } from 'vitest';
import { signInMessage } from '#lib/mail/message.ts';
import { CODE_DIGITS, formatCode, newCode, normalizeCode, tokenForCode } from '#lib/sign-in/codes.server.ts';

describe('one-time codes', () => {
  it('makes 8-digit codes with a fresh salt each time', () => {
    const codes = Array.from({ length: 50 }, () => newCode());
    for (const { code, salt } of codes) {
      expect(code).toMatch(new RegExp(`^\\d{${CODE_DIGITS}}$`));
      expect(salt).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(new Set(codes.map((c) => c.salt)).size).toBe(50);
  });

  it('derives the link token from secret, salt and code, and from nothing less', () => {
    const token = tokenForCode('secret-a', 'salt', '12345678');
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenForCode('secret-a', 'salt', '12345678')).toBe(token);
    expect(tokenForCode('secret-b', 'salt', '12345678')).not.toBe(token);
    expect(tokenForCode('secret-a', 'other', '12345678')).not.toBe(token);
    expect(tokenForCode('secret-a', 'salt', '12345679')).not.toBe(token);
  });

  it.each([
    ['12345678', '12345678'],
    ['1234 5678', '12345678'],
    [' 1234-5678 ', '12345678'],
    ['1234567', null],
    ['123456789', null],
    ['abcd efgh', null],
    ['', null],
  ])('reads %j as %j', (input, expected) => {
    expect(normalizeCode(input)).toBe(expected);
  });

  it('formats a code for reading', () => {
    expect(formatCode('12345678')).toBe('1234 5678');
  });
});

describe('the sign-in email', () => {
  const message = signInMessage({
    to: 'ann@example.com',
    url: 'https://todos.example.com/signin/confirm?token=abc&email=ann%40example.com',
    code: '1234 5678',
    expires: new Date(Date.now() + 15 * 60_000),
    siteName: 'Astro <Todos>',
  });

  it('has both parts with the site name, link, code, lifetime and the ignore line', () => {
    expect(message.subject).toBe('Sign in to Astro <Todos>');
    for (const part of [message.text, message.html]) {
      expect(part).toContain('1234 5678');
      expect(part).toContain('15 minutes');
      expect(part).toMatch(/didn't ask to sign in/);
    }
    expect(message.text).toContain(message.url);
    expect(message.html).toContain(
      'href="https://todos.example.com/signin/confirm?token=abc&amp;email=ann%40example.com"',
    );
  });

  it('escapes what it puts in HTML and loads nothing remote (no tracking)', () => {
    expect(message.html).toContain('Astro &lt;Todos&gt;');
    expect(message.html).not.toMatch(/<img|<script|src=/i);
  });
});
