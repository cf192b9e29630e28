/** Who counts as "this machine" and which hosts and origins the site answers (issue #10, H1). */
import { describe, expect, it } from 'vitest';
import { answeredHostnames } from '#server/host-check.ts';
import { hostnameOf } from '#lib/http/host-name.ts';
import { isLoopbackAddress } from '#lib/http/loopback.ts';
import { isLocalRequest } from '#lib/mail/mailbox-access.server.ts';
import { allowedOrigins } from '#lib/http/origin.server.ts';

describe('hostnameOf', () => {
  it.each([
    ['localhost:4321', 'localhost'],
    ['Todos.Example.com', 'todos.example.com'],
    ['todos.example.com.:443', 'todos.example.com'],
    ['[::1]:4321', '[::1]'],
    ['127.0.0.1', '127.0.0.1'],
    ['evil.example/x', undefined],
    ['user@evil.example', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s -> %s', (header, hostname) => {
    expect(hostnameOf(header)).toBe(hostname);
  });
});

describe('answeredHostnames', () => {
  it('is SITE_URL’s host name, plus the loopback names in local mode only', () => {
    expect([...answeredHostnames({ siteUrl: 'https://todos.example.com', mode: 'remote' })]).toEqual([
      'todos.example.com',
    ]);
    expect([...answeredHostnames({ siteUrl: 'http://todos.lan:4321', mode: 'local' })].sort()).toEqual(
      ['127.0.0.1', '[::1]', 'localhost', 'todos.lan'].sort(),
    );
  });
});

describe('allowedOrigins', () => {
  it('is SITE_URL’s origin in remote mode', () => {
    expect([...allowedOrigins({ siteUrl: 'https://todos.example.com', mode: 'remote' })]).toEqual([
      'https://todos.example.com',
    ]);
  });
  it('adds the loopback aliases (same scheme and port) in local mode', () => {
    expect([...allowedOrigins({ siteUrl: 'http://localhost:4321', mode: 'local' })].sort()).toEqual(
      ['http://127.0.0.1:4321', 'http://[::1]:4321', 'http://localhost:4321'].sort(),
    );
  });
});

describe('isLocalRequest', () => {
  it.each([
    ['loopback peer and Host', '127.0.0.1', { host: 'localhost:4321' }, true],
    ['IPv6 loopback peer', '::1', { host: '[::1]:4321' }, true],
    ['IPv4-mapped loopback peer', '::ffff:127.0.0.1', { host: '127.0.0.1:4321' }, true],
    ['a LAN peer', '192.168.1.7', { host: 'localhost:4321' }, false],
    ['an IPv4-mapped LAN peer', '::ffff:10.0.0.2', { host: 'localhost:4321' }, false],
    ['no peer address', undefined, { host: 'localhost:4321' }, false],
    ['a foreign Host (rebinding)', '127.0.0.1', { host: 'evil.example' }, false],
    ['no Host', '127.0.0.1', {}, false],
    ['X-Forwarded-For', '127.0.0.1', { host: 'localhost', 'x-forwarded-for': '198.51.100.7' }, false],
    ['Forwarded', '127.0.0.1', { host: 'localhost', forwarded: 'for=198.51.100.7' }, false],
    ['X-Real-IP', '127.0.0.1', { host: 'localhost', 'x-real-ip': '198.51.100.7' }, false],
  ])('%s: %s', (_label, peer, headers, local) => {
    expect(isLocalRequest(new Headers(headers), peer)).toBe(local);
  });

  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])('%s is loopback', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });
});
